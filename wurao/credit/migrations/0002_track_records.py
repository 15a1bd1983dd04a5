"""An enterprise's explained grade is cached until a record it is computed from changes
(selectors_grading.enterprise_breakdown): the credit tables it reads get the registry's
change-token triggers (wurao/registry/versions.py). Enforcement actions are tracked by the
oversight app, enterprises and their risk tags by the registry."""

from django.db import migrations

from wurao.registry import versions

MODELS = (
    "PointsTableVersion",
    "CreditObjection",
    "CreditRepair",
    "MonitoringAlert",
    "CreditCommitment",
    "PositiveRecord",
)


def _tables(apps) -> list[str]:
    return [apps.get_model("credit", name)._meta.db_table for name in MODELS]


def track(apps, schema_editor):
    versions.track(schema_editor, apps.get_model("registry", "TableVersion"), _tables(apps))


def untrack(apps, schema_editor):
    versions.untrack(schema_editor, apps.get_model("registry", "TableVersion"), _tables(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_tableversion"),
        ("credit", "0001_initial"),
    ]

    operations = [migrations.RunPython(track, untrack)]
