"""The demo district's self-inspection (自查自纠, issue [portal]): 福城街道 invites the
enterprises of one of its parks to self-inspect and about six in ten have done so; a sample of
other enterprises across the district completed one this year (problems found, most fixed),
a few are half way. The key enterprise (qiye) completed one this year and has one in progress.
Built through selfcheck's services, so each step is a genuine audit event; it runs before the
grades are recomputed, so the completions count as the points table says."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone

from wurao.registry.choices import EnterpriseStatus
from wurao.registry.models import Department, Enterprise, Park, Street
from wurao.selfcheck import selectors, services
from wurao.selfcheck.choices import EntryResult

STREET = "福城街道"
PARK_COMPLETED_SHARE = 0.6
PARK_MAX = 40  # enterprises of the campaign's park that take part (the rest are invited only)
DISTRICT_SAMPLE = 16
DEPARTMENTS_PER_RUN = 2
PREFERRED = (
    "YJGL"  # 区应急管理局  # a run covers one or two departments' items: a realistic checklist
)

PROBLEMS = (
    ("安全出口被货物堵塞", "清理通道，划设禁止堆放标线"),
    ("灭火器压力不足", "更换 4 具灭火器并建立月检记录"),
    ("危化品仓库未张贴安全周知卡", "张贴周知卡并组织员工学习"),
    ("特种作业人员证书过期", "安排复审，复审前暂停其作业"),
    ("应急预案未按期演练", "组织一次疏散演练并留存记录"),
    ("配电箱未上锁，线路老化", "更换线路，加装锁具"),
    ("食品原料未按规定标注保质期", "补齐标签，过期原料下架销毁"),
    ("污水排放台账不完整", "补记台账，指定专人每日记录"),
)


def _answer(rng: random.Random, actor, inspection, *, on: datetime.date, share: float = 1.0):
    """Answer a share of the entries: mostly compliant, some not applicable, some problems,
    most of them fixed a few days before `on`."""
    entries = list(inspection.entries.order_by("position"))
    for entry in entries[: max(1, round(len(entries) * share))]:
        roll = rng.random()
        if roll < 0.12:
            problem, fix = rng.choice(PROBLEMS)
            fixed = rng.random() < 0.7
            services.entry_record(
                actor=actor,
                entry=entry,
                result=EntryResult.PROBLEM,
                note=problem,
                fix_action=fix if fixed else "",
                fixed_on=on - datetime.timedelta(days=rng.randint(0, 5)) if fixed else None,
            )
        else:
            result = EntryResult.NOT_APPLICABLE if roll > 0.93 else EntryResult.COMPLIANT
            services.entry_record(actor=actor, entry=entry, result=result)


def _run(
    rng: random.Random,
    actor,
    enterprise: Enterprise,
    *,
    started: datetime.date,
    complete: bool,
    prefer: int | None = None,
    prefer_share: float = 0.5,
) -> tuple[Any, bool] | None:
    """One self-inspection of one or two of the departments whose items apply; `prefer` (the
    demo's 区应急管理局, whose accounts show the departments' side) among them that often."""
    items = selectors.items_applicable(enterprise=enterprise)
    departments = sorted({i.department_id for i in items})
    if not departments:
        return None
    chosen = rng.sample(departments, min(DEPARTMENTS_PER_RUN, len(departments)))
    if prefer in departments and prefer not in chosen and rng.random() < prefer_share:
        chosen[0] = prefer
    try:
        inspection = services.inspection_start(
            actor=actor, enterprise=enterprise, department_ids=chosen, on=started
        )
    except ValidationError:
        return None
    finish = started + datetime.timedelta(days=rng.randint(0, 6))
    finish = min(finish, timezone.localdate())
    _answer(rng, actor, inspection, on=finish, share=1.0 if complete else rng.uniform(0.3, 0.7))
    if complete:
        services.inspection_complete(actor=actor, inspection=inspection, on=finish)
    return inspection, complete


def demo_selfcheck_build(*, actor: Any, seed: int) -> dict[str, int]:
    """Build the demo's self-inspections through the app's services; return the counts."""
    rng = random.Random(seed * 7919 + 17)
    today = timezone.localdate()
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=("qiye", "fucheng"))
    }
    made, completed, campaigns = 0, 0, 0
    prefer = Department.objects.filter(code=PREFERRED).values_list("pk", flat=True).first()

    def count(result) -> None:
        nonlocal made, completed
        if result:
            made += 1
            completed += int(result[1])

    # The street's campaign in its park that has at least a handful of live enterprises
    # (the smallest such, so that the rate means something at every scale).
    street = Street.objects.filter(name=STREET).first()
    live = Q(enterprise__status=EnterpriseStatus.ACTIVE)
    park = None
    if street is not None:
        parks = (
            Park.objects.filter(street=street)
            .annotate(n=Count("enterprise", filter=live))
            .filter(n__gte=5)
            .order_by("n", "pk")
        )
        park = parks.first()
    taken: set[int] = set()
    campaign_day = today - datetime.timedelta(days=40)
    if park is not None:
        services.campaign_start(
            actor=users.get("fucheng", actor),
            park=park,
            title=f"{today.year}年{park.name}企业安全自查",
            starts_on=campaign_day,
            ends_on=today + datetime.timedelta(days=20),
        )
        campaigns += 1

    # The key enterprise: one completed this year, one in progress now (in the campaign when
    # its park is the campaign's).
    qiye = users.get("qiye")
    if qiye is not None and qiye.enterprise_id:
        enterprise = qiye.enterprise
        first_day = max(datetime.date(today.year, 1, 2), today - datetime.timedelta(days=75))
        count(
            _run(
                rng,
                qiye,
                enterprise,
                started=first_day,
                complete=True,
                prefer=prefer,
                prefer_share=1,
            )
        )
        count(
            _run(rng, qiye, enterprise, started=today - datetime.timedelta(days=2), complete=False)
        )
        taken.add(enterprise.pk)

    if park is not None:
        started = campaign_day
        invited = list(
            Enterprise.objects.filter(park=park, status=EnterpriseStatus.ACTIVE)
            .exclude(pk__in=taken)
            .order_by("pk")
        )
        rng.shuffle(invited)
        invited = invited[:PARK_MAX]
        done = round(len(invited) * PARK_COMPLETED_SHARE)
        for n, enterprise in enumerate(invited):
            if n >= done + 3:  # a few more are half way; the rest have not begun
                break
            day = started + datetime.timedelta(days=rng.randint(0, 30))
            count(
                _run(
                    rng,
                    actor,
                    enterprise,
                    started=min(day, today),
                    complete=n < done,
                    prefer=prefer,
                )
            )
            taken.add(enterprise.pk)

    # A sample across the district, for the departments' and the bureau's lists.
    others = list(
        Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE)
        .exclude(pk__in=taken)
        .order_by("pk")
        .values_list("pk", flat=True)[:2000]
    )
    for pk in rng.sample(others, min(DISTRICT_SAMPLE, len(others))):
        enterprise = Enterprise.objects.get(pk=pk)
        day = today - datetime.timedelta(days=rng.randint(3, 300))
        count(_run(rng, actor, enterprise, started=day, complete=rng.random() < 0.8, prefer=prefer))
    return {
        "selfcheck_inspections": made,
        "selfcheck_completed": completed,
        "selfcheck_campaigns": campaigns,
    }
