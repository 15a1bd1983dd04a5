from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    TOO_FREQUENT = "too_frequent", _("检查过频")
    OVERREACH = "overreach", _("越权执法")
    PROCEDURE = "procedure", _("程序不规范")
    ATTITUDE = "attitude", _("态度问题")
    BRIBERY = "bribery", _("吃拿卡要、索贿")
    LEAVING_POST = "leaving_post", _("不作为、脱岗")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    RECEIVED = "received", _("已收到")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    ACCEPTED = "accepted", _("已受理")
    INVESTIGATING = "investigating", _("调查中")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


OPEN_STATUSES = (Status.RECEIVED, Status.ACCEPTED, Status.INVESTIGATING)


class Finding(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("属实")
    PARTLY = "partly", _("部分属实")
    NOT_SUBSTANTIATED = "not_substantiated", _("不属实")


# Counted in the conduct figures: a complaint found true in whole or in part.
COUNTED_FINDINGS = (Finding.SUBSTANTIATED, Finding.PARTLY)


class Stage(models.TextChoices):
    ACCEPT = "accept", _("受理")
    ANSWER = "answer", _("答复")


class RiskKind(models.TextChoices):
    SAFETY = "safety", _("安全生产")
    FIRE = "fire", _("消防安全")
    ENVIRONMENT = "environment", _("生态环境")
    FOOD_DRUG = "food_drug", _("食品药品")
    LABOUR = "labour", _("劳动保障")
    OTHER = "other", _("其他违法或风险")


class WhistleStatus(models.TextChoices):
    RECEIVED = "received", _("已收到")
    ASSIGNED = "assigned", _("已交办")
    REPORTED = "reported", _("部门已反馈")
    SUBSTANTIATED = "substantiated", _("查证属实")
    NOT_SUBSTANTIATED = "not_substantiated", _("查证不属实")


class RevealStatus(models.TextChoices):
    PENDING = "pending", _("待批准")
    APPROVED = "approved", _("已批准")
