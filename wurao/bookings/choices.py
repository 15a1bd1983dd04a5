from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceKind(models.TextChoices):
    TRAINING = "training", _("培训")
    DRILL = "drill", _("应急演练")
    CHECKUP = "checkup", _("隐患体检")
    CONSULTING = "consulting", _("政策咨询")


class TeamKind(models.TextChoices):
    OWN = "own", _("部门自有队伍")
    CONTRACTED = "contracted", _("驻点服务队伍（购买服务）")


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DECLINED = "declined", _("已婉拒")
    CANCELLED = "cancelled", _("已取消")
    RESCHEDULED = "rescheduled", _("已改约")
    ATTENDED = "attended", _("已服务")
    NO_SHOW = "no_show", _("未到场")


# A booking in one of these holds a place of its slot (the capacity counts them).
HOLDS_PLACE = (
    BookingStatus.REQUESTED,
    BookingStatus.CONFIRMED,
    BookingStatus.ATTENDED,
    BookingStatus.NO_SHOW,
)
# The enterprise may still change these (reschedule, cancel) before the slot starts.
OPEN = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED)
