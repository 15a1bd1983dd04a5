"""What the supervision pages read: an enterprise's year against its caps, ratings,
alerts and refusals."""

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from wurao.accounts.scope import Scope
from wurao.catalogue import selectors as catalogue_selectors
from wurao.registry import selectors as registry_selectors
from wurao.visits import alerts as visit_alerts
from wurao.visits import rules as visit_rules
from wurao.visits.choices import VisitKind, VisitStatus
from wurao.visits.models import Visit, VisitRating, VisitRefusal
from wurao.visits.selectors.registration import (
    COUNTED_STATUSES,
    enterprise_limits,
    rules_current,
)
from wurao.visits.selectors.visits import visit_list


@dataclass(frozen=True)
class CapUse:
    department: str
    used: int
    cap: int | None


@dataclass(frozen=True)
class EnterpriseCounts:
    """An enterprise's year against its caps: what the portal shows."""

    year: int
    grade: str
    limits: visit_rules.GradeLimits
    inspections: int
    non_enforcement: int
    by_department: list[CapUse]
    exempt_inspections: int


def enterprise_counts(*, enterprise_id: int, year: int) -> EnterpriseCounts:
    rules = rules_current()
    grade, limits = enterprise_limits(enterprise_id=enterprise_id, rules=rules)
    visits = Visit.objects.filter(
        enterprise_id=enterprise_id, date__year=year, status__in=COUNTED_STATUSES
    )
    inspection = Q(kind=VisitKind.INSPECTION)
    exempt = sorted(rules.exempt_origins)
    # The three counts in one statement (every portal page load asks for them).
    totals = visits.aggregate(
        inspections=Count("id", filter=inspection),
        non_enforcement=Count("id", filter=Q(kind=VisitKind.NON_ENFORCEMENT)),
        **({"exempt": Count("id", filter=inspection & Q(origin__in=exempt))} if exempt else {}),
    )
    by_department = (
        visits.filter(inspection)
        .values("departments__name")
        .annotate(n=Count("id"))
        .order_by("-n", "departments__name")
    )
    return EnterpriseCounts(
        year=year,
        grade=grade,
        limits=limits,
        inspections=totals["inspections"],
        non_enforcement=totals["non_enforcement"],
        by_department=[
            CapUse(row["departments__name"], row["n"], limits.department_cap)
            for row in by_department
        ],
        exempt_inspections=totals.get("exempt", 0),
    )


@dataclass(frozen=True)
class RatingSummary:
    department: str
    count: int
    average: float | None
    tags: dict[str, int]
    hidden: bool  # fewer ratings than the minimum: a department sees nothing


def rating_summary(*, scope: Scope, filters: dict | None = None) -> list[RatingSummary]:
    """Ratings per department. A department sees only its own aggregate, and only over at
    least `rating_min_count` ratings (k-anonymity); the justice bureau sees every department."""
    minimum = rules_current().rating_min_count
    ratings = VisitRating.objects.all()
    if filters and (year := filters.get("year")):
        ratings = ratings.filter(visit__date__year=year)
    if not scope.sees_all:
        if not scope.department_id:
            return []
        ratings = ratings.filter(visit__departments=scope.department_id)
    rows = (
        ratings.values("visit__departments", "visit__departments__name")
        .annotate(n=Count("id", distinct=True), avg=Avg("score"))
        .order_by("visit__departments__name")
    )
    if scope.department_id:
        rows = rows.filter(visit__departments=scope.department_id)
    summaries = []
    for row in rows:
        hidden = row["n"] < minimum and not scope.sees_all
        tags: dict[str, int] = {}
        if not hidden:
            for tag_list in ratings.filter(
                visit__departments=row["visit__departments"]
            ).values_list("tags", flat=True):
                for tag in tag_list:
                    tags[tag] = tags.get(tag, 0) + 1
        summaries.append(
            RatingSummary(
                department=row["visit__departments__name"],
                count=row["n"],
                average=None if hidden else round(row["avg"], 2),
                tags=tags,
                hidden=hidden,
            )
        )
    return summaries


def ratings_list(*, scope: Scope) -> QuerySet[VisitRating]:
    """Individual ratings: the justice bureau only."""
    if not scope.sees_all:
        return VisitRating.objects.none()
    return VisitRating.objects.select_related("visit", "visit__enterprise", "visit__department")


def visits_pending_rating(*, enterprise_id: int) -> QuerySet[Visit]:
    """Finished visits the enterprise has not rated and may still rate (VISIT_RATING_DAYS)."""
    since = timezone.localdate() - timedelta(days=settings.VISIT_RATING_DAYS)
    return Visit.objects.filter(
        enterprise_id=enterprise_id,
        status=VisitStatus.COMPLETED,
        rating__isnull=True,
        date__gte=since,
    )


@dataclass(frozen=True)
class AlertView:
    """An alert with the names a person needs: what the justice bureau's list shows."""

    alert: visit_alerts.Alert
    enterprise_name: str
    credit_code: str
    item_name: str = ""

    @property
    def label(self) -> str:
        return gettext(visit_alerts.ALERT_LABELS[self.alert.kind])


def visit_alerts_list(
    *, scope: Scope, date_from: date, date_to: date, kind: str = ""
) -> list[AlertView]:
    """Every alert on the visits the viewer may see in the period, by the rules in force."""
    rules = rules_current(as_of=date_to)
    visits = visit_list(scope=scope, filters={"date_from": date_from, "date_to": date_to}).filter(
        status__in=COUNTED_STATUSES
    )
    columns = list(
        visits.order_by().values_list("id", "enterprise_id", "date", "kind", "after_the_fact")
    )
    if not columns:
        return []
    ids, enterprises, days, kinds, late = zip(*columns, strict=True)
    pairs = list(
        Visit.items.through.objects.filter(visit__in=visits.order_by().values("id")).values_list(
            "visit_id", "inspectionitem_id"
        )
    )
    rows = visit_alerts.VisitRows(
        visit=np.array(ids, dtype=np.int64),
        enterprise=np.array(enterprises, dtype=np.int64),
        day=np.array([d.toordinal() for d in days], dtype=np.int64),
        inspection=np.array([k == VisitKind.INSPECTION for k in kinds]),
        after_the_fact=np.array(late, dtype=bool),
        item_visit=np.array([p[0] for p in pairs], dtype=np.int64),
        item=np.array([p[1] for p in pairs], dtype=np.int64),
    )
    found: list[visit_alerts.Alert] = []
    wanted = {kind} if kind else set(visit_alerts.AlertKind)
    if visit_alerts.AlertKind.HIGH_FREQUENCY in wanted:
        found += visit_alerts.high_frequency(
            rows, visits=rules.high_frequency_visits, days=rules.high_frequency_days
        )
    if visit_alerts.AlertKind.REPEAT_ITEM in wanted:
        found += visit_alerts.repeat_items(rows, window_days=rules.duplicate_window_days)
    if visit_alerts.AlertKind.NON_ENFORCEMENT_SHARE in wanted:
        found += visit_alerts.non_enforcement_share(rows, threshold=rules.non_enforcement_share)
    if visit_alerts.AlertKind.AFTER_THE_FACT in wanted:
        found += visit_alerts.after_the_fact(rows)
    names = dict(
        (pk, (name, code))
        for pk, name, code in registry_selectors.enterprise_list(scope=Scope(sees_all=True))
        .filter(pk__in={a.enterprise_id for a in found})
        .values_list("pk", "name", "credit_code")
    )
    items = dict(
        catalogue_selectors.item_list()
        .filter(pk__in={a.item_id for a in found if a.item_id})
        .values_list("pk", "name")
    )
    return [
        AlertView(a, *names[a.enterprise_id], item_name=items.get(a.item_id, "")) for a in found
    ]


def refusal_list(*, scope: Scope, year: int | None = None) -> QuerySet[VisitRefusal]:
    """Registrations the rules refused: the justice bureau sees all, a department its own."""
    qs = VisitRefusal.objects.select_related("enterprise", "department", "registered_by")
    if not scope.sees_all:
        if not scope.department_id:
            return qs.none()
        qs = qs.filter(department_id=scope.department_id)
    if year:
        qs = qs.filter(date__year=year)
    return qs
