from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "wurao.imports"
    verbose_name = "数据导入"
