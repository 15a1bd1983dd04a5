from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    """What an inspection produces: item results and findings, the one-time notice,
    rectification and re-check, cases with discretion bands, exemption lists and observation
    periods for new business types."""

    name = "wurao.outcomes"
    verbose_name = "检查结果与处理"
