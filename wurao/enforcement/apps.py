from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "wurao.enforcement"
    verbose_name = "执法记录"
