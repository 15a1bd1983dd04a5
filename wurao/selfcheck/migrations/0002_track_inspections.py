"""An enterprise's explained grade is cached until a record it is computed from changes
(credit's selectors_grading.enterprise_breakdown reads the completed self-inspections): the
self-inspections table gets the registry's change-token triggers (wurao/registry/versions.py)."""

from django.db import migrations

from wurao.registry import versions


def _tables(apps) -> list[str]:
    return [apps.get_model("selfcheck", "SelfInspection")._meta.db_table]


def track(apps, schema_editor):
    versions.track(schema_editor, apps.get_model("registry", "TableVersion"), _tables(apps))


def untrack(apps, schema_editor):
    versions.untrack(schema_editor, apps.get_model("registry", "TableVersion"), _tables(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_tableversion"),
        ("selfcheck", "0001_initial"),
    ]

    operations = [migrations.RunPython(track, untrack)]
