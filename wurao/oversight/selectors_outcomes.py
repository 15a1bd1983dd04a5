"""部门比较's outcome figures: per department, in the slice's period and the viewer's scope,
what its inspections found and what became of it — findings, rectifications ordered and
closed, the closing rate and median days, overdue ones; exemptions applied and overridden,
soft measures (from the cases' figures, outcomes.selectors_cases); the off-site share of its
inspections. Counts and rates only: never the number of penalties or the amount of fines
(the study, 三.八: no ranking of departments by fines)."""

from __future__ import annotations

from statistics import median

from django.db.models import Count, Q

from wurao.accounts.scope import Scope
from wurao.outcomes.choices import CheckResult, RectificationStatus
from wurao.outcomes.models import ItemCheck, Rectification
from wurao.outcomes.selectors_cases import exemption_figures, override_list

EMPTY = {
    "findings": 0,
    "rect_ordered": 0,
    "rect_closed": 0,
    "rect_rate": None,
    "rect_median_days": None,
    "rect_overdue": 0,
    "exempted": 0,
    "overridden": 0,
    "soft": 0,
}


def _scoped(qs, scope: Scope, slice, *, prefix: str = ""):
    """Rows of `qs` (with department_id and enterprise) as far as the viewer sees and the
    slice narrows by department and street."""
    if scope.sees_nothing or scope.enterprise_id:
        return qs.none()
    if scope.department_id:
        qs = qs.filter(**{f"{prefix}department_id": scope.department_id})
    elif scope.street_id:
        qs = qs.filter(**{f"{prefix}enterprise__street_id": scope.street_id})
    if slice.department_id:
        qs = qs.filter(**{f"{prefix}department_id": slice.department_id})
    if slice.street_id:
        qs = qs.filter(**{f"{prefix}enterprise__street_id": slice.street_id})
    return qs


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def department_outcomes(*, scope: Scope, slice) -> dict[int, dict]:
    """Per department id: the outcome figures (EMPTY's keys) for the slice's period.

    Findings by their inspection's date; rectifications by the day they were ordered (the
    notice's date): of those, how many are closed, the median days from order to closure,
    and how many went past their deadline (closed late or still open)."""
    period = {"date_from": slice.date_from, "date_to": slice.date_to}
    rows: dict[int, dict] = {}

    def row(pk: int) -> dict:
        return rows.setdefault(pk, dict(EMPTY))

    findings = (
        _scoped(ItemCheck.objects.all(), scope, slice, prefix="action__")
        .filter(
            result=CheckResult.FINDING,
            action__date__gte=period["date_from"],
            action__date__lte=period["date_to"],
        )
        .order_by()
        .values("action__department_id")
        .annotate(n=Count("pk"))
    )
    for r in findings:
        row(r["action__department_id"])["findings"] = r["n"]

    ordered = _scoped(Rectification.objects.all(), scope, slice).filter(
        notice__issued_on__gte=period["date_from"], notice__issued_on__lte=period["date_to"]
    )
    for r in (
        ordered.order_by()
        .values("department_id")
        .annotate(
            ordered=Count("pk"),
            closed=Count("pk", filter=Q(status=RectificationStatus.CLOSED)),
            overdue=Count("pk", filter=Q(overdue_on__isnull=False)),
        )
    ):
        row(r["department_id"]).update(
            rect_ordered=r["ordered"],
            rect_closed=r["closed"],
            rect_overdue=r["overdue"],
            rect_rate=_share(r["closed"], r["ordered"]),
        )
    days: dict[int, list[int]] = {}
    for department_id, issued, closed in ordered.filter(
        status=RectificationStatus.CLOSED, closed_on__isnull=False
    ).values_list("department_id", "notice__issued_on", "closed_on"):
        days.setdefault(department_id, []).append((closed - issued).days)
    for department_id, spans in days.items():
        row(department_id)["rect_median_days"] = round(median(spans), 1)

    for r in exemption_figures(scope=_case_scope(scope, slice), **period):
        row(r["department_id"]).update(
            exempted=r["exempted"], overridden=r["overridden"], soft=r["soft"]
        )
    return rows


def _case_scope(scope: Scope, slice) -> Scope:
    """Cases are read by department (a street reads none: case_list's own rule); a department
    chosen in the slice narrows the bureau's view to it."""
    if scope.sees_all and slice.department_id:
        return Scope(department_id=slice.department_id)
    return scope


def exemption_overrides(*, scope: Scope, slice) -> list[dict]:
    """The bureau's drill-down: each case penalised although the exemption list (or the
    observation period) proposed otherwise, with the written reason."""
    return override_list(
        scope=_case_scope(scope, slice), date_from=slice.date_from, date_to=slice.date_to
    )


def off_site_share(row: dict) -> float | None:
    """The share of a department's inspections done off-site (非现场检查), in per cent."""
    return _share(row.get("off_site", 0), row.get("inspections", 0))
