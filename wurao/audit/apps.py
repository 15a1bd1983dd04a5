from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "wurao.audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from wurao.audit import checks  # noqa: F401  registers the signing key's check
