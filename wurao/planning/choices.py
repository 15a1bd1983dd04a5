from django.db import models
from django.utils.translation import gettext_lazy as _


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
