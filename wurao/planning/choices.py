from django.db import models
from django.utils.translation import gettext_lazy as _

from wurao.outcomes.choices import CheckResult, Topic


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草拟")
    SUBMITTED = "submitted", _("已报送")
    LOCKED = "locked", _("已锁定")


class PlanOrigin(models.TextChoices):
    ROUTINE = "routine", _("日常检查")
    CAMPAIGN = "campaign", _("专项检查")
    RANDOM_TASK = "random_task", _("双随机任务")
    FOLLOW_UP = "follow_up", _("整改复查")


class EntryStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    DUPLICATE = "duplicate", _("重复，待撤回")
    WITHDRAWN = "withdrawn", _("已撤回")


class JointVisitStatus(models.TextChoices):
    PROPOSED = "proposed", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    CANCELLED = "cancelled", _("已取消")


class SlotKind(models.TextChoices):
    BLACKOUT = "blackout", _("不便接受检查")
    REQUESTED = "requested", _("希望安排检查")


class ItemResult(models.TextChoices):
    PASS = "pass", _("符合")
    FAIL = "fail", _("不符合")
    NOT_CHECKED = "not_checked", _("未检查")


class ParkDayStatus(models.TextChoices):
    COMMITTED = "committed", _("已承诺，待抽取")
    DRAWN = "drawn", _("已抽取")


class ObserverRole(models.TextChoices):
    NPC = "npc", _("人大代表")
    CPPCC = "cppcc", _("政协委员")
    ENTERPRISE = "enterprise", _("企业代表")
    OTHER = "other", _("其他")


# The form's words for an item's result, and the outcomes record's.
RESULT_TO_CHECK = {
    ItemResult.PASS: CheckResult.COMPLIANT,
    ItemResult.FAIL: CheckResult.FINDING,
    ItemResult.NOT_CHECKED: CheckResult.NOT_CHECKED,
}
CHECK_TO_RESULT = {v: k for k, v in RESULT_TO_CHECK.items()}

# What a department's rectification orders are usually about, by its code (without a city
# prefix such as "SZ-") and then by words of its name; anything else is "other".
_TOPIC_BY_CODE = {
    "YJGL": Topic.WORK_SAFETY,
    "XFJY": Topic.FIRE,
    "STHJ": Topic.ENVIRONMENT,
    "SCJG": Topic.MARKET,
    "WSJK": Topic.HEALTH,
    "ZJJ": Topic.BUILDING,
    "JTYS": Topic.TRAFFIC,
}
_TOPIC_BY_NAME = (
    ("消防", Topic.FIRE),
    ("应急管理", Topic.WORK_SAFETY),
    ("安全生产", Topic.WORK_SAFETY),
    ("生态环境", Topic.ENVIRONMENT),
    ("卫生健康", Topic.HEALTH),
    ("住房", Topic.BUILDING),
    ("建设", Topic.BUILDING),
    ("药品", Topic.FOOD),
    ("食品", Topic.FOOD),
    ("交通运输", Topic.TRAFFIC),
    ("市场监", Topic.MARKET),
)


def default_topic(department) -> str:
    """The topic a department's finding's rectification most likely has (the officer may
    choose another on the form)."""
    code = (department.code or "").upper()
    for part in (code, code.split("-", 1)[-1]):
        if part in _TOPIC_BY_CODE:
            return _TOPIC_BY_CODE[part]
    for word, topic in _TOPIC_BY_NAME:
        if word in (department.name or ""):
            return topic
    return Topic.OTHER
