from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "wurao.audit"
    verbose_name = "审计日志"
