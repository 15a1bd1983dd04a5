from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "wurao.oversight"
    verbose_name = "执法监督"
