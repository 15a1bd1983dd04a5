from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "wurao.credit"
    verbose_name = "信用分级分类"
