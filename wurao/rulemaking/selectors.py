"""Reads of the conflict register, consultations and contact points, each under a Scope.

The register (accepted conflicts) and published consultations are public; everything else is
seen by its own: a report by the reporter's organisation, a draft by its department, a contact
point by its enterprise and street. The justice bureau sees everything."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from wurao.accounts.scope import Scope
from wurao.rulemaking.choices import REGISTER_STATUSES, ConflictStatus, ConsultationStatus
from wurao.rulemaking.models import Comment, Conflict, Consultation, ContactPoint, Feedback

# ---------------------------------------------------------------- articles


def article_url(article) -> str:
    """The page of a cited article in the standards library: the one place to change when
    its URLs change."""
    document_id = article.version.document_id
    try:
        base = reverse("standards:document-detail", kwargs={"pk": document_id})
    except NoReverseMatch:
        base = f"/standards/{document_id}/"
    return f"{base}#{article.anchor}"


# ---------------------------------------------------------------- conflicts


def _own_reports(scope: Scope) -> Q:
    if scope.sees_all:
        return Q()
    if scope.enterprise_id:
        return Q(enterprise_id=scope.enterprise_id)
    if scope.department_id:
        return Q(department_id=scope.department_id)
    if scope.street_id:
        return Q(street_id=scope.street_id)
    return Q(pk__in=[])


def _conflicts() -> QuerySet[Conflict]:
    return Conflict.objects.select_related("coordinating_department").prefetch_related(
        "requirements__article__version__document", "requirements__department"
    )


def conflict_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[Conflict]:
    """The register: accepted conflicts, for anyone."""
    filters = filters or {}
    conflicts = _conflicts().filter(status__in=REGISTER_STATUSES)
    if filters.get("status"):
        conflicts = conflicts.filter(status=filters["status"])
    if filters.get("q"):
        q = filters["q"]
        conflicts = conflicts.filter(
            Q(topic__icontains=q) | Q(situation__icontains=q) | Q(requirements__text__icontains=q)
        ).distinct()
    if filters.get("department"):
        d = filters["department"]
        conflicts = conflicts.filter(
            Q(coordinating_department_id=d) | Q(requirements__department_id=d)
        ).distinct()
    return conflicts


def conflict_report_list(*, scope: Scope) -> QuerySet[Conflict]:
    """Reports not (or not yet) in the register: the bureau's queue, the reporter's own."""
    statuses = (ConflictStatus.REPORTED, ConflictStatus.DECLINED)
    return _conflicts().filter(_own_reports(scope), status__in=statuses)


def conflict_get(*, scope: Scope, pk: int) -> Conflict:
    """A registered conflict for anyone; a report only for its reporter and the bureau."""
    conflicts = _conflicts()
    if not scope.sees_all:
        conflicts = conflicts.filter(Q(status__in=REGISTER_STATUSES) | _own_reports(scope))
    return conflicts.get(pk=pk)


# ---------------------------------------------------------------- consultations


def _published_or_own(scope: Scope) -> Q:
    published = ~Q(status=ConsultationStatus.DRAFT)
    if scope.sees_all:
        return Q()
    if scope.department_id:
        return published | Q(department_id=scope.department_id)
    return published


def consultation_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[Consultation]:
    filters = filters or {}
    consultations = (
        Consultation.objects.filter(_published_or_own(scope))
        .select_related("department", "document")
        .annotate(
            n_comments=Count("comments", distinct=True),
            n_unanswered=Count("comments", filter=Q(comments__answered_at=None), distinct=True),
        )
        .order_by("-starts_on", "-pk")
    )
    if filters.get("status"):
        consultations = consultations.filter(status=filters["status"])
    if filters.get("department"):
        consultations = consultations.filter(department_id=filters["department"])
    return consultations


def consultation_get(*, scope: Scope, pk: int) -> Consultation:
    return (
        Consultation.objects.filter(_published_or_own(scope))
        .select_related("department", "document")
        .get(pk=pk)
    )


def comment_list(*, consultation: Consultation) -> QuerySet[Comment]:
    return consultation.comments.select_related("article__version__document")


# ---------------------------------------------------------------- contact points


def _contact_scope(scope: Scope) -> Q:
    if scope.sees_all:
        return Q()
    if scope.street_id:
        return Q(street_id=scope.street_id)
    if scope.enterprise_id:
        return Q(enterprise_id=scope.enterprise_id)
    return Q(pk__in=[])


def contact_point_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[ContactPoint]:
    filters = filters or {}
    points = (
        ContactPoint.objects.filter(_contact_scope(scope))
        .select_related("enterprise", "street")
        .annotate(
            n_feedback=Count("feedback", distinct=True),
            n_open=Count("feedback", filter=Q(feedback__closed_on=None), distinct=True),
        )
        .order_by("street__code", "enterprise__name", "pk")
    )
    if filters.get("street"):
        points = points.filter(street_id=filters["street"])
    return points


def contact_point_get(*, scope: Scope, pk: int) -> ContactPoint:
    return (
        ContactPoint.objects.filter(_contact_scope(scope))
        .select_related("enterprise", "street")
        .get(pk=pk)
    )


def feedback_get(*, scope: Scope, pk: int) -> Feedback:
    points = ContactPoint.objects.filter(_contact_scope(scope))
    return Feedback.objects.select_related("contact_point").get(contact_point__in=points, pk=pk)


def article_find(*, document: str, number: str):
    """The article of a document named by its designation or title (the current version
    first), or None."""
    from wurao.standards.models import Article

    document, number = document.strip().strip("《》"), number.strip()
    if not document or not number:
        return None
    return (
        Article.objects.filter(
            Q(version__document__designation=document) | Q(version__document__title=document),
            number=number,
        )
        .select_related("version__document")
        .order_by("-version__effective_from")
        .first()
    )


def document_choices():
    from wurao.standards.models import Document

    return Document.objects.order_by("kind", "title")


def consultation_followed_list(*, scope: Scope) -> QuerySet[Consultation]:
    """For an enterprise's portal: the consultations it commented on (published ones only),
    newest first; nothing for anyone else."""
    if not scope.enterprise_id:
        return Consultation.objects.none()
    return (
        consultation_list(scope=scope)
        .filter(comments__enterprise_id=scope.enterprise_id)
        .distinct()
    )
