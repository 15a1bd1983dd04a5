"""Next month's inspection plans in the demo, scheduled into joint visits.

Dated from the day of the build: the plans are for next month (`next_month(today)`), so the
demo accounts always find a month being coordinated. Through the planning services, each with
its audit event, as the departments and the bureau would do it: the departments' capacities, a
published special campaign (燃气安全专项检查, 区应急管理局, with its approval), the scripted
plans (the key 福城 enterprise and a few other 福城 enterprises planned by several departments,
the December random-draw tasks' enterprises, three cross-level duplicates), submission, the lock
after the deadline, two late additions with their reasons, the duplicate check and the
district's scheduler run (`sfj`, deterministic, seeded). The bulk of the month — about
scale × 9,000 planned inspections (wurao.demo.plans) — is written as rows, like the history,
and counted in the build's one audit event: through `plan_entry_add` it would take minutes.

The plans' months start as drafts written directly: the service would create them already
locked once the deadline (the 25th) has passed, and the demo's departments filed before it.
Who is planned, and the scripted plans, are in wurao.demo.planning_cast; the street's
coordination and the filled forms in wurao.demo.planning_coordination, the park days in
wurao.demo.planning_park_days.
"""

import datetime
from typing import Any

import numpy as np
from django.db.models import Count

from wurao.demo.engine import District
from wurao.demo.loader import bulk_insert, columns_of, datetime_text, reset_sequences
from wurao.demo.planning_cast import (
    Cast,
    PlanningResult,
    PlanningScene,
    Scripted,
    draw_plans,
    duplicate_plans,
    key_plans,
    late_additions,
    showcase_plans,
)
from wurao.demo.plans import TEAM_HOURS, planned_total, plans_generate, teams_needed
from wurao.planning import services
from wurao.planning import services_coordination as coordination
from wurao.planning.choices import EntryStatus, PlanOrigin, PlanStatus, SlotKind
from wurao.planning.models import (
    Campaign,
    EnterpriseSlot,
    MonthlyPlan,
    PlannedInspection,
    ScheduleRun,
)
from wurao.registry.models import Enterprise

STREAM_PLANS = 10  # after the district's streams and the other parts' (wurao.demo.engine)
# The scheduler's limit in the demo, in deterministic units (the run is deterministic): small
# months are solved within it; at scale 1 CP-SAT finds nothing better in time and the greedy
# plan (its hint) is kept, within 0.1% of the lower bound. Building the model takes longer.
SCHEDULE_TIME_LIMIT = 0.5
CAMPAIGN_DEPARTMENT = "YJGL"


def _campaign(scene: PlanningScene) -> Campaign:
    """区应急管理局's gas safety campaign for next month: registered with the district
    government's approval and published (国办发〔2024〕54号)."""
    department = scene.departments[CAMPAIGN_DEPARTMENT]
    admin = scene.filer(CAMPAIGN_DEPARTMENT)
    month = scene.month
    campaign = services.campaign_register(
        actor=admin,
        department=department,
        title=f"{month.year}年{month.month}月燃气安全专项检查",
        scope=(
            "辖区工贸企业和餐饮场所的燃气使用安全：燃气管道和软管、可燃气体报警和切断装置、"
            "钢瓶存放和使用场所、从业人员燃气安全培训、燃气事故隐患排查整治台账"
        ),
        starts_on=scene.days[0],
        ends_on=scene.days[-1],
        approver="龙华区人民政府",
        document_no=f"龙府办函〔{scene.today.year}〕{180 + scene.today.timetuple().tm_yday // 3}号",
        approved_on=scene.today - datetime.timedelta(days=12),
    )
    return services.campaign_publish(actor=admin, campaign=campaign)


def _capacities(scene: PlanningScene, demand: dict[str, float]) -> None:
    for code, hours in sorted(demand.items()):
        services.capacity_set(
            actor=scene.filer(code),
            department=scene.departments[code],
            teams=teams_needed(hours, len(scene.days)),
            hours_per_team=TEAM_HOURS,
        )


def _plans_open(scene: PlanningScene, codes: set[str]) -> dict[str, MonthlyPlan]:
    """The month's plans as drafts, filed before the deadline."""
    return {
        code: MonthlyPlan.objects.create(department=scene.departments[code], month=scene.month)
        for code in sorted(codes)
    }


def _file(scene: PlanningScene, plan: Scripted) -> PlannedInspection:
    return services.plan_entry_add(
        actor=scene.filer(plan.department),
        department=scene.departments[plan.department],
        month=scene.month,
        enterprise=plan.enterprise,
        items=[scene.items[c] for c in plan.items],
        earliest=plan.earliest,
        latest=plan.latest,
        hours=plan.hours,
        origin=plan.origin,
        draw_task=plan.draw_task,
        late_reason=plan.late_reason,
    )


def _bulk_insert(
    scene: PlanningScene,
    district: District,
    generated,
    plans: dict[str, MonthlyPlan],
    campaign: Campaign,
) -> int:
    """The month's bulk plans as rows (ids after the scripted ones) with their items."""
    start = (
        PlannedInspection.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    codes = [o.code for o in district.organisations]
    days = [d.isoformat() for d in scene.days]
    filed = datetime_text(str(scene.today - datetime.timedelta(days=3)), "02:00:00")
    admin = scene.users.get("yjj_admin")
    fields = [
        "id", "plan", "enterprise", "earliest", "latest", "hours", "origin", "campaign",
        "late_reason", "status", "status_note", "created_by", "created_at",
    ]  # fmt: skip
    rows = []
    for n, (d, e, first, last, hours, origin) in enumerate(
        zip(
            generated.department.tolist(),
            generated.enterprise.tolist(),
            generated.earliest.tolist(),
            generated.latest.tolist(),
            generated.hours.tolist(),
            generated.origin,
            strict=True,
        )
    ):
        code = codes[d]
        rows.append(
            (
                start + n, plans[code].pk, e + 1, days[first], days[last], f"{hours:.1f}",
                origin, campaign.pk if origin == PlanOrigin.CAMPAIGN else None, "",
                EntryStatus.ACTIVE.value, "", admin.pk if admin and code == "YJGL" else None, filed,
            )
        )  # fmt: skip
    bulk_insert(
        PlannedInspection._meta.db_table,
        columns_of(PlannedInspection, fields),
        rows,
        total=len(rows),
        desc="计划检查",
    )
    m2m = PlannedInspection._meta.get_field("items")
    # Items were loaded in the district's order: item i has id i + 1.
    pairs = [(start + n, i + 1) for n, cited in enumerate(generated.items) for i in cited]
    bulk_insert(
        m2m.m2m_db_table(),
        [m2m.m2m_column_name(), m2m.m2m_reverse_name()],
        pairs,
        total=len(pairs),
        desc="计划检查事项",
    )
    reset_sequences([PlannedInspection])
    return len(rows)


def _submit(scene: PlanningScene, plans: dict[str, MonthlyPlan], late: str) -> int:
    """Every department submits before the deadline but one, whose plan the lock catches as
    a draft."""
    submitted = 0
    for code, plan in plans.items():
        if code == late or not plan.entries.filter(status=EntryStatus.ACTIVE).exists():
            continue
        services.plan_submit(actor=scene.filer(code), plan=plan)
        submitted += 1
    return submitted


def _slots(scene: PlanningScene, blackout: datetime.date, showcase: list[Enterprise]) -> int:
    """Days enterprises declared: the key enterprise's shutdown through the portal service;
    two others' (they have no demo account) as rows, one blackout and one requested day."""
    qiye = scene.users.get("qiye")
    made = 0
    if qiye is not None and blackout > scene.today:
        coordination.slot_set(
            actor=qiye,
            enterprise=scene.key,
            day=blackout,
            kind=SlotKind.BLACKOUT,
            note="年度设备检修停产，现场无人接待",
        )
        made += 1
    for enterprise, kind, note in zip(
        showcase[-2:],
        (SlotKind.BLACKOUT, SlotKind.REQUESTED),
        ("月度盘点，暂停生产", "新生产线试运行，希望当天一并检查"),
        strict=False,
    ):
        windows = PlannedInspection.objects.filter(
            plan__month=scene.month, enterprise=enterprise, status=EntryStatus.ACTIVE
        ).values_list("earliest", "latest")
        first = max(w[0] for w in windows)
        last = min(w[1] for w in windows)
        inside = [d for d in scene.days if first <= d <= last]
        if not inside:
            continue
        # A blackout on the first common day leaves the rest; a request on the last.
        day = inside[0] if kind == SlotKind.BLACKOUT and len(inside) > 1 else inside[-1]
        EnterpriseSlot.objects.create(enterprise=enterprise, date=day, kind=kind, note=note)
        made += 1
    return made


def demo_plans_build(
    *, scene: PlanningScene, cast: Cast, district: District, seed: int
) -> PlanningResult:
    """Next month's plans filed, locked, checked for duplicates and scheduled; call inside
    the demo's transaction after the visits of today."""
    result = PlanningResult(month=scene.month)
    log = result.steps.append
    rng = np.random.default_rng([seed, STREAM_PLANS, 1000])  # the scripted plans' windows

    the_key, blackout = key_plans(scene)
    scripted = (
        the_key
        + showcase_plans(scene, rng, cast.showcase)
        + draw_plans(scene)
        + duplicate_plans(scene, cast.duplicates)
    )
    reserved = {p.enterprise.pk for p in scripted} | cast.reserved | cast.busy
    generated = plans_generate(
        seed,
        STREAM_PLANS,
        entities=district.entities,
        organisations=district.organisations,
        items=district.items,
        days=len(scene.days),
        total=planned_total(district.plan.scale),
        exclude={pk - 1 for pk in reserved},
        campaign_department=CAMPAIGN_DEPARTMENT,
    )

    codes = [o.code for o in district.organisations]
    demand: dict[str, float] = {}
    for d, hours in zip(generated.department.tolist(), generated.hours.tolist(), strict=True):
        demand[codes[d]] = demand.get(codes[d], 0.0) + hours
    for p in scripted:
        demand[p.department] = demand.get(p.department, 0.0) + float(p.hours)
    _capacities(scene, demand)
    campaign = _campaign(scene)
    result.campaign = campaign.title
    log(f"{campaign.department.name}登记并公布专项检查“{campaign.title}”（{campaign.document_no}）")

    plans = _plans_open(scene, set(demand))
    for plan in scripted:
        _file(scene, plan)
    bulk = _bulk_insert(scene, district, generated, plans, campaign)
    late_department = "JYJ" if "JYJ" in plans else ""
    submitted = _submit(scene, plans, late_department)
    locked = services.plans_lock(actor="scheduler", month=scene.month)
    log(f"{submitted} 个部门报送 {scene.month:%Y年%m月}计划，截止后锁定 {locked} 份")
    late = late_additions(scene, cast.late)
    for plan in late:
        entry = _file(scene, plan)
        log(f"{entry.plan.department.name}锁定后补报：{plan.enterprise.name}（{plan.late_reason}）")
    flagged = services.duplicates_flag(actor=scene.user("sfj"), month=scene.month)
    log(f"sfj 比对跨层级重复计划：{flagged} 条较低层级的计划标记为重复，建议撤回")
    slots = _slots(scene, blackout, cast.showcase)

    run = services.schedule_run(
        actor=scene.user("sfj"),
        month=scene.month,
        time_limit=SCHEDULE_TIME_LIMIT,
        deterministic=True,
        seed=seed,
    )
    result.run = run_figures(run)
    log(
        f"sfj 全区排期（确定性求解，种子 {seed}）：计划检查 {run.planned}，不合并需入企 "
        f"{run.separate_visits} 次；下界 {run.lower_bound}，贪心 {run.greedy_visits}，"
        f"排期 {run.visits}（差距 {100 * run.gap:.1f}%，{run.method}，{run.seconds:.1f} 秒）"
    )
    result.counts |= {
        "planning_scripted": len(scripted) + len(late),
        "planning_bulk": bulk,
        "planning_slots": slots,
    }
    return result


def run_figures(run: ScheduleRun) -> dict[str, Any]:
    return {
        "planned": run.planned,
        "separate_visits": run.separate_visits,
        "lower_bound": run.lower_bound,
        "greedy_visits": run.greedy_visits,
        "visits": run.visits,
        "gap": run.gap,
        "method": run.method,
        "status": run.status,
        "seconds": run.seconds,
        "unplaced": len(run.unplaced),
    }


def plans_counts(month: datetime.date) -> dict[str, int]:
    """The month's plans as the demo leaves them."""
    entries = PlannedInspection.objects.filter(plan__month=month)
    active = entries.filter(status=EntryStatus.ACTIVE)
    crowded = (
        active.values("enterprise_id")
        .annotate(n=Count("plan__department", distinct=True))
        .filter(n__gte=2)
    )
    return {
        "planning_plans": MonthlyPlan.objects.filter(month=month).count(),
        "planning_plans_locked": MonthlyPlan.objects.filter(
            month=month, status=PlanStatus.LOCKED
        ).count(),
        "planning_entries": entries.count(),
        "planning_enterprises": active.values("enterprise_id").distinct().count(),
        "planning_overlaps": crowded.count(),
        "planning_duplicates": entries.filter(status=EntryStatus.DUPLICATE).count(),
        "planning_late": entries.exclude(late_reason="").count(),
        "planning_campaign": entries.filter(origin=PlanOrigin.CAMPAIGN).count(),
        "planning_random_task": entries.filter(origin=PlanOrigin.RANDOM_TASK).count(),
        "planning_follow_up": entries.filter(origin=PlanOrigin.FOLLOW_UP).count(),
    }
