from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("进行中")
    COMPLETED = "completed", _("已完成")


class EntryResult(models.TextChoices):
    COMPLIANT = "compliant", _("符合")
    PROBLEM = "problem", _("发现问题")
    NOT_APPLICABLE = "not_applicable", _("不适用")
