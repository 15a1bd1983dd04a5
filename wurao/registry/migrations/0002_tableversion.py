from django.db import migrations, models

from wurao.registry import versions


def _tables(apps) -> list[str]:
    """What cached registry reads depend on: enterprise counts and name searches (with the
    street, community and park a page names, filters by risk tag) and the departments named
    in the oversight figures."""
    enterprise = apps.get_model("registry", "Enterprise")
    return [
        enterprise._meta.db_table,
        enterprise._meta.get_field("risk_tags").remote_field.through._meta.db_table,
        *(
            apps.get_model("registry", name)._meta.db_table
            for name in ("RiskTag", "Street", "Community", "Park", "Department")
        ),
    ]


def track(apps, schema_editor):
    versions.track(schema_editor, apps.get_model("registry", "TableVersion"), _tables(apps))


def untrack(apps, schema_editor):
    versions.untrack(schema_editor, apps.get_model("registry", "TableVersion"), _tables(apps))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="TableVersion",
            fields=[
                (
                    "table",
                    models.CharField(
                        max_length=63, primary_key=True, serialize=False, verbose_name="表"
                    ),
                ),
                ("token", models.CharField(max_length=36, verbose_name="版本标记")),
            ],
            options={"verbose_name": "数据版本", "verbose_name_plural": "数据版本"},
        ),
        migrations.RunPython(track, untrack),
    ]
