"""Writes of the teams and their slots: a department admin runs its department's teams, a street
coordinator its street's; the bureau only reads."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wurao.accounts.policy import is_platform, require
from wurao.audit.services import audit_record
from wurao.bookings.choices import ServiceKind, TeamKind
from wurao.bookings.models import ServiceTeam, Slot

TEAM_FIELDS = (
    "name",
    "kind",
    "provider",
    "contact_name",
    "contact_phone",
    "kinds",
    "description",
    "active",
)
MAX_CAPACITY = 200
MAX_REPEAT = 12


def _check_team(team: ServiceTeam) -> None:
    errors = {}
    if not team.name.strip():
        errors["name"] = _("请填写队伍名称")
    if not team.contact_name.strip():
        errors["contact_name"] = _("请填写联系人")
    if not team.contact_phone.strip():
        errors["contact_phone"] = _("请填写联系电话")
    kinds = list(team.kinds or [])
    if not kinds or any(k not in ServiceKind.values for k in kinds):
        errors["kinds"] = _("请至少选择一种服务类别：培训、应急演练、隐患体检或政策咨询")
    if team.kind == TeamKind.CONTRACTED and not team.provider.strip():
        errors["provider"] = _("驻点服务队伍须填写服务机构名称")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def team_create(*, actor, department=None, street=None, **fields) -> ServiceTeam:
    """A team of the actor's department (a department admin) or street (a street coordinator);
    the platform names the owner itself."""
    if not is_platform(actor):
        department = actor.department if actor.department_id else None
        street = actor.street if not department and actor.street_id else None
    team = ServiceTeam(department=department, street=street, **fields)
    require(actor, "bookings.team_manage", team)
    if not (department or street):
        raise ValidationError(_("服务队伍须属于一个部门或一个街道"))
    _check_team(team)
    team.save()
    audit_record(
        actor=actor,
        verb="bookings.team_create",
        obj=team,
        payload={"name": team.name, "kind": team.kind, "kinds": team.kinds},
    )
    return team


@transaction.atomic
def team_update(*, actor, team: ServiceTeam, **fields) -> ServiceTeam:
    require(actor, "bookings.team_manage", team)
    team = ServiceTeam.objects.select_for_update().get(pk=team.pk)
    for name, value in fields.items():
        if name in TEAM_FIELDS:
            setattr(team, name, value)
    _check_team(team)
    team.save()
    audit_record(
        actor=actor, verb="bookings.team_update", obj=team, payload={"fields": sorted(fields)}
    )
    return team


@transaction.atomic
def slot_publish(
    *,
    actor,
    team: ServiceTeam,
    kind: str,
    date: datetime.date,
    start: datetime.time,
    end: datetime.time,
    place: str,
    capacity: int,
    online: bool = False,
    topic: str = "",
    description: str = "",
    repeat_weeks: int = 1,
) -> list[Slot]:
    """Publishes a slot, or the same slot on `repeat_weeks` consecutive weeks."""
    require(actor, "bookings.team_manage", team)
    errors = {}
    if kind not in team.kinds:
        errors["kind"] = _("本队伍不提供该类服务；可选：%(kinds)s") % {
            "kinds": "、".join(team.kind_labels())
        }
    if end <= start:
        errors["end"] = _("结束时间须晚于开始时间")
    if not place.strip():
        errors["place"] = _("请填写服务地点，线上服务请填写会议链接或会议号")
    if not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = _("可约企业数须为 1 到 %(n)s") % {"n": MAX_CAPACITY}
    if not 1 <= repeat_weeks <= MAX_REPEAT:
        errors["repeat_weeks"] = _("重复周数须为 1 到 %(n)s") % {"n": MAX_REPEAT}
    if not team.active:
        errors["kind"] = _("该队伍已停止服务，不能发布时段")
    first = Slot(team=team, date=date, start=start, end=end)
    if not is_platform(actor) and "end" not in errors and first.started:
        errors["date"] = _("不能发布已开始或已过去的时段")
    if errors:
        raise ValidationError(errors)
    slots = []
    for week in range(repeat_weeks):
        slot = Slot.objects.create(
            team=team,
            kind=kind,
            date=date + datetime.timedelta(weeks=week),
            start=start,
            end=end,
            place=place.strip(),
            online=online,
            capacity=capacity,
            topic=topic.strip(),
            description=description.strip(),
        )
        audit_record(
            actor=actor,
            verb="bookings.slot_publish",
            obj=slot,
            payload={
                "team": team.pk,
                "kind": kind,
                "date": slot.date.isoformat(),
                "capacity": capacity,
            },
        )
        slots.append(slot)
    return slots
