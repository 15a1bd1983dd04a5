from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionKind(models.TextChoices):
    INSPECTION = "inspection", _("行政检查")
    PENALTY = "penalty", _("行政处罚")
    COERCIVE = "coercive", _("行政强制")


class Origin(models.TextChoices):
    RANDOM_DRAW = "random_draw", _("双随机抽查")
    PLAN = "plan", _("计划检查")
    COMPLAINT = "complaint", _("投诉举报")
    REFERRAL = "referral", _("转办移送")
    HIGHER_ORDER = "higher_order", _("上级交办")
    CAMPAIGN = "campaign", _("专项行动")
    OTHER = "other", _("其他")
