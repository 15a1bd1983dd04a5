"""Service teams, their slots and the enterprises' bookings (预约服务).

A check-up (隐患体检, "内部体检") is a service the enterprise asks for, not an inspection: its
findings are the enterprise's to fix and no other capability reads them (no penalty, no
enforcement action, no visit, no credit record).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from wurao.bookings.choices import HOLDS_PLACE, BookingStatus, ServiceKind, TeamKind


class ServiceTeam(models.Model):
    """A department's own team, or a contracted 驻点 team (a provider working for a department
    or for a street). Exactly one of department and street owns it."""

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=12, choices=TeamKind.choices, default=TeamKind.OWN)
    provider = models.CharField("服务机构（驻点队伍）", max_length=100, blank=True)
    department = models.ForeignKey(
        "registry.Department",
        verbose_name="所属部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_teams",
    )
    street = models.ForeignKey(
        "registry.Street",
        verbose_name="所属街道",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_teams",
    )
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=30)
    kinds = models.JSONField("服务类别", default=list)
    description = models.TextField("简介", blank=True)
    active = models.BooleanField("提供服务", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "服务队伍"
        verbose_name_plural = verbose_name
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False, street__isnull=True)
                | Q(department__isnull=True, street__isnull=False),
                name="bookings_team_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def owner_name(self) -> str:
        owner = self.department or self.street
        return owner.name if owner else ""

    def kind_labels(self) -> list[str]:
        return [str(ServiceKind(k).label) for k in self.kinds if k in ServiceKind.values]


class Slot(models.Model):
    team = models.ForeignKey(ServiceTeam, on_delete=models.PROTECT, related_name="slots")
    kind = models.CharField("服务类别", max_length=12, choices=ServiceKind.choices)
    date = models.DateField("日期", db_index=True)
    start = models.TimeField("开始时间")
    end = models.TimeField("结束时间")
    online = models.BooleanField("线上", default=False)
    place = models.CharField("地点或线上会议链接", max_length=200)
    capacity = models.PositiveSmallIntegerField("可约企业数")
    topic = models.CharField("主题", max_length=100, blank=True)
    description = models.TextField("说明", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "服务时段"
        verbose_name_plural = verbose_name
        ordering = ["date", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="bookings_slot_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="bookings_slot_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.date:%Y-%m-%d} {self.start:%H:%M}"

    # The policy reads the owner of a slot through its team.
    @property
    def department_id(self) -> int | None:
        return self.team.department_id

    @property
    def street_id(self) -> int | None:
        return self.team.street_id

    @property
    def start_text(self) -> str:
        return self.start.strftime("%H:%M")

    @property
    def end_text(self) -> str:
        return self.end.strftime("%H:%M")

    @property
    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.start))

    @property
    def started(self) -> bool:
        return self.starts_at <= timezone.now()


class Booking(models.Model):
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.PROTECT, related_name="service_bookings"
    )
    status = models.CharField(
        "状态", max_length=12, choices=BookingStatus.choices, default=BookingStatus.REQUESTED
    )
    note = models.TextField("需求说明", max_length=1000)
    people = models.PositiveSmallIntegerField("参加人数", default=1)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    booked_at = models.DateTimeField(auto_now_add=True)
    rescheduled_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="rescheduled_to"
    )
    reason = models.TextField("取消或婉拒的理由", blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # The outcome, recorded by the team after the service.
    outcome_done = models.TextField("服务内容", blank=True)
    outcome_advice = models.TextField("意见建议", blank=True)
    hazards = models.TextField("体检发现的隐患（仅供企业自行整改）", blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "服务预约"
        verbose_name_plural = verbose_name
        ordering = ["-booked_at", "-pk"]
        constraints = [
            # An enterprise holds at most one place in a slot (it may book again after cancelling).
            models.UniqueConstraint(
                fields=["slot", "enterprise"],
                condition=Q(status__in=[s.value for s in HOLDS_PLACE]),
                name="bookings_one_place_per_enterprise",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} @ {self.slot}"

    @property
    def department_id(self) -> int | None:
        return self.slot.team.department_id

    @property
    def street_id(self) -> int | None:
        return self.slot.team.street_id
