from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from wurao.accounts.scope import Scope
from wurao.common.periods import latest_until
from wurao.enforcement.choices import ActionKind
from wurao.outcomes.models import ItemCheck
from wurao.planning.choices import CHECK_TO_RESULT, EntryStatus, ItemResult, JointVisitStatus
from wurao.planning.models import (
    Campaign,
    DepartmentCapacity,
    EnterpriseSlot,
    Holiday,
    JointVisit,
    MonthlyPlan,
    ParkDay,
    ParkDaySetting,
    PlannedInspection,
    ScheduleRun,
)
from wurao.registry.workdays import SpecialDay, month_start


def holidays_entered(first: date, last: date) -> list[SpecialDay]:
    """The days the admin's 节假日 table holds from `first` to `last`: what the one calendar
    (wurao.registry.workdays) reads over the published holidays."""
    return [
        SpecialDay(h.date, h.name, h.is_workday)
        for h in Holiday.objects.filter(date__gte=first, date__lte=last)
    ]


def plan_list(*, scope: Scope, month: date | None = None) -> QuerySet[MonthlyPlan]:
    qs = MonthlyPlan.objects.select_related("department").annotate(
        active=Count("entries", filter=Q(entries__status=EntryStatus.ACTIVE)),
        flagged=Count("entries", filter=Q(entries__status=EntryStatus.DUPLICATE)),
    )
    if scope.department_id:
        qs = qs.filter(department_id=scope.department_id)
    elif not scope.sees_all and not scope.street_id:
        return qs.none()
    if month:
        qs = qs.filter(month=month_start(month))
    return qs


def plan_month_latest(*, scope: Scope, until: date, department=None) -> date | None:
    """The latest month up to `until` with a plan the viewer may see (of `department`)."""
    plans = plan_list(scope=scope)
    if department is not None:
        plans = plans.filter(department_id=department.pk)
    return latest_until(plans, until=until, field="month")


def entry_list(
    *, scope: Scope, month: date | None, filters: dict | None = None
) -> QuerySet[PlannedInspection]:
    """Planned inspections a user may see (of one month, or of all with None): a department its
    own, a street those on enterprises in its area, the justice bureau all."""
    qs = PlannedInspection.objects.select_related(
        "plan__department", "enterprise", "campaign", "joint_visit"
    ).prefetch_related("items")
    if month is not None:
        qs = qs.filter(plan__month=month_start(month))
    if scope.department_id:
        qs = qs.filter(plan__department_id=scope.department_id)
    elif scope.street_id:
        qs = qs.filter(enterprise__street_id=scope.street_id)
    elif scope.enterprise_id:
        qs = qs.filter(
            enterprise_id=scope.enterprise_id, joint_visit__status=JointVisitStatus.CONFIRMED
        )
    elif not scope.sees_all:
        return qs.none()
    filters = filters or {}
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if department := filters.get("department"):
        qs = qs.filter(plan__department_id=department)
    return qs


@dataclass(frozen=True)
class Overlap:
    enterprise_id: int
    enterprise_name: str
    departments: list[str]
    entries: list[PlannedInspection]


def overlaps(*, scope: Scope, month: date) -> list[Overlap]:
    """Enterprises that more than one department plans to visit in the month: the joint
    visits waiting to happen."""
    entries = entry_list(scope=scope, month=month, filters={"status": EntryStatus.ACTIVE})
    crowded = (
        entries.values("enterprise_id")
        .annotate(n=Count("plan__department", distinct=True))
        .filter(n__gte=2)
        .values("enterprise_id")
    )
    by_enterprise: dict[int, list[PlannedInspection]] = {}
    for e in entries.filter(enterprise_id__in=crowded).order_by("enterprise_id", "earliest"):
        by_enterprise.setdefault(e.enterprise_id, []).append(e)
    return sorted(
        (
            Overlap(
                enterprise_id=pk,
                enterprise_name=group[0].enterprise.name,
                departments=sorted({e.plan.department.name for e in group}),
                entries=group,
            )
            for pk, group in by_enterprise.items()
        ),
        key=lambda o: (-len(o.departments), o.enterprise_name),
    )


def duplicate_list(*, scope: Scope, month: date) -> QuerySet[PlannedInspection]:
    return entry_list(scope=scope, month=month, filters={"status": EntryStatus.DUPLICATE})


def joint_visit_list(
    *, scope: Scope, month: date | None = None, filters: dict | None = None
) -> QuerySet[JointVisit]:
    """Proposed and confirmed visits: a street coordinator those in its street, a
    department those it takes part in, an enterprise its own (it may ask to move a
    proposal), the bureau all."""
    qs = JointVisit.objects.select_related("enterprise", "street", "visit").prefetch_related(
        Prefetch(
            "inspections",
            queryset=PlannedInspection.objects.filter(status=EntryStatus.ACTIVE).select_related(
                "plan__department"
            ),
        )
    )
    if month:
        qs = qs.filter(month=month_start(month))
    if scope.street_id:
        qs = qs.filter(street_id=scope.street_id)
    elif scope.department_id:
        qs = qs.filter(inspections__plan__department_id=scope.department_id).distinct()
    elif scope.enterprise_id:
        qs = qs.filter(enterprise_id=scope.enterprise_id).exclude(status=JointVisitStatus.CANCELLED)
    elif not scope.sees_all:
        return qs.none()
    filters = filters or {}
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if filters.get("joint_only"):
        qs = qs.annotate(n=Count("inspections__plan__department", distinct=True)).filter(n__gte=2)
    if filters.get("change_requested"):
        qs = qs.filter(change_requested=True)
    return qs


def joint_visit_get(*, scope: Scope, pk: int) -> JointVisit:
    return joint_visit_list(scope=scope).get(pk=pk)


def schedule_runs(*, month: date, scope: Scope | None = None) -> QuerySet[ScheduleRun]:
    """The month's runs, newest first: a street coordinator sees its street's runs and the
    district-wide ones."""
    qs = ScheduleRun.objects.filter(month=month_start(month)).select_related("created_by", "street")
    if scope is not None and scope.street_id:
        qs = qs.filter(Q(street_id=scope.street_id) | Q(street=None))
    return qs


@dataclass(frozen=True)
class FormResult:
    """One item's line as the form shows it, read from the department's enforcement action on
    the visit: its item check (outcomes.ItemCheck) and, for a finding to put right, its
    rectification (outcomes.Rectification) with the notice it was told in."""

    check: ItemCheck
    result: str  # ItemResult: the form's words (符合, 不符合, 未检查)
    finding: str
    hazard: int
    rectification: str
    rectify_by: date | None
    topic: str
    order: object | None  # the Rectification, if one was ordered
    corrected_at: datetime | None
    correction_reason: str

    def get_result_display(self) -> str:
        return str(ItemResult(self.result).label)

    @classmethod
    def of(cls, check: ItemCheck) -> "FormResult":
        order = getattr(check, "rectification", None)
        return cls(
            check=check,
            result=CHECK_TO_RESULT[check.result],
            finding=check.description,
            hazard=check.hazard,
            rectification=order.requirement if order else "",
            rectify_by=order.deadline if order else None,
            topic=order.topic if order else "",
            order=order,
            corrected_at=check.corrected_at,
            correction_reason=check.correction_reason,
        )


@dataclass(frozen=True)
class FormLine:
    department: str
    item: object
    entry: FormResult | None


@dataclass(frozen=True)
class ConsolidatedForm:
    """一表通查: one form for one joint visit — departments, officers, items with their check
    points and legal basis, and the results and rectification requirements per item."""

    visit: JointVisit
    departments: list[str]
    officers: list
    lines: list[FormLine]
    notices: list  # the departments' FindingNotices (一次性告知) for the visit

    @property
    def complete(self) -> bool:
        return all(line.entry for line in self.lines)


def form_checks(*, visit: JointVisit) -> dict[int, ItemCheck]:
    """The item checks of the departments' inspections on the joint visit, by item (an item
    is one department's, so it has one line)."""
    if visit.visit_id is None:
        return {}
    checks: dict[int, ItemCheck] = {}
    qs = (
        ItemCheck.objects.filter(
            action__visit_id=visit.visit_id, action__kind=ActionKind.INSPECTION
        )
        .select_related("rectification__notice", "action")
        .order_by("action_id", "item_id")
    )
    for check in qs:
        checks.setdefault(check.item_id, check)
    return checks


def consolidated_form(*, visit: JointVisit) -> ConsolidatedForm:
    entries = list(
        visit.inspections.filter(status=EntryStatus.ACTIVE)
        .select_related("plan__department")
        .prefetch_related("items")
        .order_by("plan__department__name")
    )
    checks = form_checks(visit=visit)
    lines = [
        FormLine(
            e.plan.department.name,
            item,
            FormResult.of(checks[item.pk]) if item.pk in checks else None,
        )
        for e in entries
        for item in e.items.all()
    ]
    notices = sorted(
        {
            c.rectification.notice.pk: c.rectification.notice
            for c in checks.values()
            if getattr(c, "rectification", None)
        }.values(),
        key=lambda n: n.number,
    )
    officers = (
        list(
            visit.visit.officers.select_related("department").order_by(
                "department__name", "badge_no"
            )
        )
        if visit.visit
        else []
    )
    return ConsolidatedForm(
        visit=visit,
        departments=sorted({e.plan.department.name for e in entries}),
        officers=officers,
        lines=lines,
        notices=notices,
    )


def campaign_list(*, published_only: bool = False) -> QuerySet[Campaign]:
    qs = Campaign.objects.select_related("department")
    return qs.exclude(published_at=None) if published_only else qs


def park_day_list(*, scope: Scope | None = None) -> QuerySet[ParkDay]:
    """Park days, newest first: a street coordinator its street's; everyone else (and the
    public pages) all streets'."""
    qs = ParkDay.objects.select_related("street", "park").prefetch_related("departments")
    if scope is not None and scope.street_id:
        qs = qs.filter(street_id=scope.street_id)
    return qs


def campaign_list_for(*, scope: Scope) -> QuerySet[Campaign]:
    """Campaigns a user may manage or review: a department its own, the bureau all."""
    qs = campaign_list().annotate(
        planned=Count("entries", filter=~Q(entries__status=EntryStatus.WITHDRAWN))
    )
    if scope.department_id:
        return qs.filter(department_id=scope.department_id)
    return qs if scope.sees_all else qs.none()


def plan_for(*, department_id: int, month: date) -> MonthlyPlan | None:
    """A department's plan for the month, if one has been started."""
    return (
        MonthlyPlan.objects.select_related("department")
        .filter(department_id=department_id, month=month_start(month))
        .first()
    )


def department_capacity(*, department_id: int) -> DepartmentCapacity | None:
    """The department's own capacity, or None when it uses the defaults."""
    return DepartmentCapacity.objects.filter(department_id=department_id).first()


def assignment_list(*, scope: Scope, month: date) -> QuerySet[PlannedInspection]:
    """A department's planned inspections of the month with the visit each was scheduled
    into and the departments it shares that visit with."""
    return (
        entry_list(scope=scope, month=month)
        .prefetch_related(
            Prefetch(
                "joint_visit__inspections",
                queryset=PlannedInspection.objects.filter(status=EntryStatus.ACTIVE).select_related(
                    "plan__department"
                ),
                to_attr="active_inspections",
            )
        )
        .order_by("joint_visit__date", "earliest", "id")
    )


def run_unplaced(*, scope: Scope, run: ScheduleRun) -> tuple[list[dict], int]:
    """The run's inspections it could not place that the user may see, and how many others
    (in other streets) it could not place either."""
    rows = list(run.unplaced or [])
    if scope.sees_all:
        return rows, 0
    visible = set(
        entry_list(scope=scope, month=run.month)
        .filter(pk__in=[r["entry"] for r in rows])
        .values_list("pk", flat=True)
    )
    shown = [r for r in rows if r["entry"] in visible]
    return shown, len(rows) - len(shown)


def slot_list(*, enterprise_id: int, since: date) -> QuerySet[EnterpriseSlot]:
    return EnterpriseSlot.objects.filter(enterprise_id=enterprise_id, date__gte=since)


def joint_visit_detail(*, scope: Scope, pk: int) -> JointVisit:
    """One visit as the user may see it, with its inspections' items (DoesNotExist otherwise)."""
    return joint_visit_list(scope=scope).prefetch_related("inspections__items").get(pk=pk)


def joint_visit_inspections(*, visit: JointVisit) -> QuerySet[PlannedInspection]:
    return visit.inspections.filter(status=EntryStatus.ACTIVE).select_related("plan__department")


def entry_get(*, scope: Scope, pk: int) -> PlannedInspection:
    """One planned inspection a department may act on (its own), or the bureau may read."""
    qs = PlannedInspection.objects.select_related("plan__department", "enterprise", "joint_visit")
    if scope.department_id:
        qs = qs.filter(plan__department_id=scope.department_id)
    elif not scope.sees_all:
        qs = qs.none()
    return qs.get(pk=pk)


def park_day_setting_get(*, street_id: int) -> ParkDaySetting | None:
    """The street's weekly joint park day, if it has set one."""
    return ParkDaySetting.objects.filter(street_id=street_id).first()


def park_day_public_get(*, code: str) -> ParkDay:
    """One park day as published: its commitment from the start, its seed only once drawn
    (the page decides what to show; DoesNotExist for an unknown code)."""
    return park_day_list().get(code=code)
