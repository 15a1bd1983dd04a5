from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    """Public disclosure (行政执法公示): pages anyone may read without signing in, composed
    from the capabilities' selectors; a read model with no tables."""

    name = "wurao.disclosure"
    verbose_name = "行政执法公示"
