from django.apps import AppConfig


class SamplingConfig(AppConfig):
    name = "wurao.sampling"
    verbose_name = "双随机抽查"
