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
    # Taken on a registered visit of these origins (the visit registry's own list).
    JOINT = "joint", _("联合检查")
    RECHECK = "recheck", _("整改复查")
    ENTERPRISE_REQUEST = "enterprise_request", _("企业申请")
    OTHER = "other", _("其他")


class Finding(models.TextChoices):
    """What an inspection found; the credit score counts clean inspections and problems."""

    NOT_RECORDED = "", _("未记录")
    CLEAN = "clean", _("未发现问题")
    PROBLEMS = "problems", _("发现问题")


class Severity(models.IntegerChoices):
    """Severity of a penalty or coercive measure (裁量基准的情节档次)."""

    MINOR = 1, _("较轻")
    GENERAL = 2, _("一般")
    SERIOUS = 3, _("严重")


class Mode(models.TextChoices):
    """How an inspection was done. Off-site (非现场检查) counts as an inspection, never as a
    visit: it has no visit code and no one entered the premises."""

    ON_SITE = "on_site", _("现场检查")
    OFF_SITE = "off_site", _("非现场检查")


class OffsiteMethod(models.TextChoices):
    MONITORING = "monitoring", _("在线监测数据")
    VIDEO = "video", _("视频监控")
    DOCUMENTS = "documents", _("企业报送材料")
    REMOTE = "remote", _("远程视频检查")
