"""The dashboard's rule-enforcement, grade and department tabs: page data, pure reads.

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

import datetime
from collections import Counter, defaultdict

import polars as pl
from django.db.models import Count, QuerySet
from django.utils.translation import gettext, gettext_lazy

from wurao.accounts.scope import Scope
from wurao.catalogue import selectors as catalogue_selectors
from wurao.common.collector import collector_paused
from wurao.credit.selectors import grade_change_list
from wurao.oversight import facts as oversight_facts
from wurao.oversight import facts_panels as oversight_facts_panels
from wurao.visits import alerts as visit_alerts
from wurao.visits import selectors as visit_selectors
from wurao.visits.choices import VisitStatus

GRADES = ["A", "B", "C", "D", "U"]  # U: not graded yet
HIGH_RISK = ("C", "D")
# Rows listed on the page; the export has them all.
LIST_LIMIT = 200
IN_BATCH = 10_000  # ids in one IN (...) list (PostgreSQL takes at most 65,535 parameters)
# Timeliness: a result recorded within this many days of the visit counts as on time.
RECORD_DAYS = 7
# An override decided within this many days of its registration counts as decided on time.
OVERRIDE_DAYS = 3


# ---------------------------------------------------------------- the slice on querysets


def _enterprise_lookups(slice, prefix: str = "enterprise__") -> dict:
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


def _registered_visits(qs: QuerySet, slice, *, date_field: str = "date") -> QuerySet:
    """Refusals or overrides (lead department on the record) in the slice."""
    qs = qs.filter(
        **{f"{date_field}__gte": slice.date_from, f"{date_field}__lte": slice.date_to},
        **_enterprise_lookups(slice),
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


def _share(part: int, whole: int) -> float | None:
    """A percentage with one decimal, None where there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 2) if whole else None


# ---------------------------------------------------------------- 规则执行 (rules)


def _refusals(scope: Scope, slice) -> QuerySet:
    # refusal_list knows the bureau and a department; a street sees the refusals on its area.
    if scope.street_id:
        base = visit_selectors.refusal_list(scope=Scope(sees_all=True)).filter(
            enterprise__street_id=scope.street_id
        )
    else:
        base = visit_selectors.refusal_list(scope=scope)
    return _registered_visits(base, slice)


def override_state(visit) -> str:
    """pending, approved or rejected: where an override stands."""
    if visit.status == VisitStatus.PENDING_OVERRIDE:
        return "pending"
    if visit.status == VisitStatus.REJECTED:
        return "rejected"
    return "approved"


OVERRIDE_STATES = {
    "pending": gettext_lazy("待审批"),
    "approved": gettext_lazy("已批准"),
    "rejected": gettext_lazy("未批准"),
}


def _summaries(rules) -> dict:
    """Each alert kind's one-line summary, translated once per page: alert -> text."""
    kind = visit_alerts.AlertKind
    high = gettext(
        "%(first)s 至 %(last)s 入企 %(count)s 次（预警线：%(days)s 日内超过 %(visits)s 次）"
    )
    repeat = gettext("“%(item)s”被检查 %(count)s 次，相邻两次相隔不超过 %(days)s 日")
    share = gettext("%(count)s 次入企中非执法入企占 %(share)s%%（预警线 %(line)s%%）")
    late = gettext("%(day)s 的入企为事后补登")
    return {
        kind.HIGH_FREQUENCY: lambda alert, item: (
            high
            % {
                "first": alert.first_day,
                "last": alert.last_day,
                "count": alert.count,
                "days": rules.high_frequency_days,
                "visits": rules.high_frequency_visits,
            }
        ),
        kind.REPEAT_ITEM: lambda alert, item: (
            repeat % {"item": item, "count": alert.count, "days": rules.duplicate_window_days}
        ),
        kind.NON_ENFORCEMENT_SHARE: lambda alert, item: (
            share
            % {
                "count": alert.count,
                "share": round(100 * (alert.share or 0), 1),
                "line": round(100 * rules.non_enforcement_share),
            }
        ),
        kind.AFTER_THE_FACT: lambda alert, item: late % {"day": alert.first_day},
    }


def _override_frame(scope: Scope, slice) -> pl.DataFrame:
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
    if scope.street_id or _enterprise_lookups(slice, ""):
        frame = frame.filter(pl.col("enterprise_id").is_in(area["enterprise_id"].implode()))
    if slice.department_id:
        frame = frame.filter(pl.col("department_id") == slice.department_id)
    if slice.level:
        levels = oversight_facts.facts().departments
        at = levels.filter(pl.col("level") == slice.level)["department_id"]
        frame = frame.filter(pl.col("department_id").is_in(at.implode()))
    return frame


EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()


def _alerts_found(scope: Scope, slice, rules) -> list[visit_alerts.Alert]:
    """visits.selectors.visit_alerts_list over the viewer's visits of the period, read from the
    frame kept in process (facts_panels.visits()) instead of the database at every call: the
    same visits (visit_list's scope, the counted statuses), the same engine, the same order."""
    kept = oversight_facts_panels.visits()
    frame = kept.visits.filter(pl.col("date").is_between(slice.date_from, slice.date_to))
    if scope.sees_nothing:
        return []
    if scope.department_id:
        mine = kept.departments.filter(pl.col("department_id") == scope.department_id)
        frame = frame.filter(pl.col("id").is_in(mine["visit_id"].implode()))
    elif scope.street_id:
        area = oversight_facts.enterprises_in(scope=scope)["enterprise_id"]
        frame = frame.filter(pl.col("enterprise_id").is_in(area.implode()))
    elif scope.enterprise_id:
        frame = frame.filter(pl.col("enterprise_id") == scope.enterprise_id)
    if frame.is_empty():
        return []
    # The items of these visits, with each visit's row (the join keeps the kept order).
    pairs = kept.items.join(
        frame.select("id").with_row_index("row"),
        left_on="visit_id",
        right_on="id",
        maintain_order="left",
    )
    rows = visit_alerts.VisitRows(
        visit=frame["id"].to_numpy(),
        enterprise=frame["enterprise_id"].to_numpy(),
        day=(frame["date"].cast(pl.Int32).cast(pl.Int64) + EPOCH_ORDINAL).to_numpy(),
        inspection=frame["inspection"].to_numpy(),
        after_the_fact=frame["after_the_fact"].to_numpy(),
        item_visit=pairs["visit_id"].to_numpy(),
        item=pairs["item_id"].to_numpy(),
        item_row=pairs["row"].cast(pl.Int64).to_numpy(),
    )
    with collector_paused():  # alerts are acyclic tuples, a hundred thousand over years
        found = visit_alerts.high_frequency(
            rows, visits=rules.high_frequency_visits, days=rules.high_frequency_days
        )
        found += visit_alerts.repeat_items(rows, window_days=rules.duplicate_window_days)
        found += visit_alerts.non_enforcement_share(rows, threshold=rules.non_enforcement_share)
        found += visit_alerts.after_the_fact(rows)
    return found


def _alerts(scope: Scope, slice) -> tuple[list[visit_alerts.Alert], object]:
    """The visit alerts (wurao/visits/alerts.py) on the viewer's visits of the period, kept
    where the enterprise is in the slice and, with a department or level chosen, where one of
    the alert's visits is that department's (or level's). An enterprise is high-frequency
    whoever visits it; the department filter says which alerts a department took part in."""
    rules = visit_selectors.rules_current(as_of=slice.date_to)
    found = _alerts_found(scope, slice, rules)
    if not found:
        return [], rules
    departments: dict[int, set] = defaultdict(set)
    if slice.department_id or slice.level:
        # Which departments (and levels) took part in each visit: only when asked, from the
        # frames kept in process.
        ids = pl.Series([pk for alert in found for pk in alert.visit_ids], dtype=pl.Int64)
        levels = oversight_facts.facts().departments.select(
            "department_id", pl.col("level").cast(pl.String)
        )
        took_part = (
            oversight_facts_panels.visits()
            .departments.filter(pl.col("visit_id").is_in(ids.implode()))
            .join(levels, on="department_id", how="left")
        )
        for pk, department, level in took_part.iter_rows():
            departments[pk] |= {department, level}
    wanted = None
    if _enterprise_lookups(slice, ""):
        wanted = set(oversight_facts.enterprises_in(scope=scope, slice=slice)["enterprise_id"])
    chosen = [c for c in (slice.department_id, slice.level) if c]
    kept = [
        alert
        for alert in found
        if (wanted is None or alert.enterprise_id in wanted)
        and all(any(c in departments[pk] for pk in alert.visit_ids) for c in chosen)
    ]
    return kept, rules


def alert_visits(*, scope: Scope, rows: list[visit_alerts.Alert], rules) -> list[dict]:
    """The alerts shown (a page of rules_data's, or an export's) as the page and the export
    read them: kind, label, enterprise (id, name, credit code), first and last day, count, the
    one-line summary under the visit rules `rules` (rules_data's), visit_ids, and the visits as
    far as the viewer may see them, by date (department loaded), under "visits". Over years
    there are a hundred thousand alerts; a page shows 20, so only they are written out."""
    ids = sorted({pk for alert in rows for pk in alert.visit_ids})
    visits = visit_selectors.visit_list(scope=scope).select_related("department")
    # In batches: an export's alerts name more visits than one IN (...) list may hold.
    by_id = {
        v.pk: v
        for start in range(0, len(ids), IN_BATCH)
        for v in visits.filter(pk__in=ids[start : start + IN_BATCH])
    }
    # Names from the frame kept with the facts: an export's enterprises are more than one
    # IN (...) list may hold.
    names = oversight_facts.enterprise_names({alert.enterprise_id for alert in rows})
    items = dict(
        catalogue_selectors.item_list()
        .filter(pk__in={alert.item_id for alert in rows if alert.item_id})
        .values_list("pk", "name")
    )
    summaries = _summaries(rules)
    labels = {k: gettext(label) for k, label in visit_alerts.ALERT_LABELS.items()}
    return [
        {
            "kind": str(alert.kind),
            "label": labels[alert.kind],
            "enterprise_id": alert.enterprise_id,
            "enterprise_name": names[alert.enterprise_id][0],
            "credit_code": names[alert.enterprise_id][1],
            "first_day": alert.first_day,
            "last_day": alert.last_day,
            "count": alert.count,
            "summary": summaries[alert.kind](alert, items.get(alert.item_id, "")),
            "visit_ids": list(alert.visit_ids),
            "visits": sorted(
                (by_id[pk] for pk in alert.visit_ids if pk in by_id),
                key=lambda v: (v.date, v.code),
            ),
        }
        for alert in rows
    ]


def rules_data(*, scope: Scope, slice) -> dict:
    """规则执行: refusals by the visit rules, overrides with their reasons and deciders, alerts.

    Keys: refusals {total, by_rule [{rule, label, count}], by_department [{department_id,
    department, count}], by_month [{month, count}], rows [...], truncated}, overrides {total,
    by_state {pending, approved, rejected}, rows [...], truncated}, alerts {total, by_kind
    {kind: count}, rows [Alert] (alert_visits writes out those shown)}, rules (the visit rules
    in force at the period's end).
    A refusal breaking two rules counts once for each in by_rule, once in the total.
    """
    refusals = _refusals(scope, slice).select_related("department", "enterprise")
    by_rule: Counter = Counter()
    labels: dict[str, str] = {}
    by_department: Counter = Counter()
    names: dict[int, str] = {}
    by_month: Counter = Counter()
    listed = []
    total = 0
    for refusal in refusals.order_by("-date", "-id"):
        total += 1
        for rule in {v.get("rule", "") for v in refusal.violations or []}:
            by_rule[rule] += 1
        for v in refusal.violations or []:
            labels.setdefault(v.get("rule", ""), v.get("label", v.get("rule", "")))
        by_department[refusal.department_id] += 1
        names[refusal.department_id] = refusal.department.name
        by_month[refusal.date.strftime("%Y-%m")] += 1
        listed.append(
            {
                "id": refusal.pk,
                "date": refusal.date,
                "enterprise_id": refusal.enterprise_id,
                "enterprise_name": refusal.enterprise.name,
                "credit_code": refusal.enterprise.credit_code,
                "department_id": refusal.department_id,
                "department": refusal.department.name,
                "origin": refusal.get_origin_display(),
                "rules": [v.get("label", v.get("rule", "")) for v in refusal.violations or []],
                "rule_codes": [v.get("rule", "") for v in refusal.violations or []],
                "messages": [v.get("message", "") for v in refusal.violations or []],
            }
        )

    ids = _override_frame(scope, slice)["id"].to_list()
    overrides = (
        visit_selectors.override_list(scope=scope)
        .filter(pk__in=ids)
        .select_related("department", "enterprise", "override_approved_by")
    )
    states: Counter = Counter()
    override_rows = []
    for visit in overrides.order_by("-date", "-id"):
        state = override_state(visit)
        states[state] += 1
        approver = visit.override_approved_by
        override_rows.append(
            {
                "code": visit.code,
                "code_display": visit.code_display,
                "date": visit.date,
                "enterprise_id": visit.enterprise_id,
                "enterprise_name": visit.enterprise.name,
                "credit_code": visit.enterprise.credit_code,
                "department_id": visit.department_id,
                "department": visit.department.name,
                "rules": [v.get("label", v.get("rule", "")) for v in visit.violations or []],
                "reason": visit.override_reason,
                "state": state,
                "state_label": str(OVERRIDE_STATES[state]),
                "approver": (approver.get_full_name() or approver.username) if approver else "",
                "decided_at": visit.override_decided_at,
                "rejection": visit.cancel_reason if state == "rejected" else "",
            }
        )

    alert_rows, rules = _alerts(scope, slice)
    alert_counts = Counter(alert.kind for alert in alert_rows)
    return {
        "refusals": {
            "total": total,
            "by_rule": [
                {"rule": rule, "label": labels.get(rule, rule), "count": n}
                for rule, n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
            "by_department": [
                {"department_id": pk, "department": names[pk], "count": n}
                for pk, n in sorted(by_department.items(), key=lambda kv: names[kv[0]])
            ],
            "by_month": [{"month": m, "count": n} for m, n in sorted(by_month.items())],
            "rows": listed,
        },
        "overrides": {
            "total": sum(states.values()),
            "by_state": {s: states.get(s, 0) for s in OVERRIDE_STATES},
            "rows": override_rows,
        },
        "alerts": {
            "total": len(alert_rows),
            "by_kind": {str(k): alert_counts.get(str(k), 0) for k in visit_alerts.AlertKind},
            "rows": alert_rows,
        },
        "rules": rules,
    }


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
        {"grade": g, "enterprises": counts.get(g, 0), "share": _share(counts.get(g, 0), total)}
        for g in GRADES
    ]

    changes = (
        grade_change_list(scope=scope)
        .filter(
            as_of__gte=slice.date_from,
            as_of__lte=slice.date_to,
            **_enterprise_lookups(slice),
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
            contacts=pl.len(),
            inspections=(pl.col("kind") == "inspection").sum(),
            contacted=pl.col("enterprise_id").n_unique(),
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
            "contacted_share": _share(contacted[g], counts.get(g, 0)),
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
                contacts=pl.len(),
                inspections=inspection.sum(),
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
        _override_frame(scope, slice)
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
                "d_coverage": _share(r["d_inspected"], d_total),
                "cd_enterprises": cd_total,
                "cd_coverage": _share(r["cd_inspected"], cd_total),
                "random_share": _share(r["random_draws"], r["inspections"]),
                "record_median_days": round(median, 1) if median is not None else None,
                "recorded_within_share": _share(r["recorded_within"], r["recorded"]),
                "overrides_within_share": _share(r["overrides_decided_within"], r["overrides"]),
            }
        )
    result.sort(key=lambda r: (r["department"], r["department_id"]))
    return {
        "rows": result,
        "high_risk": {"d": d_total, "cd": cd_total},
        "record_days": RECORD_DAYS,
        "override_days": OVERRIDE_DAYS,
    }
