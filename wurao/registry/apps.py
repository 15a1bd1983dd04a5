from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "wurao.registry"
    verbose_name = "两库（主体与人员）"
