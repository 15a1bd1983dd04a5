from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    A = "A", _("A 级（守信低风险）")
    B = "B", _("B 级（一般）")
    C = "C", _("C 级（较高风险）")
    D = "D", _("D 级（高风险）")


class CommitmentStatus(models.TextChoices):
    SIGNED = "signed", _("已承诺")
    FULFILLED = "fulfilled", _("已履行")
    BREACHED = "breached", _("未履行（失信）")


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")


class RecordSource(models.TextChoices):
    """Which kind of record an objection or repair is about."""

    ACTION = "action", _("执法记录")
    ALERT = "alert", _("非现场监测预警")
    COMMITMENT = "commitment", _("信用承诺")


class PositiveKind(models.TextChoices):
    AWARD = "award", _("表彰奖励")
    OTHER = "other", _("其他良好记录")
