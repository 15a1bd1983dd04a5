"""The demo district's service booking (预约服务, issue [portal]): three teams (区应急管理局's own,
a contracted 驻点 safety team for 福城街道, a market-regulation policy team), weekly slots over the
past month and the coming six weeks, and bookings in every state, built through the app's
services so that each is a genuine audit event. The key enterprise (qiye) has a check-up to
come and a training it attended, with its outcome."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from wurao.bookings import services, services_teams
from wurao.bookings.choices import ServiceKind, TeamKind
from wurao.registry.choices import EnterpriseStatus
from wurao.registry.models import Department, Enterprise, Street

PAST_WEEKS = 4
COMING_WEEKS = 6

# team: owner, kind, provider, contact, the kinds and their weekly slot (weekday, start, end,
# capacity, place, topic)
TEAMS = (
    {
        "name": "区应急管理局安全生产服务队",
        "department": "YJGL",
        "kind": TeamKind.OWN,
        "provider": "",
        "contact_name": "陈科长",
        "contact_phone": "0755-2300 1101",
        "description": "为企业提供安全生产培训、应急演练指导和上门隐患体检。体检不是执法检查。",
        "slots": (
            (
                ServiceKind.TRAINING,
                1,
                "14:30",
                "16:30",
                30,
                "区应急管理局三楼培训室",
                "有限空间作业安全培训",
            ),
            (ServiceKind.CHECKUP, 3, "09:30", "11:30", 2, "企业现场", "工贸企业隐患体检"),
            (ServiceKind.DRILL, 4, "15:00", "17:00", 4, "企业现场", "火灾疏散应急演练指导"),
        ),
    },
    {
        "name": "福城街道驻点安全服务队",
        "street": "福城",
        "kind": TeamKind.CONTRACTED,
        "provider": "深圳市安鉴安全技术服务有限公司",
        "contact_name": "王工",
        "contact_phone": "138 0013 8000",
        "description": "福城街道购买服务的驻点安全团队，为辖区中小企业做“内部体检”和演练。",
        "slots": (
            (ServiceKind.CHECKUP, 2, "09:00", "11:00", 2, "企业现场", "小微企业消防与用电体检"),
            (ServiceKind.CHECKUP, 4, "14:00", "16:00", 2, "企业现场", "仓储企业隐患体检"),
            (ServiceKind.DRILL, 5, "10:00", "11:30", 3, "企业现场", "消防应急演练"),
        ),
    },
    {
        "name": "市场监管政策服务队",
        "department": "SZ-SCJG",
        "kind": TeamKind.OWN,
        "provider": "",
        "contact_name": "刘科长",
        "contact_phone": "0755-2300 2202",
        "description": "解读食品、特种设备、产品质量等方面的监管政策，可线上咨询。",
        "slots": (
            (
                ServiceKind.CONSULTING,
                2,
                "10:00",
                "11:00",
                6,
                "腾讯会议 612 300 2202",
                "新规解读与合规咨询",
            ),
            (
                ServiceKind.TRAINING,
                5,
                "14:30",
                "16:00",
                25,
                "龙华监管局二楼会议室",
                "食品经营许可与标签培训",
            ),
        ),
    },
)
NOTES = {
    ServiceKind.TRAINING: ("新入职员工安全培训", "班组长培训，约 10 人", "希望讲解最新规定"),
    ServiceKind.CHECKUP: (
        "车间用电和消防通道",
        "仓库堆放和安全出口",
        "粉尘和有限空间作业",
        "配电房和电动车充电区",
    ),
    ServiceKind.DRILL: ("火灾疏散演练", "危化品泄漏处置演练"),
    ServiceKind.CONSULTING: ("食品标签新规", "特种设备定期检验要求", "广告用语合规"),
}
HAZARDS = (
    "1. 二楼消防通道堆放纸箱\n2. 配电箱未上锁、无警示标识",
    "1. 安全出口指示灯损坏\n2. 灭火器过期 2 具",
    "1. 电动车在楼道内充电\n2. 插线板串接使用",
    "未发现明显隐患",
)
DONE = {
    ServiceKind.TRAINING: "完成培训，讲解操作规程和典型事故案例",
    ServiceKind.CHECKUP: "对生产车间、仓库和配电房进行隐患体检",
    ServiceKind.DRILL: "指导完成一次疏散演练，全员 6 分钟撤离",
    ServiceKind.CONSULTING: "解答企业关于新规适用范围的问题",
}


def _at(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def _weekday(monday: datetime.date, week: int, weekday: int) -> datetime.date:
    return monday + datetime.timedelta(weeks=week, days=weekday - 1)


def demo_bookings_build(*, actor: Any, seed: int) -> dict[str, int]:
    """Build the demo's bookings through the app's services; return the counts for the summary."""
    rng = random.Random(seed * 7919 + 17)
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    fucheng = Street.objects.filter(name__startswith="福城").first()
    key = get_user_model().objects.filter(username="qiye").select_related("enterprise").first()
    key_enterprise = key.enterprise if key else None
    active = Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE).order_by("pk")
    local = list(active.filter(street=fucheng).values_list("pk", flat=True)[:400])
    anywhere = list(active.values_list("pk", flat=True)[:2000])
    counts = {"service_teams": 0, "service_slots": 0, "service_bookings": 0}
    chosen: dict[int, Enterprise] = {}

    def enterprise(pk: int) -> Enterprise:
        if pk not in chosen:
            chosen[pk] = Enterprise.objects.get(pk=pk)
        return chosen[pk]

    slots_by_team = []
    for spec in TEAMS:
        department = Department.objects.filter(code=spec.get("department", "")).first()
        street = fucheng if spec.get("street") else None
        if not (department or street):
            continue
        team = services_teams.team_create(
            actor=actor,
            department=department,
            street=street,
            name=spec["name"],
            kind=spec["kind"],
            provider=spec["provider"],
            contact_name=spec["contact_name"],
            contact_phone=spec["contact_phone"],
            kinds=sorted({s[0].value for s in spec["slots"]}),
            description=spec["description"],
        )
        counts["service_teams"] += 1
        made = []
        for kind, weekday, start, end, capacity, place, topic in spec["slots"]:
            for week in range(-PAST_WEEKS, COMING_WEEKS):
                (slot,) = services_teams.slot_publish(
                    actor=actor,
                    team=team,
                    kind=kind,
                    date=_weekday(monday, week, weekday),
                    start=_at(start),
                    end=_at(end),
                    place=place,
                    online=place.startswith("腾讯会议"),
                    capacity=capacity,
                    topic=topic,
                )
                made.append(slot)
        counts["service_slots"] += len(made)
        slots_by_team.append((team, made))

    def book(slot, pk: int):
        try:
            booking = services.booking_create(
                actor=actor,
                slot_id=slot.pk,
                enterprise=enterprise(pk),
                note=rng.choice(NOTES[slot.kind]),
                people=rng.randint(1, 12)
                if slot.kind != ServiceKind.CHECKUP
                else rng.randint(1, 3),
            )
        except ValidationError:  # full, or the enterprise holds a place already
            return None
        counts["service_bookings"] += 1
        return booking

    # The key enterprise first, so that its two bookings always find a place.
    if key_enterprise is not None:
        for team, slots in slots_by_team:
            if team.street_id and team.street_id != key_enterprise.street_id:
                continue
            trainings = [s for s in slots if s.kind == ServiceKind.TRAINING and s.started]
            checkups = [s for s in slots if s.kind == ServiceKind.CHECKUP and not s.started]
            if trainings and not counts.get("_key_training"):
                past = book(trainings[-1], key_enterprise.pk)
                if past:
                    services.booking_outcome_record(
                        actor=actor,
                        booking=past,
                        attended=True,
                        done=DONE[ServiceKind.TRAINING],
                        advice="建议每季度组织一次班组安全交底，新员工上岗前完成三级教育",
                    )
                    counts["_key_training"] = 1
            if checkups and not counts.get("_key_checkup"):
                soon = book(checkups[1 if len(checkups) > 1 else 0], key_enterprise.pk)
                if soon:
                    services.booking_decide(actor=actor, booking=soon, confirm=True)
                    counts["_key_checkup"] = 1

    for team, slots in slots_by_team:
        pool = [
            pk
            for pk in (local if team.street_id else anywhere)
            if pk != getattr(key_enterprise, "pk", None)
        ]
        if not pool:
            continue
        for slot in slots:
            wanted = min(
                slot.capacity,
                rng.randint(0, 3) if slot.capacity > 4 else rng.randint(0, slot.capacity),
            )
            for pk in rng.sample(pool, min(wanted, len(pool))):
                booking = book(slot, pk)
                if booking is None:
                    continue
                counts["service_bookings"] += _settle(actor, rng, booking, slots)
    counts.pop("_key_training", None)
    counts.pop("_key_checkup", None)
    return counts


def _settle(actor, rng: random.Random, booking, slots) -> int:
    """Moves a booking on to a state a real one would be in by now; 1 when that made a new
    booking (a reschedule)."""
    slot = booking.slot
    roll = rng.random()
    if slot.started:
        if roll < 0.1:
            return 0  # the team has yet to record it
        attended = roll < 0.85
        services.booking_outcome_record(
            actor=actor,
            booking=booking,
            attended=attended,
            done=DONE[slot.kind] if attended else "",
            advice="建议定期自查并留存记录" if attended else "",
            hazards=rng.choice(HAZARDS) if attended and slot.kind == ServiceKind.CHECKUP else "",
        )
        return 0
    if roll < 0.35:
        return 0  # awaiting the team
    if roll < 0.75:
        services.booking_decide(actor=actor, booking=booking, confirm=True)
    elif roll < 0.83:
        services.booking_decide(
            actor=actor,
            booking=booking,
            confirm=False,
            reason="当天队伍另有应急任务，请改约其他时段",
        )
    elif roll < 0.91:
        services.booking_cancel(actor=actor, booking=booking, reason="生产任务调整，改天再约")
    else:
        later = [s for s in slots if s.kind == slot.kind and s.date > slot.date and s.pk != slot.pk]
        for target in later[:3]:
            try:
                services.booking_reschedule(actor=actor, booking=booking, slot_id=target.pk)
                return 1
            except ValidationError:
                continue
    return 0
