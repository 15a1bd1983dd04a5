"""A year of the registry as the simulator's input (engine.Year), read in a few plain statements.

Grades (docs/simulator.md, "Grades"): the grade in force at the year's start when the grade
history reaches back that far (the newest GradeChange on or before 1 January); otherwise the
first grade the history records (the earliest GradeChange's previous grade, or its grade when
it was the first grading), which is the nearest to the year; otherwise the current grade;
otherwise U (not graded). What a grade means (caps, quiet period, sampling weight) comes from
the credit points table in force at the year's start, or the current table when none was.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Max, Min, Q

from wurao.accounts.scope import Scope
from wurao.credit.models import EnterpriseGrade, GradeChange
from wurao.credit.selectors import grade_effects
from wurao.enforcement.choices import ActionKind, Finding
from wurao.enforcement.selectors import action_list
from wurao.oversight.simulation.engine import Inspection, OtherVisit, Year
from wurao.planning.models import DepartmentCapacity
from wurao.registry.selectors import enterprise_list
from wurao.registry.workdays import working_days_between
from wurao.visits.selectors import non_enforcement_list

_ALL = Scope(sees_all=True)


def _grades(year: int) -> tuple[dict[int, str], frozenset[int]]:
    start = datetime.date(year, 1, 1)
    at_start: dict[int, str] = {}
    earliest: dict[int, str] = {}
    for enterprise, previous, grade, as_of in (
        GradeChange.objects.order_by("enterprise_id", "as_of", "id")
        .values_list("enterprise_id", "previous_grade", "grade", "as_of")
        .iterator(chunk_size=20_000)
    ):
        if as_of <= start:
            at_start[enterprise] = grade
        earliest.setdefault(enterprise, previous or grade)
    grades = dict(
        EnterpriseGrade.objects.values_list("enterprise_id", "grade").iterator(chunk_size=50_000)
    )
    grades.update(earliest)
    grades.update(at_start)
    return grades, frozenset(e for e, g in grades.items() if g == "D")


def year_load(*, year: int) -> Year:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    inspections = []
    for pk, enterprise, department, day, origin, joint_ref, visit_id, finding in (
        action_list(scope=_ALL, filters={"year": year, "kind": ActionKind.INSPECTION})
        .order_by()
        .values_list(
            "id",
            "enterprise_id",
            "department_id",
            "date",
            "origin",
            "joint_ref",
            "visit_id",
            "finding",
        )
        .iterator(chunk_size=20_000)
    ):
        # A joint visit: one reference, or one registered visit, for several actions.
        visit = f"J:{joint_ref}" if joint_ref else f"V:{visit_id}" if visit_id else f"A:{pk}"
        inspections.append(
            Inspection(pk, enterprise, department, day, origin, visit, finding == Finding.PROBLEMS)
        )
    others = [
        OtherVisit(pk, enterprise, department, day, purpose or "other")
        for pk, enterprise, department, day, purpose in non_enforcement_list(
            scope=_ALL, filters={"date_from": first, "date_to": last}
        )
        .order_by()
        .values_list("id", "enterprise_id", "department_id", "date", "purpose")
        .iterator(chunk_size=20_000)
    ]
    visited = {i.enterprise for i in inspections} | {o.enterprise for o in others}
    grades, d_grade = _grades(year)
    enterprises = enterprise_list(scope=_ALL).order_by()
    count = enterprises.filter(Q(established__isnull=True) | Q(established__lte=last)).count()
    names, sizes = {}, {}
    for pk, name, size in (
        enterprises.filter(pk__in=visited)
        .values_list("pk", "name", "size_class")
        .iterator(chunk_size=20_000)
    ):
        names[pk], sizes[pk] = name, size or ""
    effects = grade_effects(as_of=first) or grade_effects()
    capacity = {
        department: float(teams * hours)
        for department, teams, hours in DepartmentCapacity.objects.values_list(
            "department_id", "teams", "hours_per_team"
        )
    }
    return Year(
        year=year,
        inspections=inspections,
        others=others,
        enterprise_count=count,
        grades={e: grades[e] for e in visited | d_grade if e in grades},
        d_grade=d_grade,
        names=names,
        size_class=sizes,
        working_days=working_days_between(first, last),
        capacity=capacity,
        default_capacity=float(
            settings.PLANNING_DEFAULT_TEAMS * settings.PLANNING_DEFAULT_TEAM_HOURS
        ),
        department_limits={k: int(v) for k, v in settings.JOINT_VISIT_DEPARTMENT_LIMITS.items()},
        grade_effects=effects,
        sampling_weights={
            g: str(e["sampling_weight"]) for g, e in effects.items() if "sampling_weight" in e
        },
    )


def simulation_years() -> list[int]:
    """Years that hold inspections or non-enforcement visits, newest first: the bounds and
    one EXISTS a year walk the date indexes (a DISTINCT over years would read every row)."""
    actions = action_list(scope=_ALL, filters={"kind": ActionKind.INSPECTION}).order_by()
    others = non_enforcement_list(scope=_ALL).order_by()
    found = []
    for qs in (actions, others):
        bounds = qs.aggregate(first=Min("date"), last=Max("date"))
        if bounds["last"] is not None:
            found += [bounds["first"].year, bounds["last"].year]
    if not found:
        return []
    return [
        y
        for y in range(max(found), min(found) - 1, -1)
        if actions.filter(date__year=y).exists() or others.filter(date__year=y).exists()
    ]
