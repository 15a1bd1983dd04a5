"""The rule-enforcement tab's alerts read every visit's inspection items from a frame kept in
process (wurao/oversight/facts_panels.py) until a table it comes from changes: the visits'
items get the registry's change-token triggers too (wurao/registry/versions.py). The visits
and their departments are tracked already (0002)."""

from django.db import migrations

from wurao.registry import versions


def _tables(apps) -> list[str]:
    visit = apps.get_model("visits", "Visit")
    return [visit._meta.get_field("items").remote_field.through._meta.db_table]


def track(apps, schema_editor):
    versions.track(schema_editor, apps.get_model("registry", "TableVersion"), _tables(apps))


def untrack(apps, schema_editor):
    versions.untrack(schema_editor, apps.get_model("registry", "TableVersion"), _tables(apps))


class Migration(migrations.Migration):
    dependencies = [("oversight", "0002_track_contacts")]

    operations = [migrations.RunPython(track, untrack)]
