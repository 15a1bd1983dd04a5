from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "wurao.planning"
    verbose_name = "检查计划与联合检查"
