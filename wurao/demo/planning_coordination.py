"""The street's side of the demo's planning: 福城's coordinator at work on next month's
proposals, and the joint visits of the last weeks with their consolidated forms filled in.

Next month, through the coordination services as `fucheng`: the key enterprise's joint visit
(its departments then name their officers, the lead with its approval) and several others
confirmed (each registered as one Visit, judged by the visit rules; a refusal is logged and
the proposal left for the coordinator), one proposal moved to another day, and the key
enterprise (`qiye`) asking to move its other proposal, waiting for the coordinator.

The last weeks: three 福城 enterprises each received two departments together. Their plans and
proposals are rows (the scheduler plans forward, never into the past); the visits are
confirmed through `joint_visit_confirm`, carried out (officers, approval, check-in and
check-out written as history, like wurao.demo.visits_year) and each department's results
entered through `form_results_record`, some items failing with a rectification and a
deadline — so the form, its PDF and XLSX and the enterprise's file show a finished joint visit.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from wurao.demo.planning_cast import PlanningResult, PlanningScene
from wurao.demo.visits_year import SHENZHEN, Scene, workday
from wurao.enforcement.choices import Finding
from wurao.enforcement.models import EnforcementAction
from wurao.outcomes import services_checks
from wurao.outcomes.choices import CheckResult, Topic
from wurao.outcomes.models import ItemCheck
from wurao.planning import selectors as planning_selectors
from wurao.planning import services_coordination as coordination
from wurao.planning.choices import EntryStatus, ItemResult, JointVisitStatus, PlanStatus
from wurao.planning.models import JointVisit, MonthlyPlan, PlannedInspection
from wurao.registry.models import Enterprise
from wurao.registry.workdays import month_start, working_days
from wurao.visits.choices import CheckInMethod, VisitOrigin, VisitStatus
from wurao.visits.models import Visit
from wurao.visits.services import visit_staff

CONFIRMED_SHOWCASE = 4  # of the other 福城 enterprises' proposals; the next one is moved


@dataclass(frozen=True)
class Line:
    """A failing item of a department's part of the form: what was found, what must be put
    right and in how many days."""

    item: str
    finding: str
    rectification: str = ""
    days: int = 0
    result: str = ItemResult.FAIL


@dataclass(frozen=True)
class PastVisit:
    """A joint visit of the last weeks: the risk tags its enterprise should have (any one),
    and per department its items and the lines that did not pass (the others passed)."""

    tags: tuple[str, ...]
    departments: tuple[tuple[str, tuple[str, ...], tuple[Line, ...]], ...]


PAST_VISITS = (
    PastVisit(
        ("hazchem", "fire_key", "confined"),
        (
            ("YJGL", ("YJGL-01", "YJGL-02"), (
                Line(
                    "YJGL-02",
                    "危险化学品仓库内甲类、乙类物品混存，未设置分区分类标识，出入库台账不全",
                    "立即将甲、乙类危险化学品分区分类存放并设置安全标识，补齐出入库台账",
                    15,
                ),
            )),
            ("XFJY", ("XFJY-01", "XFJY-02"), (
                Line(
                    "XFJY-02",
                    "二层车间两具灭火器压力不足，一处应急照明灯不亮",
                    "更换失效灭火器、修复应急照明，建立每月消防设施巡查记录",
                    10,
                ),
            )),
        ),
    ),
    PastVisit(
        ("discharge", "special_eq", "occupational"),
        (
            ("SZ-STHJ", ("SZ-STHJ-03", "SZ-STHJ-05"), (
                Line(
                    "SZ-STHJ-03",
                    "厂区雨污分流不彻底，雨水排放口检出生产废水",
                    "完成雨污管网改造，废水全部接入处理设施，改造完成后报送监测报告",
                    30,
                ),
            )),
            ("SZ-SCJG", ("SZ-SCJG-02",), ()),
        ),
    ),
    PastVisit(
        ("occupational", "dust", "metal_melt"),
        (
            ("ZF-FC", ("ZF-FC-02", "ZF-FC-03"), ()),
            ("WSJK", ("WSJK-01", "WSJK-02"), (
                Line(
                    "WSJK-02",
                    "职业健康监护档案由集团总部统一保管，现场未能提供，约定下次检查时查阅",
                    result=ItemResult.NOT_CHECKED,
                ),
            )),
        ),
    ),
)  # fmt: skip
PASSED = "现场检查，未发现问题"
KEY_RECTIFICATION = (
    "15日内将危险化学品按类别分区分类存放，设置安全标识和禁配表，整改后报区应急管理局复查"
)


# ---------------------------------------------------------------- next month


def _departments(visit: JointVisit) -> set[str]:
    return {
        e.plan.department.code
        for e in visit.inspections.filter(status=EntryStatus.ACTIVE).select_related(
            "plan__department"
        )
    }


def _confirm(actor: Any, visit: JointVisit, log) -> bool:
    try:
        coordination.joint_visit_confirm(actor=actor, visit=visit)
    except ValidationError as refused:
        log(f"{visit.date} {visit.enterprise.name} 未能确认：{'；'.join(refused.messages)}")
        return False
    visit.refresh_from_db()
    names = "、".join(sorted(visit.visit.departments.values_list("name", flat=True)))
    log(
        f"fucheng 确认 {visit.date} {visit.enterprise.name}（{names}），入企码 {visit.visit.code_display}"
    )
    return True


def _staff(scene: PlanningScene, visit: JointVisit, log) -> None:
    """Each department names its officers for the confirmed visit, the lead with its approval;
    the other confirmed visits wait for theirs (their code says so until then)."""
    officers = Scene(scene.actor, scene.key.pk, scene.today)
    registered = visit.visit
    for department in registered.departments.order_by("pk"):
        lead = department.pk == registered.department_id
        visit_staff(
            actor=scene.filer(department.code),
            visit=registered,
            department=department,
            officers=officers.officers(department),
            **(officers.approval(department, registered.date) if lead else {}),
        )
    log(f"{registered.code_display} 各部门已指派执法人员，牵头单位已填写审批")


def _move(actor: Any, visit: JointVisit, scene: PlanningScene, log) -> bool:
    """Move the proposal to the first other day every rule allows."""
    entries = list(visit.inspections.filter(status=EntryStatus.ACTIVE))
    first = max(e.earliest for e in entries)
    last = min(e.latest for e in entries)
    for day in sorted(scene.days, key=lambda d: abs((d - visit.date).days)):
        if day == visit.date or not first <= day <= last:
            continue
        before = visit.date
        try:
            coordination.joint_visit_move(actor=actor, visit=visit, day=day)
        except ValidationError:
            continue
        log(f"fucheng 将 {visit.enterprise.name} 的联合入企由 {before} 调整到 {day}（待确认）")
        return True
    return False


def _request_change(scene: PlanningScene, visit: JointVisit, log) -> bool:
    qiye = scene.users.get("qiye")
    entries = list(visit.inspections.filter(status=EntryStatus.ACTIVE))
    first = max(e.earliest for e in entries)
    last = min(e.latest for e in entries)
    dates = [d for d in scene.days if first <= d <= last and d != visit.date and d > scene.today]
    if qiye is None or not dates:
        return False
    dates = dates[-2:]
    coordination.joint_visit_request_change(
        actor=qiye,
        visit=visit,
        dates=dates,
        reason=f"{visit.date} 企业接受客户年度验厂审核，相关负责人均需陪同，无法接待检查",
    )
    listed = "、".join(str(d) for d in dates)
    log(f"qiye 申请将 {visit.date} 的联合入企改期，建议 {listed}，待 fucheng 处理")
    return True


def demo_coordinate(
    scene: PlanningScene, showcase: list[Enterprise], result: PlanningResult
) -> None:
    """福城's coordinator confirms, moves; the key enterprise asks for another slot."""
    fucheng = scene.user("fucheng")
    log = result.steps.append
    proposed = JointVisit.objects.filter(
        month=scene.month, street=scene.key.street_id, status=JointVisitStatus.PROPOSED
    ).select_related("enterprise")
    confirmed = moved = changes = 0

    key_visits = list(proposed.filter(enterprise=scene.key).order_by("date"))
    together = [v for v in key_visits if "SZ-STHJ" in _departments(v)]
    asked = [v for v in key_visits if "SZ-SCJG" in _departments(v) and v not in together]
    for visit in together[:1]:
        if _confirm(fucheng, visit, log):
            confirmed += 1
            _staff(scene, visit, log)
    for visit in asked[:1]:
        changes += _request_change(scene, visit, log)

    for n, enterprise in enumerate(showcase):
        visits = [v for v in proposed.filter(enterprise=enterprise) if len(_departments(v)) > 1]
        for visit in visits[:1]:
            if n < CONFIRMED_SHOWCASE:
                confirmed += _confirm(fucheng, visit, log)
            elif n == CONFIRMED_SHOWCASE:
                moved += _move(fucheng, visit, scene, log)
    result.counts |= {
        "planning_confirmed_now": confirmed,
        "planning_moved": moved,
        "planning_change_requests": changes,
    }


# ---------------------------------------------------------------- the last weeks


def _past_days(today: datetime.date, n: int) -> list[datetime.date]:
    """n working days spread over the last three weeks (not the last two days)."""
    days = []
    day = today - datetime.timedelta(days=3)
    while len(days) < 15 and day > today - datetime.timedelta(days=28):
        if day in working_days(day):
            days.append(day)
        day -= datetime.timedelta(days=1)
    days.reverse()
    if len(days) < n:
        return days
    return [days[round(i * (len(days) - 1) / max(n - 1, 1))] for i in range(n)]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHENZHEN)


def _plan_row(scene: PlanningScene, code: str, month: datetime.date) -> MonthlyPlan:
    plan, created = MonthlyPlan.objects.get_or_create(
        department=scene.departments[code], month=month
    )
    if created:
        deadline = _at(month - datetime.timedelta(days=6), 18)
        MonthlyPlan.objects.filter(pk=plan.pk).update(
            status=PlanStatus.LOCKED,
            submitted_at=deadline - datetime.timedelta(days=3),
            locked_at=deadline,
        )
    return plan


def _carry_out(scene: PlanningScene, officers: Scene, visit: JointVisit) -> Visit:
    """The visit took place: the departments' officers checked in by scanning the
    enterprise's code and checked out, as the history records visits."""
    registered = visit.visit
    for department in registered.departments.all():
        registered.officers.add(*officers.officers(department))
    Visit.objects.filter(pk=registered.pk).update(
        **officers.approval(registered.department, visit.date),
        status=VisitStatus.COMPLETED,
        registered_at=_at(workday(visit.date - datetime.timedelta(days=4), -1), 16),
        checked_in_at=_at(visit.date, 9, 20),
        check_in_method=CheckInMethod.SCAN,
        checked_out_at=_at(visit.date, 11, 45),
    )
    JointVisit.objects.filter(pk=visit.pk).update(
        confirmed_at=_at(workday(visit.date - datetime.timedelta(days=4), -1), 15)
    )
    registered.refresh_from_db()
    return registered


def _recorded_after(registered: Visit, day: datetime.date) -> None:
    """The forms were filled now by the service; the departments entered them the working day
    after the visit (never after now), as the dashboard's timeliness should read them."""
    recorded_at = min(_at(workday(day + datetime.timedelta(days=1), 1), 17), timezone.now())
    EnforcementAction.objects.filter(visit=registered).update(created_at=recorded_at)


def _results(scene: PlanningScene, visit: JointVisit, spec: PastVisit) -> None:
    for code, items, lines in spec.departments:
        special = {line.item: line for line in lines}
        rows = []
        for item in items:
            line = special.get(item)
            if line is None:
                rows.append(
                    {"item": scene.items[item], "result": ItemResult.PASS, "finding": PASSED}
                )
                continue
            rows.append(
                {
                    "item": scene.items[item],
                    "result": line.result,
                    "finding": line.finding,
                    "rectification": line.rectification,
                    "rectify_by": visit.date + datetime.timedelta(days=line.days)
                    if line.days
                    else None,
                }
            )
        coordination.form_results_record(
            actor=scene.filer(code), visit=visit, department=scene.departments[code], results=rows
        )


def demo_past_forms(
    scene: PlanningScene, enterprises: list[Enterprise], result: PlanningResult
) -> None:
    """Joint visits of the last weeks in 福城, confirmed, carried out and their forms filled."""
    log = result.steps.append
    fucheng = scene.user("fucheng")
    officers = Scene(scene.actor, scene.key.pk, scene.today)
    for spec, enterprise, day in zip(
        PAST_VISITS, enterprises, _past_days(scene.today, len(PAST_VISITS)), strict=False
    ):
        month = month_start(day)
        days = working_days(month)
        at = days.index(day)
        first, last = days[max(0, at - 4)], days[min(len(days) - 1, at + 4)]
        visit = JointVisit.objects.create(
            month=month, enterprise=enterprise, street_id=enterprise.street_id, date=day
        )
        for code, items, _ in spec.departments:
            entry = PlannedInspection.objects.create(
                plan=_plan_row(scene, code, month),
                enterprise=enterprise,
                earliest=first,
                latest=last,
                hours=Decimal(2),
                joint_visit=visit,
                created_by=scene.users.get("yjj_admin") if code == "YJGL" else None,
            )
            entry.items.set([scene.items[c] for c in items])
        if not _confirm(fucheng, visit, log):
            PlannedInspection.objects.filter(joint_visit=visit).delete()
            visit.delete()
            continue
        visit.refresh_from_db()
        registered = _carry_out(scene, officers, visit)
        _results(scene, visit, spec)
        _recorded_after(registered, day)
        log(
            f"{registered.code_display} {day} {enterprise.name}：联合检查已完成，一表通查结果已录入"
        )
        if spec is PAST_VISITS[0]:
            _correction(scene, visit)
            log(f"{registered.code_display}：消防救援大队更正了一项检查情况（少记一具灭火器）")


def _correction(scene: PlanningScene, visit: JointVisit) -> None:
    """The fire brigade's line said two extinguishers; the officers' notes say three."""
    department = scene.departments["XFJY"]
    rows = [
        {
            "item": line.item,
            "result": line.entry.result,
            "finding": line.entry.finding.replace("两具灭火器", "三具灭火器"),
            "rectification": line.entry.rectification,
            "rectify_by": line.entry.rectify_by,
        }
        for line in planning_selectors.consolidated_form(visit=visit).lines
        if line.entry is not None and line.item.department_id == department.pk
    ]
    coordination.form_results_correct(
        actor=scene.filer("XFJY"),
        visit=visit,
        department=department,
        results=rows,
        reason="核对现场记录：压力不足的灭火器为三具，录入时少记一具",
    )


def demo_key_form(scene: PlanningScene, result: PlanningResult) -> None:
    """The key enterprise's joint visit of about three weeks ago (wurao.demo.visits_year) was
    the street's: its plans, the confirmed proposal and the form's lines are written as history
    beside the visit and the two departments' actions already there, so the enterprise finds
    the form — and the failing item today's re-check follows up — on its portal."""
    visit = (
        Visit.objects.filter(
            enterprise=scene.key, origin=VisitOrigin.JOINT, date__lt=scene.today, source_ref=""
        )
        .order_by("-date")
        .first()
    )
    if visit is None:
        return
    month = month_start(visit.date)
    days = working_days(month)
    at = days.index(visit.date) if visit.date in days else 0
    first, last = days[max(0, at - 4)], days[min(len(days) - 1, at + 4)]
    confirmed = _at(workday(visit.date - datetime.timedelta(days=4), -1), 15)
    joint = JointVisit.objects.create(
        month=month,
        enterprise=scene.key,
        street_id=scene.key.street_id,
        date=visit.date,
        status=JointVisitStatus.CONFIRMED,
        visit=visit,
        confirmed_by=scene.users.get("fucheng"),
        confirmed_at=confirmed,
    )
    inspector = scene.users.get("yjj_inspector")
    for action in visit.actions.select_related("department").prefetch_related("items"):
        code = action.department.code
        items = list(action.items.all())
        entry = PlannedInspection.objects.create(
            plan=_plan_row(scene, code, month),
            enterprise=scene.key,
            earliest=first,
            latest=last,
            hours=Decimal(2),
            joint_visit=joint,
            created_by=scene.users.get("yjj_admin") if code == "YJGL" else None,
        )
        entry.items.set(items)
        if ItemCheck.objects.filter(action=action).exists():
            continue
        # The form's lines, as every inspection keeps them: the action's item checks and, for
        # what failed, one notice with its rectifications (written by the outcomes services).
        failed = action.finding == Finding.PROBLEMS
        filer = inspector if code == "YJGL" else scene.filer(code)
        checks = services_checks.checks_record(
            actor=filer,
            action=action,
            rows=[
                {
                    "item": item,
                    "result": CheckResult.FINDING if failed else CheckResult.COMPLIANT,
                    "description": (action.summary or KEY_RECTIFICATION) if failed else PASSED,
                }
                for item in items
            ],
        )
        if failed:
            services_checks.notice_issue(
                actor=filer,
                action=action,
                orders={
                    check: {
                        "requirement": KEY_RECTIFICATION,
                        "deadline": visit.date + datetime.timedelta(days=15),
                        "topic": Topic.WORK_SAFETY if code == "YJGL" else Topic.OTHER,
                    }
                    for check in checks
                },
            )
    result.steps.append(
        f"{visit.code_display} {visit.date} {scene.key.name}：街道统筹的联合检查，一表通查已录入"
        "（今日的整改复查即为此次不符合项）"
    )
