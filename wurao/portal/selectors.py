"""The enterprise's home: one read over the capabilities, each section from the owning app's
selectors, scoped to the enterprise itself."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import get_language

from wurao.accounts.scope import Scope
from wurao.credit import selectors as credit_selectors
from wurao.credit.selectors_grading import enterprise_breakdown
from wurao.planning import selectors as planning_selectors
from wurao.planning.choices import JointVisitStatus
from wurao.registry.models import Enterprise
from wurao.visits import selectors as visit_selectors

# The reasons shown on the home page: the largest, each way; the credit page lists them all.
REASONS_SHOWN = 3


@dataclass
class PortalHome:
    enterprise: Enterprise
    today: datetime.date
    counts: visit_selectors.EnterpriseCounts
    grade: object | None  # EnterpriseGrade
    reasons: list[dict]
    joint_visits: list
    sections: dict = field(default_factory=dict)


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
    return PortalHome(
        enterprise=enterprise,
        today=today,
        counts=visit_selectors.enterprise_counts(enterprise_id=enterprise.pk, year=today.year),
        grade=grade,
        reasons=_reasons(enterprise.pk, grade),
        joint_visits=list(joint),
    )
