from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "wurao.visits"
    verbose_name = "入企登记"
