from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitKind(models.TextChoices):
    INSPECTION = "inspection", _("执法检查")
    NON_ENFORCEMENT = "non_enforcement", _("非执法入企")


class VisitOrigin(models.TextChoices):
    """Why an inspection takes place. The exempt ones (complaint, referral, order, re-check,
    enterprise request by default) are listed in the rules, because local rules differ."""

    PLAN = "plan", _("计划检查")
    RANDOM_DRAW = "random_draw", _("双随机抽查")
    JOINT = "joint", _("联合检查")
    COMPLAINT = "complaint", _("投诉举报")
    REFERRAL = "referral", _("转办移送")
    HIGHER_ORDER = "higher_order", _("上级交办")
    CAMPAIGN = "campaign", _("专项行动")
    RECHECK = "recheck", _("整改复查")
    ENTERPRISE_REQUEST = "enterprise_request", _("企业申请")


class VisitPurpose(models.TextChoices):
    """Why a non-enforcement visit takes place: the study counts them as burden too."""

    RESEARCH = "research", _("调研")
    UNION = "union", _("工会")
    WOMEN = "women", _("妇联")
    PARTY = "party", _("党建")
    COMMUNITY = "community", _("社区走访")
    POLICY = "policy", _("政策宣传")
    OTHER = "other", _("其他")


class VisitStatus(models.TextChoices):
    PENDING_OVERRIDE = "pending_override", _("待审批（超出规则）")
    REGISTERED = "registered", _("已登记")
    IN_PROGRESS = "in_progress", _("检查中")
    COMPLETED = "completed", _("已完成")
    CANCELLED = "cancelled", _("已撤销")
    REJECTED = "rejected", _("未获批准")


class CheckInMethod(models.TextChoices):
    SCAN = "scan", _("扫企业码")
    CREDIT_CODE = "credit_code", _("输入信用代码")


class RatingTag(models.TextChoices):
    ATTITUDE = "attitude", _("态度")
    CONDUCT = "conduct", _("规范")
    EFFICIENCY = "efficiency", _("效率")
    DISRUPTION = "disruption", _("打扰程度")


class CodeState(models.TextChoices):
    """What a person who checks a visit code is told."""

    VALID = "valid", _("有效")
    NOT_YET = "not_yet", _("已登记，尚未到检查日期")
    IN_PROGRESS = "in_progress", _("检查进行中")
    COMPLETED = "completed", _("检查已结束")
    EXPIRED = "expired", _("已过期")
    CANCELLED = "cancelled", _("已撤销")
    PENDING = "pending", _("尚未获批")
    INCOMPLETE = "incomplete", _("尚未备齐执法人员或审批")
    UNKNOWN = "unknown", _("查无此码")
