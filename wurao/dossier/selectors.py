"""The enterprise's file (一企一档) as a read model: what every capability recorded about one
enterprise, composed from their selectors and scoped to whoever reads it. It owns no data."""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from django.db.models import Prefetch

from wurao.accounts.scope import Scope
from wurao.enforcement import selectors as enforcement_selectors
from wurao.enforcement.choices import Mode
from wurao.outcomes.choices import CheckResult
from wurao.outcomes.models import FindingNotice, ItemCheck
from wurao.outcomes.selectors_cases import case_list
from wurao.visits import selectors as visit_selectors
from wurao.visits.choices import VisitKind, VisitStatus


@dataclass(frozen=True)
class TimelineEntry:
    date: date
    organisation: str
    is_enforcement: bool
    label: str
    detail: str
    pk: int  # the action's id for enforcement entries, the visit's otherwise
    visit_code: str = ""
    visit_origin: str = ""
    rating: int | None = None
    is_action: bool = False  # pk is an EnforcementAction's (else a Visit's)
    counted: bool = True  # False for a registration still waiting for its override
    # An off-site inspection (非现场检查): an inspection, listed, never counted as a visit.
    off_site: bool = False
    mode_label: str = ""
    checks: tuple = ()  # the action's item results (outcomes.ItemCheck), findings first
    notice: object = None  # its one-time notice (FindingNotice) with its rectifications


def enterprise_timeline(*, scope: Scope, enterprise_id: int) -> list[TimelineEntry]:
    """The enterprise's whole file, newest first, as far as the viewer may see it: every
    enforcement action (with the code of the visit it was taken on), every non-enforcement
    visit, and every inspection visit registered but without results yet."""
    actions = enforcement_selectors.action_list(
        scope=scope, filters={"enterprise": enterprise_id}
    ).prefetch_related(
        "items",
        Prefetch(
            "checks",
            queryset=ItemCheck.objects.select_related("item", "rectification").order_by(
                "item__code"
            ),
        ),
        Prefetch(
            "notice",
            queryset=FindingNotice.objects.prefetch_related("rectifications__item_check__item"),
        ),
    )
    visits = {
        v.pk: v
        for v in visit_selectors.visit_list(
            scope=scope, filters={"enterprise": enterprise_id}
        ).select_related("rating")
    }
    show_rating = scope.sees_all or scope.enterprise_id == enterprise_id

    def rating_of(visit) -> int | None:
        rating = getattr(visit, "rating", None) if show_rating else None
        return rating.score if rating else None

    entries, with_actions = [], set()
    for a in actions:
        visit = visits.get(a.visit_id)
        with_actions.add(a.visit_id)
        entries.append(
            TimelineEntry(
                date=a.date,
                organisation=a.department.name,
                is_enforcement=True,
                label=f"{a.get_kind_display()}（{a.get_origin_display()}）",
                detail="；".join(i.name for i in a.items.all()) or a.summary,
                pk=a.pk,
                visit_code=visit.code if visit else "",
                visit_origin=visit.get_origin_display() if visit else "",
                rating=rating_of(visit) if visit else None,
                is_action=True,
                counted=a.mode != Mode.OFF_SITE,
                off_site=a.mode == Mode.OFF_SITE,
                mode_label=(
                    f"{a.get_mode_display()}·{a.get_offsite_method_display()}"
                    if a.mode == Mode.OFF_SITE
                    else ""
                ),
                checks=tuple(sorted(a.checks.all(), key=lambda c: c.result != CheckResult.FINDING)),
                notice=getattr(a, "notice", None),
            )
        )
    for v in visits.values():
        if v.pk in with_actions or v.status in (VisitStatus.CANCELLED, VisitStatus.REJECTED):
            continue
        enforcement = v.kind == VisitKind.INSPECTION
        entries.append(
            TimelineEntry(
                date=v.date,
                organisation=v.department.name,
                is_enforcement=enforcement,
                label=(
                    f"{v.get_kind_display()}（{v.get_origin_display()}，{v.get_status_display()}）"
                    if enforcement
                    else f"{v.get_kind_display()}（{v.get_purpose_display()}）"
                ),
                detail=v.note,
                pk=v.pk,
                visit_code=v.code,
                visit_origin=v.get_origin_display() if enforcement else v.get_purpose_display(),
                rating=rating_of(v),
                counted=v.status != VisitStatus.PENDING_OVERRIDE,
            )
        )
    return sorted(entries, key=lambda e: (e.date, e.is_enforcement, e.pk), reverse=True)


def timeline_counts(timeline) -> dict:
    """The file's visits by year and by visiting organisation, enforcement and not, busiest
    first. A joint visit is one visit for the enterprise (the several departments' actions on it
    count once) and one visit for each organisation on it, as on the enterprise's own page.
    A registration still waiting for its override to be approved is listed, not counted."""
    by_year: dict[int, Counter] = {}
    by_organisation: dict[str, Counter] = {}
    seen, seen_by_organisation = set(), set()
    for entry in timeline:
        if not entry.counted:
            continue
        column = "enforcement" if entry.is_enforcement else "other"
        visit = entry.visit_code or ("action" if entry.is_action else "visit", entry.pk)
        if visit not in seen:
            seen.add(visit)
            by_year.setdefault(entry.date.year, Counter())[column] += 1
        if (entry.organisation, visit) not in seen_by_organisation:
            seen_by_organisation.add((entry.organisation, visit))
            by_organisation.setdefault(entry.organisation, Counter())[column] += 1

    def rows(groups: dict, key: str) -> list[dict]:
        return [
            {key: name, "enforcement": c["enforcement"], "other": c["other"], "total": c.total()}
            for name, c in groups.items()
        ]

    years = rows(by_year, "year")
    visits_in = {r["year"]: r["total"] for r in years}
    return {
        # The timeline by year, newest first, each headed by its number of visits.
        "timeline_years": [
            {"year": year, "visits": visits_in.get(year, 0), "entries": list(entries)}
            for year, entries in groupby(timeline, key=lambda e: e.date.year)
        ],
        "by_year": sorted(years, key=lambda r: r["year"], reverse=True),
        "by_organisation": sorted(
            rows(by_organisation, "organisation"), key=lambda r: (-r["total"], r["organisation"])
        ),
        "total_visits": sum(r["total"] for r in years),
        "total_enforcement": sum(r["enforcement"] for r in years),
        "total_other": sum(r["other"] for r in years),
    }


def enterprise_cases(*, scope: Scope, enterprise_id: int):
    """The enterprise's penalty and coercive cases as far as the viewer reads cases (a
    department its own, the enterprise its decided ones, the bureau all; a street none)."""
    return case_list(scope=scope, filters={"enterprise": enterprise_id}).select_related("band")
