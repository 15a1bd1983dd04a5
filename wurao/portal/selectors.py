"""The enterprise's home: one read over the capabilities, each section from the owning app's
selectors, scoped to the enterprise itself."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import get_language

from wurao.accounts.scope import Scope
from wurao.bookings import selectors as booking_selectors
from wurao.bookings.choices import BookingStatus
from wurao.complaints import selectors as complaint_selectors
from wurao.complaints.choices import OPEN_STATUSES, Status
from wurao.credit import selectors as credit_selectors
from wurao.credit.selectors_grading import enterprise_breakdown
from wurao.outcomes import selectors_findings as findings_selectors
from wurao.planning import selectors as planning_selectors
from wurao.planning.choices import JointVisitStatus
from wurao.registry.models import Enterprise
from wurao.rulemaking import selectors as rulemaking_selectors
from wurao.rulemaking.choices import ConsultationStatus
from wurao.selfcheck import selectors as selfcheck_selectors
from wurao.selfcheck.choices import InspectionStatus
from wurao.visits import selectors as visit_selectors

# The reasons shown on the home page: the largest, each way; the credit page lists them all.
REASONS_SHOWN = 3
# Each list on the home page shows a few; its own page has the rest.
SHOWN = 5


@dataclass
class PortalHome:
    enterprise: Enterprise
    today: datetime.date
    counts: visit_selectors.EnterpriseCounts
    grade: object | None  # EnterpriseGrade
    reasons: list[dict]
    joint_visits: list
    bookings: list = field(default_factory=list)
    selfcheck_open: object | None = None  # the self-inspection under way
    selfcheck_last: object | None = None  # the latest completed
    complaints: list = field(default_factory=list)
    consultations_open: list = field(default_factory=list)
    consultations_followed: list = field(default_factory=list)
    rectifications_open: list = field(default_factory=list)  # soonest deadline first
    rectifications_open_count: int = 0


def _reasons(enterprise_id: int, grade) -> list[dict]:
    """The records that moved the grade most, as the credit page words them."""
    if grade is None:
        return []
    breakdown = enterprise_breakdown(
        enterprise_id=enterprise_id, as_of=grade.as_of, version=grade.table_version
    )
    english = get_language() == "en"
    rows = sorted(breakdown["rows"], key=lambda r: -abs(r["points"]))[:REASONS_SHOWN]
    return [
        {"reason": r["reason_en"] if english else r["reason_zh"], "points": r["points"]}
        for r in rows
    ]


def portal_home(*, enterprise: Enterprise) -> PortalHome:
    today = timezone.localdate()
    scope = Scope(enterprise_id=enterprise.pk)
    grade = credit_selectors.enterprise_grade_get(enterprise_id=enterprise.pk)
    joint = (
        planning_selectors.joint_visit_list(scope=scope)
        .filter(date__gte=today, status__in=[JointVisitStatus.PROPOSED, JointVisitStatus.CONFIRMED])
        .order_by("date", "id")[:5]
    )
    bookings = booking_selectors.booking_list(scope=scope, filters=None).filter(
        status__in=[BookingStatus.REQUESTED, BookingStatus.CONFIRMED]
    )
    upcoming, _ = booking_selectors.booking_upcoming_split(bookings)
    inspections = selfcheck_selectors.inspection_list(scope=scope)
    # Complaints it filed under its name and still follows: open, or answered and not rated.
    complaints = (
        complaint_selectors.complaint_mine(scope=scope)
        .filter(status__in=[*OPEN_STATUSES, Status.ANSWERED])
        .order_by("-filed_at")[:SHOWN]
    )
    consultations = rulemaking_selectors.consultation_list(scope=scope)
    rectifications = findings_selectors.rectifications_open_mine(enterprise_id=enterprise.pk)
    return PortalHome(
        enterprise=enterprise,
        today=today,
        counts=visit_selectors.enterprise_counts(enterprise_id=enterprise.pk, year=today.year),
        grade=grade,
        reasons=_reasons(enterprise.pk, grade),
        joint_visits=list(joint),
        bookings=upcoming[:SHOWN],
        selfcheck_open=selfcheck_selectors.inspection_in_progress(enterprise_id=enterprise.pk),
        selfcheck_last=inspections.filter(status=InspectionStatus.COMPLETED)
        .order_by("-completed_on", "-pk")
        .first(),
        complaints=list(complaints),
        consultations_open=list(
            consultations.filter(status=ConsultationStatus.OPEN, ends_on__gte=today)[:SHOWN]
        ),
        consultations_followed=list(
            rulemaking_selectors.consultation_followed_list(scope=scope)[:SHOWN]
        ),
        rectifications_open=list(rectifications[:SHOWN]),
        rectifications_open_count=rectifications.count(),
    )
