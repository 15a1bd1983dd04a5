from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "wurao.web"
    verbose_name = "门户"
