"""Reading findings and rectifications, always through a Scope: a department its own, a street
its area's, an enterprise itself, the bureau all (out of scope: DoesNotExist, a 404). And the
two feeds the credit grading reads: open hazards and overdue rectifications."""

import datetime

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from wurao.accounts.scope import Scope
from wurao.enforcement.choices import ActionKind, Origin
from wurao.enforcement.models import EnforcementAction
from wurao.enforcement.selectors import action_list
from wurao.outcomes.choices import CheckResult, ClashStatus, RectificationStatus
from wurao.outcomes.models import (
    Evidence,
    FindingNotice,
    ItemCheck,
    Rectification,
    RequirementClash,
)

# The list's status filter: the model's three, and "open" (not closed) for the usual view.
OPEN = "open"


def _scoped(qs: QuerySet, scope: Scope, *, enterprise: str = "enterprise") -> QuerySet:
    if scope.sees_nothing:
        return qs.none()
    if scope.department_id:
        return qs.filter(department_id=scope.department_id)
    if scope.street_id:
        return qs.filter(**{f"{enterprise}__street_id": scope.street_id})
    if scope.enterprise_id:
        return qs.filter(**{f"{enterprise}_id": scope.enterprise_id})
    return qs


def overdue_now(today: datetime.date) -> Q:
    """Past its deadline and not closed (live, whether or not the daily flagging has run)."""
    return Q(deadline__lt=today) & ~Q(status=RectificationStatus.CLOSED)


def rectification_list(
    *, scope: Scope, filters: dict | None = None, today: datetime.date | None = None
) -> QuerySet[Rectification]:
    """Rectifications a user may see, each with `is_overdue` (live). Filters: status (or
    "open"), overdue (True), topic, enterprise, department, date_from / date_to (the day the
    notice was issued)."""
    today = today or timezone.localdate()
    qs = _scoped(
        Rectification.objects.select_related(
            "enterprise", "department", "notice", "item_check__item"
        ),
        scope,
    ).annotate(
        is_overdue=Case(
            When(overdue_now(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    filters = filters or {}
    status = filters.get("status")
    if status == OPEN:
        qs = qs.exclude(status=RectificationStatus.CLOSED)
    elif status:
        qs = qs.filter(status=status)
    if filters.get("overdue"):
        qs = qs.filter(overdue_now(today))
    for key in ("topic", "enterprise", "department"):
        if value := filters.get(key):
            qs = qs.filter(**{key: value})
    if start := filters.get("date_from"):
        qs = qs.filter(notice__issued_on__gte=start)
    if end := filters.get("date_to"):
        qs = qs.filter(notice__issued_on__lte=end)
    return qs.order_by("deadline", "pk")


def rectification_get(*, scope: Scope, pk: int) -> Rectification:
    return rectification_list(scope=scope).get(pk=pk)


def rectification_counts(*, scope: Scope, today: datetime.date | None = None) -> dict:
    """How many are open, overdue, reported (awaiting a check) — the list's header."""
    today = today or timezone.localdate()
    return _scoped(Rectification.objects.all(), scope).aggregate(
        open=Count("pk", filter=~Q(status=RectificationStatus.CLOSED)),
        reported=Count("pk", filter=Q(status=RectificationStatus.REPORTED)),
        overdue=Count("pk", filter=overdue_now(today)),
    )


def reports_of(rectification: Rectification) -> list:
    return list(
        rectification.reports.select_related("submitted_by")
        .prefetch_related("files")
        .order_by("submitted_at", "pk")
    )


def notice_get(*, scope: Scope, pk: int) -> FindingNotice:
    qs = FindingNotice.objects.select_related("action__department", "action__enterprise")
    if scope.department_id:
        qs = qs.filter(action__department_id=scope.department_id)
    elif scope.street_id:
        qs = qs.filter(action__enterprise__street_id=scope.street_id)
    elif scope.enterprise_id:
        qs = qs.filter(action__enterprise_id=scope.enterprise_id)
    elif not scope.sees_all:
        qs = qs.none()
    return qs.get(pk=pk)


def notice_list_mine(*, scope: Scope) -> QuerySet[FindingNotice]:
    """An enterprise's notices, newest first, with how many of their rectifications are open."""
    if not scope.enterprise_id:
        return FindingNotice.objects.none()
    return (
        FindingNotice.objects.filter(action__enterprise_id=scope.enterprise_id)
        .select_related("action__department")
        .annotate(
            open_count=Count(
                "rectifications", filter=~Q(rectifications__status=RectificationStatus.CLOSED)
            ),
            total=Count("rectifications"),
        )
        .order_by("-issued_on", "-pk")
    )


# ---------------------------------------------------------------- one action's findings


def action_for_findings(*, scope: Scope, pk: int) -> EnforcementAction:
    """An inspection the user may see (a department: its own), for its item results."""
    return (
        action_list(scope=scope)
        .filter(kind=ActionKind.INSPECTION)
        .prefetch_related("items", "officers")
        .get(pk=pk)
    )


def checks_of(action: EnforcementAction) -> list[ItemCheck]:
    return list(
        ItemCheck.objects.filter(action=action)
        .select_related("item")
        .prefetch_related("evidence")
        .order_by("item__code", "pk")
    )


def notice_of(action: EnforcementAction) -> FindingNotice | None:
    return FindingNotice.objects.filter(action=action).first()


def rechecks_for(*, rectification: Rectification) -> QuerySet[EnforcementAction]:
    """The department's re-check inspections (origin 整改复查) of the enterprise since the
    notice: what a re-check result may name."""
    return EnforcementAction.objects.filter(
        department_id=rectification.department_id,
        enterprise_id=rectification.enterprise_id,
        kind=ActionKind.INSPECTION,
        origin=Origin.RECHECK,
        date__gte=rectification.notice.issued_on,
    ).order_by("-date", "-pk")


def evidence_get(*, scope: Scope, pk: int) -> Evidence:
    """A file, for whoever may see what it is evidence of: an item's finding (the action's
    scope) or a rectification report (the rectification's)."""
    evidence = Evidence.objects.select_related("item_check", "report", "action").get(pk=pk)
    if evidence.report_id:
        rectification_get(scope=scope, pk=evidence.report.rectification_id)
    else:
        action_id = evidence.action_id or evidence.item_check.action_id
        action_list(scope=scope).get(pk=action_id)
    return evidence


# ---------------------------------------------------------------- clashes


def clash_list(*, scope: Scope, status: str = "") -> QuerySet[RequirementClash]:
    """Clashes a user may see: the bureau all; a department those naming its rectifications;
    a street its area's; an enterprise none (the bureau's business)."""
    qs = RequirementClash.objects.select_related("enterprise").prefetch_related(
        "rectifications__department", "rectifications__item_check__item"
    )
    if scope.sees_nothing or scope.enterprise_id:
        return qs.none()
    if scope.department_id:
        qs = qs.filter(
            Exists(
                Rectification.clashes.through.objects.filter(
                    requirementclash_id=OuterRef("pk"),
                    rectification__department_id=scope.department_id,
                )
            )
        )
    elif scope.street_id:
        qs = qs.filter(enterprise__street_id=scope.street_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by(
        Case(When(status=ClashStatus.OPEN, then=Value(0)), default=Value(1)), "-flagged_at", "-pk"
    )


def clash_get(*, scope: Scope, pk: int) -> RequirementClash:
    return clash_list(scope=scope).get(pk=pk)


# ---------------------------------------------------------------- the portal


def rectifications_open_mine(*, enterprise_id: int) -> QuerySet[Rectification]:
    """The enterprise's open rectifications, soonest deadline first."""
    return rectification_list(
        scope=Scope(enterprise_id=enterprise_id), filters={"status": OPEN}
    ).order_by("deadline", "pk")


# ---------------------------------------------------------------- grading feeds


def open_hazards_for_grading(
    *, as_of: datetime.date, enterprise_ids: list[int] | None = None
) -> list[tuple[int, int, datetime.date, int]]:
    """(check id, enterprise id, action date, hazard) of every finding with a hazard still open
    on `as_of`: no rectification, or one not closed by then (closed after `as_of` means it was
    still open that day). The points table's 未整改隐患 counts it while it is open."""
    closed_by_then = Exists(
        Rectification.objects.filter(
            item_check_id=OuterRef("pk"),
            status=RectificationStatus.CLOSED,
            closed_on__lte=as_of,
        )
    )
    qs = (
        ItemCheck.objects.filter(result=CheckResult.FINDING, hazard__gt=0, action__date__lte=as_of)
        .exclude(closed_by_then)
        .values_list("pk", "action__enterprise_id", "action__date", "hazard")
    )
    if enterprise_ids is not None:
        qs = qs.filter(action__enterprise_id__in=enterprise_ids)
    return list(qs.iterator(chunk_size=20_000))


def overdue_for_grading(
    *, as_of: datetime.date, enterprise_ids: list[int] | None = None
) -> list[tuple[int, int, datetime.date]]:
    """(rectification id, enterprise id, overdue day) of every rectification overdue by
    `as_of` (逾期未整改, a record from its overdue day, kept when it closes later)."""
    qs = Rectification.objects.filter(overdue_on__lte=as_of).values_list(
        "pk", "enterprise_id", "overdue_on"
    )
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=enterprise_ids)
    return list(qs.iterator(chunk_size=20_000))
