"""The oversight figures are cached until an enforcement action changes (selectors.py): the
actions table gets the registry's change-token triggers (wurao/registry/versions.py)."""

from django.db import migrations

from wurao.registry import versions


def _tables(apps) -> list[str]:
    return [apps.get_model("enforcement", "EnforcementAction")._meta.db_table]


def track(apps, schema_editor):
    versions.track(schema_editor, apps.get_model("registry", "TableVersion"), _tables(apps))


def untrack(apps, schema_editor):
    versions.untrack(schema_editor, apps.get_model("registry", "TableVersion"), _tables(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_tableversion"),
        ("enforcement", "0005_visit_origins"),
    ]

    operations = [migrations.RunPython(track, untrack)]
