from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckResult(models.TextChoices):
    """What one inspected item showed."""

    COMPLIANT = "compliant", _("符合")
    FINDING = "finding", _("发现问题")
    NOT_CHECKED = "not_checked", _("未检查")


class Hazard(models.IntegerChoices):
    """The hazard a finding leaves while it is open; the levels match the credit catalogue's
    未整改隐患 (1 一般隐患, 3 重大隐患)."""

    NONE = 0, _("无隐患")
    GENERAL = 1, _("一般隐患")
    MAJOR = 3, _("重大隐患")


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("现场照片")
    DOCUMENT = "document", _("书面材料")
    MONITORING = "monitoring", _("在线监测数据")
    VIDEO = "video", _("视频")


class RectificationStatus(models.TextChoices):
    ORDERED = "ordered", _("待整改")
    REPORTED = "reported", _("企业已报告整改")
    CLOSED = "closed", _("整改完成")


class ClosedBy(models.TextChoices):
    RECHECK = "recheck", _("现场复查")
    DOCUMENTARY = "documentary", _("书面核查")


class Topic(models.TextChoices):
    """What a rectification is about, to find two departments asking different things."""

    FIRE = "fire", _("消防")
    WORK_SAFETY = "work_safety", _("安全生产")
    ENVIRONMENT = "environment", _("生态环境")
    HEALTH = "health", _("卫生健康")
    BUILDING = "building", _("建筑与场所")
    FOOD = "food", _("食品药品")
    TRAFFIC = "traffic", _("交通运输")
    MARKET = "market", _("市场秩序")
    OTHER = "other", _("其他")


class ClashStatus(models.TextChoices):
    OPEN = "open", _("待司法局处理")
    CONFIRMED = "confirmed", _("确有冲突，已协调")
    DISMISSED = "dismissed", _("不构成冲突")


class Level(models.TextChoices):
    """Who issued an exemption list; a lower level inherits the upper levels' entries."""

    CITY = "city", _("市级")
    DISTRICT = "district", _("区级")
    DEPARTMENT = "department", _("部门")


class ExemptionKind(models.TextChoices):
    FIRST_OFFENCE = "first_offence", _("首违不罚")
    MINOR = "minor", _("轻微不罚")


class Sector(models.TextChoices):
    """The sector an exemption entry belongs to. The last three are fields the rules never
    exempt (《行政处罚法》第三十三条 leaves no room there); an entry cannot name them."""

    MARKET = "market", _("市场监管")
    WORK_SAFETY = "work_safety", _("安全生产")
    FIRE = "fire", _("消防")
    ENVIRONMENT = "environment", _("生态环境")
    HEALTH = "health", _("卫生健康")
    BUILDING = "building", _("住房建设")
    TRAFFIC = "traffic", _("交通运输")
    CULTURE = "culture", _("文化旅游")
    URBAN = "urban", _("城市管理")
    OTHER = "other", _("其他")
    EMERGENCY = "emergency", _("突发公共安全事件应对")
    DISASTER_PRICES = "disaster_prices", _("灾害期间哄抬物价")
    HIGH_RISK = "high_risk", _("列明的高风险领域")


NEVER_EXEMPT = frozenset({Sector.EMERGENCY, Sector.DISASTER_PRICES, Sector.HIGH_RISK})


class CaseKind(models.TextChoices):
    PENALTY = "penalty", _("行政处罚")
    COERCIVE = "coercive", _("行政强制")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("调查中")
    NOTIFIED = "notified", _("已告知（陈述申辩、听证）")
    DECIDED = "decided", _("已决定")
    CLOSED = "closed", _("已结案")


class Disposition(models.TextChoices):
    """How the case ends: a penalty or measure, no penalty under an exemption entry, or a
    soft measure for a new business type in its observation period."""

    PENALTY = "penalty", _("予以处罚")
    MEASURE = "measure", _("采取强制措施")
    EXEMPTED = "exempted", _("依免罚清单不予处罚")
    SOFT = "soft", _("柔性执法措施")


class SoftMeasure(models.TextChoices):
    PERSUASION = "persuasion", _("说服教育")
    DEMONSTRATION = "demonstration", _("劝导示范")
    WARNING = "warning", _("警示告诫")
    INTERVIEW = "interview", _("指导约谈")


# [outcomes] cases: the listed high-risk fields (列明的高风险领域) by risk tag. An exemption
# entry whose catalogue item applies to one of these tags is refused like an entry of the
# HIGH_RISK sector: 危险化学品, 粉尘涉爆, 涉氨制冷, 金属冶炼 (the tags the registry gives the
# enterprises under 《安全生产法》 special supervision).
HIGH_RISK_TAGS = frozenset({"hazchem", "dust", "ammonia", "metal_melt"})


class Proposal(models.TextChoices):
    """What the platform proposed for a case when it was decided."""

    EXEMPTED = "exempted", _("不予处罚（免罚清单）")
    SOFT = "soft", _("先采取柔性措施（观察期）")
    BANDS = "bands", _("按裁量基准处理")
