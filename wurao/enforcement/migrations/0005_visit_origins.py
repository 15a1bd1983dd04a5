"""Actions taken on a joint visit, a re-check or at an enterprise's request keep that origin
(they were recorded as 其他 while the enforcement record had no such origins)."""

from django.db import migrations, models

VISIT_ORIGINS = ("joint", "recheck", "enterprise_request")


def origins_from_visits(apps, schema_editor):
    EnforcementAction = apps.get_model("enforcement", "EnforcementAction")
    for origin in VISIT_ORIGINS:
        EnforcementAction.objects.filter(origin="other", visit__origin=origin).update(
            origin=origin
        )


def origins_back(apps, schema_editor):
    EnforcementAction = apps.get_model("enforcement", "EnforcementAction")
    EnforcementAction.objects.filter(origin__in=VISIT_ORIGINS).update(origin="other")


class Migration(migrations.Migration):
    dependencies = [
        ("enforcement", "0004_non_enforcement_visits_moved"),
        ("visits", "0004_visit_composite_indexes_only"),
    ]

    operations = [
        migrations.AlterField(
            model_name="enforcementaction",
            name="origin",
            field=models.CharField(
                choices=[
                    ("random_draw", "双随机抽查"),
                    ("plan", "计划检查"),
                    ("complaint", "投诉举报"),
                    ("referral", "转办移送"),
                    ("higher_order", "上级交办"),
                    ("campaign", "专项行动"),
                    ("joint", "联合检查"),
                    ("recheck", "整改复查"),
                    ("enterprise_request", "企业申请"),
                    ("other", "其他"),
                ],
                max_length=20,
                verbose_name="来源",
            ),
        ),
        migrations.RunPython(origins_from_visits, origins_back),
    ]
