"""An enterprise's explained grade is cached until a record it is computed from changes
(credit's selectors_grading.enterprise_breakdown reads the open hazards and the overdue
rectifications): the item results and rectifications tables get the registry's change-token
triggers (wurao/registry/versions.py)."""

from django.db import migrations

from wurao.registry import versions


def _tables(apps) -> list[str]:
    return [
        apps.get_model("outcomes", name)._meta.db_table for name in ("ItemCheck", "Rectification")
    ]


def track(apps, schema_editor):
    versions.track(schema_editor, apps.get_model("registry", "TableVersion"), _tables(apps))


def untrack(apps, schema_editor):
    versions.untrack(schema_editor, apps.get_model("registry", "TableVersion"), _tables(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_tableversion"),
        ("outcomes", "0002_cases_decision"),
    ]

    operations = [migrations.RunPython(track, untrack)]
