from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "wurao.demo"
    verbose_name = "演示数据"
