"""The dashboard's facts (wurao/oversight/facts.py) are kept in memory until a table they are
read from changes: non-enforcement visits and the departments on them, current grades and
scheduled joint visits get the registry's change-token triggers (wurao/registry/versions.py).
Actions, enterprises and departments are tracked already."""

from django.db import migrations

from wurao.registry import versions


def _tables(apps) -> list[str]:
    visit = apps.get_model("visits", "Visit")
    joint = apps.get_model("planning", "JointVisit")
    return [
        visit._meta.db_table,
        visit._meta.get_field("departments").remote_field.through._meta.db_table,
        apps.get_model("credit", "EnterpriseGrade")._meta.db_table,
        joint._meta.db_table,
        apps.get_model("planning", "PlannedInspection")._meta.db_table,
        apps.get_model("planning", "MonthlyPlan")._meta.db_table,
    ]


def track(apps, schema_editor):
    versions.track(schema_editor, apps.get_model("registry", "TableVersion"), _tables(apps))


def untrack(apps, schema_editor):
    versions.untrack(schema_editor, apps.get_model("registry", "TableVersion"), _tables(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0001_track_enforcement_actions"),
        ("visits", "0006_visit_client_request_digest"),
        ("credit", "0002_track_records"),
        ("planning", "0003_form_entry_correction"),
    ]

    operations = [migrations.RunPython(track, untrack)]
