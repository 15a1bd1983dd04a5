from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wurao.accounts"
    verbose_name = "用户与角色"

    def ready(self) -> None:
        from wurao.accounts import receivers  # noqa: F401  connects the sign-in audit
