"""What the public disclosure pages publish, read through the capabilities' own selectors.

Everything here is open to anyone (行政执法公示), so each function decides what is published,
not who may see it: only items in force, only campaigns once published, of an officer only
what identifies him at the door (badge, name, department, certificate), and of enforcement only
counts per department, month or year — never a row about one enterprise, and never a ranking of
departments by penalties (the study asks to abolish such rankings; rows follow the register's
order of departments).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wurao.accounts.scope import Scope
from wurao.catalogue.selectors import item_list
from wurao.enforcement.choices import ActionKind, Origin
from wurao.enforcement.selectors import action_list, action_years
from wurao.planning.choices import JointVisitStatus, ParkDayStatus
from wurao.planning.selectors import campaign_list, joint_visit_list, park_day_list
from wurao.registry.selectors import department_list, inspector_list

# The public reads the whole district's published records: the pages filter what is published.
DISTRICT = Scope(sees_all=True)


# ---------------------------------------------------------------- 检查事项清单


def item_departments() -> list[dict]:
    """Enforcement departments with the number of items in force on their lists, in the
    register's order (departments without a list too: an empty list is worth knowing)."""
    counts = dict(item_list().order_by().values_list("department_id").annotate(n=Count("id")))
    return [
        {"department": d, "items": counts.get(d.pk, 0)}
        for d in department_list(enforcement_only=True)
    ]


def department_get(*, code: str):
    """An enforcement department by its short code, or None."""
    return department_list(enforcement_only=True).filter(code=code).first()


def department_items(*, department_id: int) -> QuerySet:
    """The department's items in force (an item withdrawn is no longer on the list)."""
    return item_list(filters={"department": department_id}).order_by("code")


# ---------------------------------------------------------------- 执法人员公示


@dataclass(frozen=True)
class PublicInspector:
    """What a visitor may know of an officer: enough to check the person at the door."""

    badge_no: str
    name: str
    department: str
    department_code: str
    certificate_valid_until: date | None
    certificate_valid: bool
    active: bool

    @property
    def may_enforce(self) -> bool:
        return self.active and self.certificate_valid


def _public(inspector, today: date) -> PublicInspector:
    until = inspector.certificate_valid_until
    return PublicInspector(
        badge_no=inspector.badge_no,
        name=inspector.name,
        department=inspector.department.name,
        department_code=inspector.department.code,
        certificate_valid_until=until,
        certificate_valid=until is not None and until >= today,
        active=inspector.active,
    )


def inspector_lookup(*, badge_no: str) -> PublicInspector | None:
    """The officer holding this badge, in post or not (a visitor must learn that a badge is
    no longer valid), or None for a badge nobody holds."""
    badge_no = badge_no.strip()
    if not badge_no:
        return None
    found = inspector_list(scope=DISTRICT).filter(badge_no=badge_no).first()
    return _public(found, timezone.localdate()) if found else None


def department_inspectors(*, department_id: int) -> list[PublicInspector]:
    """The department's officers in post, by badge."""
    today = timezone.localdate()
    qs = inspector_list(scope=DISTRICT, filters={"department": department_id})
    return [_public(i, today) for i in qs.filter(active=True).order_by("badge_no")]


def inspector_departments() -> list[dict]:
    counts = dict(
        inspector_list(scope=DISTRICT)
        .filter(active=True)
        .order_by()
        .values_list("department_id")
        .annotate(n=Count("id"))
    )
    return [
        {"department": d, "inspectors": counts.get(d.pk, 0)}
        for d in department_list(enforcement_only=True)
    ]


# ---------------------------------------------------------------- 专项检查计划


def published_campaigns() -> QuerySet:
    """Special campaigns once published (国办发〔2024〕54号: approved and made public before
    they start), newest first."""
    return campaign_list(published_only=True).order_by("-starts_on", "-id")


# ---------------------------------------------------------------- 联合检查统计


def joint_years() -> list[int]:
    """Years with a joint visit, a joint inspection on record or a park day, newest first."""
    bounds = [
        joint_visit_list(scope=DISTRICT, filters={"status": JointVisitStatus.CONFIRMED})
        .order_by()
        .aggregate(first=Min("date"), last=Max("date")),
        action_list(scope=DISTRICT)
        .exclude(joint_ref="")
        .order_by()
        .aggregate(first=Min("date"), last=Max("date")),
        park_day_list().order_by().aggregate(first=Min("date"), last=Max("date")),
    ]
    this_year = timezone.localdate().year
    years: set[int] = set()
    for b in bounds:
        if b["first"] is not None:
            years.update(range(b["first"].year, min(b["last"].year, this_year) + 1))
    return sorted(years, reverse=True)


JOINT_COUNTS = (
    "scheduled_visits",
    "scheduled_inspections",
    "recorded_visits",
    "recorded_inspections",
    "visits_saved",
    "departments",
    "park_days",
)


def joint_statistics(*, year: int) -> dict:
    """The year's joint visits by month, counts only:

    - scheduled_visits: joint visits the platform scheduled and the street confirmed (联合入企,
      进一次门查多项事) with two or more departments; scheduled_inspections: the departments'
      planned inspections they carried — each would have been a separate visit;
    - recorded_visits / recorded_inspections: the same from the enforcement records (inspections
      sharing a joint reference, two or more departments), which holds history from before
      the platform and joint visits recorded by import; records made on a scheduled joint
      visit are counted there, not again here;
    - visits_saved: enterprise-visits replaced minus the joint visits that replaced them;
    - departments: distinct departments taking part; park_days: joint park days drawn.

    Only what has happened counts: visits and park days up to today (a confirmed visit next
    month is a plan, not yet a joint visit).

    Returns {"months": [row per month 1..12], "total": row}.
    """
    today = timezone.localdate()
    months = {m: dict.fromkeys(JOINT_COUNTS, 0) for m in range(1, 13)}
    departments: dict[int, set[int]] = defaultdict(set)
    scheduled: set[int] = (
        set()
    )  # their registered visits: records made on them are not counted twice

    for visit in joint_visit_list(
        scope=DISTRICT, filters={"status": JointVisitStatus.CONFIRMED}
    ).filter(date__year=year, date__lte=today):
        taking_part = {e.plan.department_id for e in visit.inspections.all()}
        if len(taking_part) < 2:
            continue  # one department's visit: nothing joint about it
        row = months[visit.date.month]
        row["scheduled_visits"] += 1
        row["scheduled_inspections"] += len(visit.inspections.all())
        departments[visit.date.month] |= taking_part
        if visit.visit_id:
            scheduled.add(visit.visit_id)

    refs: dict[str, list[tuple[int, date]]] = defaultdict(list)
    on_scheduled: set[str] = set()
    for ref, department_id, day, visit_id in (
        action_list(
            scope=DISTRICT,
            filters={"year": year, "kind": ActionKind.INSPECTION, "date_to": today},
        )
        .exclude(joint_ref="")
        .order_by()
        .values_list("joint_ref", "department_id", "date", "visit_id")
    ):
        refs[ref].append((department_id, day))
        if visit_id in scheduled:
            on_scheduled.add(ref)
    for ref, records in refs.items():
        taking_part = {d for d, _ in records}
        if len(taking_part) < 2 or ref in on_scheduled:
            continue
        month = min(day for _, day in records).month
        months[month]["recorded_visits"] += 1
        months[month]["recorded_inspections"] += len(records)
        departments[month] |= taking_part

    for day in (
        park_day_list()
        .filter(date__year=year, date__lte=today, status=ParkDayStatus.DRAWN)
        .order_by()
        .values_list("date", flat=True)
    ):
        months[day.month]["park_days"] += 1

    for month, row in months.items():
        row["visits_saved"] = (
            row["scheduled_inspections"]
            - row["scheduled_visits"]
            + row["recorded_inspections"]
            - row["recorded_visits"]
        )
        row["departments"] = len(departments[month])
    total = {k: sum(r[k] for r in months.values()) for k in JOINT_COUNTS}
    total["departments"] = len(set().union(*departments.values()))
    return {
        "months": [{"month": f"{year}-{m:02d}", **months[m]} for m in range(1, 13)],
        "total": {"month": str(year), **total},
    }


# ---------------------------------------------------------------- 年度执法数据


def figure_years() -> list[int]:
    """Years with enforcement records up to today, newest first."""
    today = timezone.localdate()
    actions = action_list(scope=DISTRICT).order_by()
    # One indexed probe a year: action_years spans the first to the last, gaps included.
    return [
        y
        for y in action_years(scope=DISTRICT)
        if y <= today.year and actions.filter(date__year=y).exists()
    ]


def annual_figures(*, year: int) -> dict:
    """Each enforcement department's figures for the year (行政执法数据年度统计): inspections,
    of them by random draw and that share, penalties, coercive measures. The current year is
    counted to today. Departments in the register's order, those with no record that year
    left out; a district total row.

    Returns {"year", "as_of" (today for the current year, else None), "rows", "total"}.
    """
    today = timezone.localdate()
    actions = action_list(scope=DISTRICT, filters={"year": year, "date_to": today}).order_by()
    per_department = {
        row["department_id"]: row
        for row in actions.values("department_id").annotate(
            inspections=Count("id", filter=Q(kind=ActionKind.INSPECTION)),
            random_draw=Count(
                "id", filter=Q(kind=ActionKind.INSPECTION, origin=Origin.RANDOM_DRAW)
            ),
            penalties=Count("id", filter=Q(kind=ActionKind.PENALTY)),
            coercive=Count("id", filter=Q(kind=ActionKind.COERCIVE)),
        )
    }
    rows = []
    for department in department_list():
        counts = per_department.get(department.pk)
        if counts is None:
            continue
        rows.append(_figure_row(department.name, department.get_level_display(), counts))
    keys = ("inspections", "random_draw", "penalties", "coercive")
    total = _figure_row(_("合计"), "", {k: sum(r[k] for r in rows) for k in keys})
    return {
        "year": year,
        "as_of": today if year == today.year else None,
        "rows": rows,
        "total": total,
    }


def _figure_row(name: str, level: str, counts: dict) -> dict:
    inspections = counts["inspections"]
    return {
        "department": name,
        "level": str(level),
        "inspections": inspections,
        "random_draw": counts["random_draw"],
        "random_draw_share": (
            round(100 * counts["random_draw"] / inspections, 1) if inspections else None
        ),
        "penalties": counts["penalties"],
        "coercive": counts["coercive"],
        "total": inspections + counts["penalties"] + counts["coercive"],
    }
