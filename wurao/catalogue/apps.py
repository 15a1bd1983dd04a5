from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "wurao.catalogue"
    verbose_name = "检查事项清单"
