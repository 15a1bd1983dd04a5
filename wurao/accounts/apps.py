from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wurao.accounts"
    verbose_name = "用户与角色"
