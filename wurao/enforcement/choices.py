from django.db import models


class ActionKind(models.TextChoices):
    INSPECTION = "inspection", "行政检查"
    PENALTY = "penalty", "行政处罚"
    COERCIVE = "coercive", "行政强制"


class Origin(models.TextChoices):
    RANDOM_DRAW = "random_draw", "双随机抽查"
    PLAN = "plan", "计划检查"
    COMPLAINT = "complaint", "投诉举报"
    REFERRAL = "referral", "转办移送"
    HIGHER_ORDER = "higher_order", "上级交办"
    CAMPAIGN = "campaign", "专项行动"
    OTHER = "other", "其他"
