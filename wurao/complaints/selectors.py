"""Reads on complaints and whistleblowing, scoped: the bureau sees every case; a department
sees only the statement requests and reports addressed to it (never a Complaint); an
enterprise its own named complaints; anyone else a case only by its receipt and secret."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.hashers import check_password, make_password
from django.db.models import Case, Count, Q, QuerySet, When
from django.utils import timezone

from wurao.accounts.scope import Scope
from wurao.complaints.choices import COUNTED_FINDINGS, OPEN_STATUSES, Status, WhistleStatus
from wurao.complaints.identity import filer_tag
from wurao.complaints.models import (
    Complaint,
    IdentityReveal,
    StatementRequest,
    WhistleReport,
    receipt_normalise,
)

_DUMMY_HASH = None


def _secret_matches(secret: str, encoded: str | None) -> bool:
    """The secret against its hash; an unknown receipt costs the same time as a wrong secret."""
    global _DUMMY_HASH
    if encoded is None:
        _DUMMY_HASH = _DUMMY_HASH or make_password("not-a-secret")
        check_password(secret or "", _DUMMY_HASH)
        return False
    return check_password(receipt_normalise(secret), encoded)


def complaint_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[Complaint]:
    """The supervision office's queue: the bureau only (a department never lists complaints)."""
    if not scope.sees_all:
        return Complaint.objects.none()
    # Open cases first, the nearest deadline on top; then the rest, newest first.
    qs = Complaint.objects.select_related("department", "officer", "visit").order_by(
        Case(When(status__in=OPEN_STATUSES, then=0), default=1),
        "-escalated",
        "accept_due",
        "-filed_at",
    )
    filters = filters or {}
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if category := filters.get("category"):
        qs = qs.filter(category=category)
    if filters.get("overdue"):
        qs = qs.filter(escalated=True, status__in=OPEN_STATUSES)
    if filters.get("open"):
        qs = qs.filter(status__in=OPEN_STATUSES)
    return qs


def complaint_get(*, scope: Scope, pk: int) -> Complaint:
    return complaint_list(scope=scope).get(pk=pk)


def complaint_mine(*, scope: Scope) -> QuerySet[Complaint]:
    """An enterprise's complaints filed under its name."""
    if not scope.enterprise_id:
        return Complaint.objects.none()
    return Complaint.objects.filter(filer_tag=filer_tag(scope.enterprise_id), anonymous=False)


def complaint_track(*, receipt: str, secret: str) -> Complaint | None:
    encoded = (
        Complaint.objects.filter(receipt=receipt_normalise(receipt))
        .values_list("secret_hash", flat=True)
        .first()
    )
    if not _secret_matches(secret, encoded):
        return None
    return Complaint.objects.get(receipt=receipt_normalise(receipt))


def stage_overdue(complaint: Complaint, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    if complaint.status == Status.RECEIVED:
        return today > complaint.accept_due
    if complaint.status in (Status.ACCEPTED, Status.INVESTIGATING) and complaint.answer_due:
        return today > complaint.answer_due
    return False


def statement_list(*, scope: Scope) -> QuerySet[StatementRequest]:
    """Statement requests: a department its own, the bureau all. Only the summary and the
    dates are ever read by a department (views_department)."""
    qs = StatementRequest.objects.select_related("department").only(
        "pk", "department", "summary", "requested_at", "due_on", "answer", "answered_at"
    )
    if scope.sees_all:
        return qs
    if scope.department_id:
        return qs.filter(department_id=scope.department_id)
    return qs.none()


def statement_get(*, scope: Scope, pk: int) -> StatementRequest:
    return statement_list(scope=scope).get(pk=pk)


def whistle_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[WhistleReport]:
    qs = WhistleReport.objects.select_related("enterprise", "department")
    if scope.sees_all:
        if status := (filters or {}).get("status"):
            qs = qs.filter(status=status)
        return qs
    if scope.department_id:
        return qs.filter(department_id=scope.department_id).exclude(status=WhistleStatus.RECEIVED)
    return qs.none()


def whistle_get(*, scope: Scope, pk: int) -> WhistleReport:
    return whistle_list(scope=scope).get(pk=pk)


def whistle_track(*, receipt: str, secret: str) -> WhistleReport | None:
    encoded = (
        WhistleReport.objects.filter(receipt=receipt_normalise(receipt))
        .values_list("secret_hash", flat=True)
        .first()
    )
    if not _secret_matches(secret, encoded):
        return None
    return WhistleReport.objects.get(receipt=receipt_normalise(receipt))


def reveal_list(*, scope: Scope, report: WhistleReport) -> QuerySet[IdentityReveal]:
    if not scope.sees_all:
        return IdentityReveal.objects.none()
    return report.reveals.select_related("requested_by", "approved_by")


def reveal_get(*, scope: Scope, pk: int) -> IdentityReveal:
    if not scope.sees_all:
        raise IdentityReveal.DoesNotExist
    return IdentityReveal.objects.select_related("report", "requested_by").get(
        pk=pk, report__isnull=False
    )


def conduct_counts(*, date_from: date, date_to: date) -> dict:
    """Substantiated (in whole or part) complaints per department and per officer, filed in
    the period: the oversight dashboard's conduct figures. Counts only, never a complainant;
    never an input of any enterprise's grade."""
    qs = Complaint.objects.filter(
        filed_on__gte=date_from, filed_on__lte=date_to, finding__in=COUNTED_FINDINGS
    )
    per_department = dict(
        qs.exclude(department=None)
        .values_list("department_id")
        .annotate(n=Count("id"))
        .values_list("department_id", "n")
    )
    all_filed = dict(
        Complaint.objects.filter(filed_on__gte=date_from, filed_on__lte=date_to)
        .exclude(department=None)
        .values_list("department_id")
        .annotate(n=Count("id"))
        .values_list("department_id", "n")
    )
    officers = list(
        qs.exclude(officer=None)
        .values("officer_id", "officer__name", "officer__badge_no", "officer__department_id")
        .annotate(n=Count("id"))
        .order_by("-n", "officer__badge_no")
    )
    return {"substantiated": per_department, "filed": all_filed, "officers": officers}


def office_counts(*, scope: Scope) -> dict:
    qs = complaint_list(scope=scope)
    return qs.aggregate(
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        escalated=Count("id", filter=Q(status__in=OPEN_STATUSES, escalated=True)),
        received=Count("id", filter=Q(status=Status.RECEIVED)),
    )
