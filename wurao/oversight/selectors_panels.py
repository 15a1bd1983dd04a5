"""The dashboard's grade and department tabs, and what they share with the rule-enforcement
tab (selectors_rules.py): the slice on querysets, shares, the overrides. Page data, pure reads.

Each page's data is one function `(*, scope, slice) -> dict` of plain values (what the
benchmark times and the views render and export). `slice` is the dashboard's filter
(wurao/oversight/filters.py `Slice`): a period and optional department, level, street,
industry section, grade (A-D, or U for ungraded) and size class.

What the viewer may see is the scope's job: a department sees its own actions, visits,
refusals and overrides; a street the enterprises of its area; the bureau everything. The
registry and the grades are shared by all departments (两库), so a department compares its own
contacts with the district's enterprises.

A contact (入企) is an enforcement action (inspection, penalty, coercive measure) or a
non-enforcement visit that took place (docs/oversight.md), counted from the same Polars frame
as the overview (wurao/oversight/facts.py), so the tabs agree with each other and stay fast at
5,000,000 actions. What the frame does not hold (when an action was recorded, refusals,
overrides, grade changes, alerts) is read from the database for the period.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import polars as pl
from django.db.models import Count, QuerySet

from wurao.accounts.scope import Scope
from wurao.credit.selectors import grade_change_list
from wurao.oversight import facts as oversight_facts
from wurao.oversight import facts_panels as oversight_facts_panels

GRADES = ["A", "B", "C", "D", "U"]  # U: not graded yet
HIGH_RISK = ("C", "D")
# Rows listed on the page; the export has them all.
LIST_LIMIT = 200
# Timeliness: a result recorded within this many days of the visit counts as on time.
RECORD_DAYS = 7
# An override decided within this many days of its registration counts as decided on time.
OVERRIDE_DAYS = 3


# ---------------------------------------------------------------- the slice on querysets


def enterprise_lookups(slice, prefix: str = "enterprise__") -> dict:
    """The slice's enterprise attributes as lookups through `prefix`."""
    lookups: dict = {}
    if slice.street_id:
        lookups[f"{prefix}street_id"] = slice.street_id
    if slice.industry_section:
        lookups[f"{prefix}industry_section"] = slice.industry_section
    if slice.size_class:
        lookups[f"{prefix}size_class"] = slice.size_class
    if slice.grade == "U":
        lookups[f"{prefix}grade__isnull"] = True
    elif slice.grade:
        lookups[f"{prefix}grade__grade"] = slice.grade
    return lookups


def registered_visits(qs: QuerySet, slice, *, date_field: str = "date") -> QuerySet:
    """Refusals or overrides (lead department on the record) in the slice."""
    qs = qs.filter(
        **{f"{date_field}__gte": slice.date_from, f"{date_field}__lte": slice.date_to},
        **enterprise_lookups(slice),
    )
    if slice.department_id:
        qs = qs.filter(department_id=slice.department_id)
    if slice.level:
        qs = qs.filter(department__level=slice.level)
    return qs


def _grade_counts(scope: Scope, slice) -> dict[str, int]:
    """{grade: enterprises} over the enterprises the slice covers (U: not graded)."""
    frame = oversight_facts.enterprises_in(scope=scope, slice=slice)
    return {
        _grade_of(g): n
        for g, n in frame.group_by(pl.col("grade").cast(pl.String)).len().iter_rows()
    }


def share(part: int, whole: int) -> float | None:
    """A percentage with one decimal, None where there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 2) if whole else None


def override_frame(scope: Scope, slice) -> pl.DataFrame:
    """The overrides (registrations that broke a rule with a reason) the viewer may see, in
    the slice, by their lead department: override_list's rows, from the frame kept in process."""
    kept = oversight_facts_panels.visits()
    frame = kept.overrides.filter(pl.col("date").is_between(slice.date_from, slice.date_to))
    if scope.sees_nothing:
        return frame.clear()
    if scope.department_id:
        mine = kept.departments.filter(pl.col("department_id") == scope.department_id)
        frame = frame.filter(pl.col("id").is_in(mine["visit_id"].implode()))
    elif scope.enterprise_id:
        frame = frame.filter(pl.col("enterprise_id") == scope.enterprise_id)
    area = oversight_facts.enterprises_in(scope=scope, slice=slice)
    if scope.street_id or enterprise_lookups(slice, ""):
        frame = frame.filter(pl.col("enterprise_id").is_in(area["enterprise_id"].implode()))
    if slice.department_id:
        frame = frame.filter(pl.col("department_id") == slice.department_id)
    if slice.level:
        levels = oversight_facts.facts().departments
        at = levels.filter(pl.col("level") == slice.level)["department_id"]
        frame = frame.filter(pl.col("department_id").is_in(at.implode()))
    return frame


# ---------------------------------------------------------------- 信用等级 (grades)


def _grade_of(value: str | None) -> str:
    return value or "U"


GRADE_ORDER = {"A": 0, "B": 1, "C": 2, "D": 3}


def grades_data(
    *,
    scope: Scope,
    slice,
    changes_from: str | None = None,
    changes_to: str | None = None,
    limit: int | None = LIST_LIMIT,
) -> dict:
    """信用等级: current grades in the slice, grade changes in the period, contacts by grade.

    Keys: distribution [{grade, enterprises, share}], enterprises (total); changes {total, up
    (to a better grade: D→C…), down (to a worse one), first (first graded), matrix {rows: the
    previous grades ("" first graded), columns: the new grades, counts {prev: {new: n}}},
    rows [...] (newest first, those from `changes_from` to `changes_to` when given, the first
    `limit`; None: all), listed (how many rows there are in all)}; contacts [{grade, enterprises, contacts, per_enterprise, enterprises_contacted,
    inspections, inspections_per_enterprise}].

    The grade is the enterprise's current grade (EnterpriseGrade; U: none yet). A change is in
    the period when its evaluation date (as_of) is. Contacts per enterprise = the viewer's
    contacts in the period on the enterprises of that grade / the number of those enterprises.
    """
    counts = _grade_counts(scope, slice)
    total = sum(counts.values())
    distribution = [
        {"grade": g, "enterprises": counts.get(g, 0), "share": share(counts.get(g, 0), total)}
        for g in GRADES
    ]

    changes = (
        grade_change_list(scope=scope)
        .filter(
            as_of__gte=slice.date_from,
            as_of__lte=slice.date_to,
            **enterprise_lookups(slice),
        )
        .order_by()
    )
    # The matrix in one GROUP BY; the list only as far as it is shown (a district's yearly
    # regrade changes thousands of grades).
    matrix: dict[str, Counter] = defaultdict(Counter)
    up = down = first = 0
    for previous, grade, n in changes.values_list("previous_grade", "grade").annotate(
        n=Count("id")
    ):
        previous = previous or ""
        matrix[previous][grade] += n
        if not previous:
            first += n
        elif GRADE_ORDER[grade] < GRADE_ORDER[previous]:
            up += n
        elif GRADE_ORDER[grade] > GRADE_ORDER[previous]:
            down += n
    listed = changes
    if changes_from is not None:
        listed = listed.filter(previous_grade=changes_from)
    if changes_to:
        listed = listed.filter(grade=changes_to)
    fields = (
        "id",
        "as_of",
        "enterprise_id",
        "enterprise__name",
        "enterprise__credit_code",
        "previous_grade",
        "grade",
        "previous_score",
        "score",
    )
    keys = (
        "id",
        "as_of",
        "enterprise_id",
        "enterprise_name",
        "credit_code",
        "previous_grade",
        "grade",
        "previous_score",
        "score",
    )
    rows_qs = listed.order_by("-as_of", "-id").values_list(*fields)
    change_rows = [
        dict(zip(keys, row, strict=True))
        for row in (rows_qs[:limit] if limit is not None else rows_qs)
    ]
    listed_total = listed.count() if limit is not None else len(change_rows)
    previous_grades = ["", "A", "B", "C", "D"]
    new_grades = ["A", "B", "C", "D"]

    by_grade = {
        _grade_of(row["grade"]): row
        for row in oversight_facts.contacts_lazy(scope=scope, slice=slice)
        .group_by("grade")
        .agg(
            # An off-site inspection is an inspection, not a contact (入企).
            contacts=(~pl.col("off_site")).sum(),
            inspections=(pl.col("kind") == "inspection").sum(),
            contacted=pl.col("enterprise_id").filter(~pl.col("off_site")).n_unique(),
        )
        .with_columns(pl.col("grade").cast(pl.String))
        .collect()
        .iter_rows(named=True)
    }
    contacts_by_grade = {g: by_grade.get(g, {}).get("contacts", 0) for g in GRADES}
    inspections_by_grade = {g: by_grade.get(g, {}).get("inspections", 0) for g in GRADES}
    contacted = {g: by_grade.get(g, {}).get("contacted", 0) for g in GRADES}
    contacts = [
        {
            "grade": g,
            "enterprises": counts.get(g, 0),
            "contacts": contacts_by_grade[g],
            "per_enterprise": _ratio(contacts_by_grade[g], counts.get(g, 0)),
            "enterprises_contacted": contacted[g],
            "contacted_share": share(contacted[g], counts.get(g, 0)),
            "inspections": inspections_by_grade[g],
            "inspections_per_enterprise": _ratio(inspections_by_grade[g], counts.get(g, 0)),
        }
        for g in GRADES
    ]
    return {
        "enterprises": total,
        "distribution": distribution,
        "changes": {
            "total": sum(n for row in matrix.values() for n in row.values()),
            "listed": listed_total,
            "up": up,
            "down": down,
            "first": first,
            "matrix": {
                "rows": previous_grades,
                "columns": new_grades,
                "counts": {p: {g: matrix[p][g] for g in new_grades} for p in previous_grades},
            },
            "rows": change_rows,
        },
        "contacts": contacts,
    }


# ---------------------------------------------------------------- 部门比较 (departments)


def departments_data(*, scope: Scope, slice) -> dict:
    """部门比较: per department in the scope, burden, high-risk coverage and timeliness. No
    column and no order by penalties or fines: the study asks to abolish such rankings.

    Rows (by department name) carry: contacts, inspections, enterprises_inspected,
    inspections_per_enterprise, non_enforcement, d_enterprises / d_inspected / d_coverage,
    cd_enterprises / cd_inspected / cd_coverage, random_draws / random_share, record_median_days,
    recorded_within / recorded_within_share, overrides / overrides_decided_within /
    overrides_within_share. `high_risk` gives the denominators: the enterprises of current grade
    D (and C or D) in the slice as far as the viewer sees the registry.
    """
    rows: dict[int, dict] = {}
    names: dict[int, str] = {}

    def row(pk: int) -> dict:
        if pk not in rows:
            rows[pk] = {
                "department_id": pk,
                "contacts": 0,
                "inspections": 0,
                "off_site": 0,
                "non_enforcement": 0,
                "random_draws": 0,
                "enterprises_inspected": 0,
                "d_inspected": 0,
                "cd_inspected": 0,
                "recorded": 0,
                "recorded_within": 0,
                "record_median_days": None,
                "overrides": 0,
                "overrides_decided_within": 0,
            }
        return rows[pk]

    # One plan over the contacts (pl.collect_all): burden, coverage and record lags per
    # department, reading only the columns used.
    lf = oversight_facts.contacts_lazy(scope=scope, slice=slice)
    inspection = pl.col("kind") == "inspection"
    lag = pl.col("lag").filter(pl.col("source") == "action")
    burden, coverage = pl.collect_all(
        [
            lf.group_by("department_id").agg(
                # An off-site inspection is an inspection, not a contact (入企).
                contacts=(~pl.col("off_site")).sum(),
                inspections=inspection.sum(),
                off_site=(inspection & pl.col("off_site")).sum(),
                non_enforcement=(pl.col("kind") == "non_enforcement").sum(),
                random_draws=(inspection & (pl.col("origin") == "random_draw")).sum(),
                recorded=lag.count(),
                recorded_within=(lag <= RECORD_DAYS).sum(),
                record_median_days=lag.median(),
            ),
            # An enterprise has one grade: its department's distinct enterprises by grade.
            lf.filter(inspection)
            .group_by("department_id", "grade")
            .agg(n=pl.col("enterprise_id").n_unique())
            .with_columns(pl.col("grade").cast(pl.String))
            .group_by("department_id")
            .agg(
                enterprises_inspected=pl.col("n").sum(),
                d_inspected=pl.col("n").filter(pl.col("grade") == "D").sum(),
                cd_inspected=pl.col("n").filter(pl.col("grade").is_in(list(HIGH_RISK))).sum(),
            ),
        ]
    )
    for r in burden.iter_rows(named=True):
        row(r["department_id"]).update({k: v for k, v in r.items() if k != "department_id"})
    for r in coverage.iter_rows(named=True):
        row(r["department_id"]).update({k: v for k, v in r.items() if k != "department_id"})
    names.update(oversight_facts.department_names())

    within = OVERRIDE_DAYS * 24 * 3600
    for r in (
        override_frame(scope, slice)
        .group_by("department_id")
        .agg(
            overrides=pl.len(),
            overrides_decided_within=(pl.col("decided_within") <= within).sum(),
        )
        .iter_rows(named=True)
    ):
        row(r["department_id"]).update({k: v for k, v in r.items() if k != "department_id"})

    grades = _grade_counts(scope, slice)
    d_total, cd_total = grades.get("D", 0), grades.get("D", 0) + grades.get("C", 0)

    result = []
    for pk, r in rows.items():
        # A department sees its own row (a joint visit it took part in may be led by another,
        # whose row it is); a department chosen in the slice, its row.
        wanted = scope.department_id or slice.department_id
        if wanted and pk != wanted:
            continue
        median = r.pop("record_median_days")
        result.append(
            {
                **r,
                "department": names[pk],
                "inspections_per_enterprise": _ratio(r["inspections"], r["enterprises_inspected"]),
                "d_enterprises": d_total,
                "d_coverage": share(r["d_inspected"], d_total),
                "cd_enterprises": cd_total,
                "cd_coverage": share(r["cd_inspected"], cd_total),
                "random_share": share(r["random_draws"], r["inspections"]),
                "record_median_days": round(median, 1) if median is not None else None,
                "recorded_within_share": share(r["recorded_within"], r["recorded"]),
                "overrides_within_share": share(r["overrides_decided_within"], r["overrides"]),
            }
        )
    result.sort(key=lambda r: (r["department"], r["department_id"]))
    return {
        "rows": result,
        "high_risk": {"d": d_total, "cd": cd_total},
        "record_days": RECORD_DAYS,
        "override_days": OVERRIDE_DAYS,
    }
