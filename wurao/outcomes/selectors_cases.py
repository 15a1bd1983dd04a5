"""Reads of cases, discretion standards, exemption lists and observation periods.

Cases take the reader's Scope: a department sees its own, an enterprise its own decided cases,
the bureau everything (out of scope is a 404). Discretion standards, exemption lists and
observation periods are published rules: every officer reads them all.

What the platform proposes for a case is case_proposal (selectors_cases_proposal.py)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from wurao.accounts.scope import Scope
from wurao.outcomes.choices import CaseStatus, CheckResult, Disposition, Level, Proposal
from wurao.outcomes.models import (
    Case,
    DiscretionBand,
    DiscretionStandard,
    ExemptionEntry,
    ExemptionList,
    ItemCheck,
    ObservationType,
)

# ---------------------------------------------------------------- cases


def case_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[Case]:
    qs = Case.objects.select_related("enterprise", "department", "band", "standard", "exemption")
    filters = filters or {}
    if scope.sees_all:
        pass
    elif scope.department_id:
        qs = qs.filter(department_id=scope.department_id)
    elif scope.enterprise_id:
        # The enterprise reads its cases once decided: an investigation is the department's.
        qs = qs.filter(
            enterprise_id=scope.enterprise_id,
            status__in=(CaseStatus.DECIDED, CaseStatus.CLOSED),
        )
    else:
        return qs.none()
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if disposition := filters.get("disposition"):
        qs = qs.filter(disposition=disposition)
    if department := filters.get("department"):
        qs = qs.filter(department_id=getattr(department, "pk", department))
    if enterprise := filters.get("enterprise"):
        qs = qs.filter(enterprise_id=getattr(enterprise, "pk", enterprise))
    if q := filters.get("q"):
        qs = qs.filter(Q(enterprise__name__contains=q) | Q(number__contains=q))
    return qs.order_by("-opened_on", "-pk")


def case_get(*, scope: Scope, pk: int) -> Case:
    return (
        case_list(scope=scope)
        .prefetch_related(
            Prefetch(
                "checks",
                queryset=ItemCheck.objects.select_related(
                    "item", "action", "rectification"
                ).order_by("pk"),
            ),
            "officers",
            "standard__bands",
        )
        .get(pk=pk)
    )


def finding_get(*, scope: Scope, pk: int) -> ItemCheck:
    """A finding a department may open a case from: one of its own actions' findings."""
    if not scope.department_id:
        raise ItemCheck.DoesNotExist
    return ItemCheck.objects.select_related("action__enterprise", "item").get(
        pk=pk, result=CheckResult.FINDING, action__department_id=scope.department_id
    )


def findings_recent(*, scope: Scope, limit: int = 50) -> list[ItemCheck]:
    """The department's latest findings, to open a case from (each with its cases' count)."""
    if not scope.department_id:
        return []
    return list(
        ItemCheck.objects.filter(
            result=CheckResult.FINDING, action__department_id=scope.department_id
        )
        .select_related("item", "action__enterprise")
        .annotate(case_count=Count("cases"))
        .order_by("-action__date", "-pk")[:limit]
    )


def findings_of_enterprise(*, scope: Scope, enterprise_id: int) -> QuerySet[ItemCheck]:
    """The department's findings at one enterprise, newest first: what a case may cover."""
    if not scope.department_id:
        return ItemCheck.objects.none()
    return (
        ItemCheck.objects.filter(
            result=CheckResult.FINDING,
            action__department_id=scope.department_id,
            action__enterprise_id=enterprise_id,
        )
        .select_related("item", "action")
        .order_by("-action__date", "-pk")
    )


# ---------------------------------------------------------------- discretion standards


def standard_list(*, filters: dict | None = None) -> QuerySet[DiscretionStandard]:
    """Every department's standards: published rules, read by every officer."""
    filters = filters or {}
    qs = DiscretionStandard.objects.select_related("department", "item").prefetch_related(
        Prefetch("bands", queryset=DiscretionBand.objects.order_by("order"))
    )
    if department := filters.get("department"):
        qs = qs.filter(department_id=getattr(department, "pk", department))
    if filters.get("active_only"):
        qs = qs.filter(active=True)
    if q := filters.get("q"):
        qs = qs.filter(Q(violation__contains=q) | Q(code__contains=q))
    return qs.order_by("department__name", "code")


def standard_get(*, pk: int) -> DiscretionStandard:
    return (
        DiscretionStandard.objects.select_related(
            "department",
            "item",
            "breached_article__version__document",
            "penalty_article__version__document",
        )
        .prefetch_related(Prefetch("bands", queryset=DiscretionBand.objects.order_by("order")))
        .get(pk=pk)
    )


def standards_for_department(*, department_id: int) -> QuerySet[DiscretionStandard]:
    return standard_list(filters={"department": department_id, "active_only": True})


# ---------------------------------------------------------------- exemption lists


def exemption_list_list(*, level: str = "", department_id: int | None = None):
    qs = ExemptionList.objects.select_related("department").prefetch_related("entries")
    if level:
        qs = qs.filter(level=level)
    if department_id:
        qs = qs.filter(department_id=department_id)
    return qs.order_by("level", "department__name", "-published_on", "pk")


def exemption_list_get(*, pk: int) -> ExemptionList:
    return ExemptionList.objects.select_related("department").get(pk=pk)


def entries_of_list(*, exemption_list: ExemptionList) -> QuerySet[ExemptionEntry]:
    return exemption_list.entries.select_related("item", "standard").order_by("pk")


def effective_entries(
    *, department_id: int, active_only: bool = True
) -> list[tuple[ExemptionEntry, bool]]:
    """A department's effective exemption entries: the city's, the district's and its own, each
    with whether it is inherited from an upper list (and so read-only to the department)."""
    qs = ExemptionEntry.objects.filter(
        Q(exemption_list__level__in=(Level.CITY, Level.DISTRICT))
        | Q(exemption_list__level=Level.DEPARTMENT, exemption_list__department_id=department_id)
    ).select_related("exemption_list", "item", "standard")
    if active_only:
        qs = qs.filter(active=True)
    order = {Level.CITY: 0, Level.DISTRICT: 1, Level.DEPARTMENT: 2}
    entries = sorted(qs, key=lambda e: (order[e.exemption_list.level], e.exemption_list_id, e.pk))
    return [(e, e.exemption_list.level != Level.DEPARTMENT) for e in entries]


# ---------------------------------------------------------------- observation periods


def observation_list(*, current_on: datetime.date | None = None) -> QuerySet[ObservationType]:
    qs = ObservationType.objects.prefetch_related("tags")
    if current_on:
        qs = qs.filter(starts_on__lte=current_on, ends_on__gte=current_on)
    return qs.order_by("-starts_on", "pk")


def observation_get(*, pk: int) -> ObservationType:
    return ObservationType.objects.prefetch_related("tags").get(pk=pk)


def observation_for(*, enterprise, on: datetime.date) -> ObservationType | None:
    """The observation period the enterprise is in on the day: its industry code starts with
    one of the type's prefixes, or it has one of the type's risk tags."""
    code = enterprise.industry_code or ""
    tags = {t.pk for t in enterprise.risk_tags.all()}
    for observation in observation_list(current_on=on):
        if code and any(code.startswith(str(p)) for p in observation.industry_codes or []):
            return observation
        if tags & {t.pk for t in observation.tags.all()}:
            return observation
    return None


# ---------------------------------------------------------------- oversight figures

_PENALISED = (Disposition.PENALTY, Disposition.MEASURE)
_OVERRIDDEN_EXEMPTION = Q(proposed=Proposal.EXEMPTED, disposition__in=_PENALISED)
_OVERRIDDEN_OBSERVATION = Q(proposed=Proposal.SOFT, disposition__in=_PENALISED) & ~Q(
    override_reason=""
)


def _decided_between(scope: Scope, date_from: datetime.date, date_to: datetime.date):
    return case_list(scope=scope).filter(decided_on__gte=date_from, decided_on__lte=date_to)


def exemption_figures(
    *, scope: Scope, date_from: datetime.date, date_to: datetime.date
) -> list[dict]:
    """Per department, cases decided in the period: exempted (no penalty under an entry),
    overridden (penalised although an entry's conditions held), soft measures, and
    observation overrides (penalised in an observation period with a written reason).
    Counts of decisions, never amounts: departments are not ranked by fines."""
    rows = (
        _decided_between(scope, date_from, date_to)
        .order_by()
        .values("department_id", "department__name")
        .annotate(
            decided=Count("pk"),
            exempted=Count("pk", filter=Q(disposition=Disposition.EXEMPTED)),
            overridden=Count("pk", filter=_OVERRIDDEN_EXEMPTION),
            soft=Count("pk", filter=Q(disposition=Disposition.SOFT)),
            observation_overrides=Count("pk", filter=_OVERRIDDEN_OBSERVATION),
        )
        .order_by("department__name")
    )
    return [
        {
            "department_id": r["department_id"],
            "department": r["department__name"],
            "decided": r["decided"],
            "exempted": r["exempted"],
            "overridden": r["overridden"],
            "soft": r["soft"],
            "observation_overrides": r["observation_overrides"],
        }
        for r in rows
    ]


def override_list(*, scope: Scope, date_from: datetime.date, date_to: datetime.date) -> list[dict]:
    """Each case penalised against the platform's proposal, newest first: the case, its
    department, which proposal was set aside (exemption / observation), the written reason,
    who decided and when."""
    qs = (
        _decided_between(scope, date_from, date_to)
        .filter(_OVERRIDDEN_EXEMPTION | _OVERRIDDEN_OBSERVATION)
        .select_related("decided_by")
        .order_by("-decided_on", "-pk")
    )
    return [
        {
            "case": case,
            "department": case.department,
            "kind": "exemption" if case.proposed == Proposal.EXEMPTED else "observation",
            "reason": case.override_reason,
            "by": case.decided_by,
            "on": case.decided_on,
        }
        for case in qs
    ]
