"""The study's oversight figures (Table 1, Figures 1 and 2) computed from live records."""

import datetime

from django.db import connection
from django.db.models import Count, Q, QuerySet

from wurao.accounts.scope import Scope
from wurao.enforcement.choices import ActionKind, Origin
from wurao.enforcement.selectors import action_list
from wurao.registry.choices import Level
from wurao.registry.versions import cached_read
from wurao.visits.selectors import non_enforcement_list


def oversight_summary(*, scope: Scope, year: int) -> dict:
    """Table 1 and Figure 1 for one year, as far as the viewer may see.

    Shape (also what `wurao oversight_report --format json` prints):
    by_kind, total, shares, by_department, district_inspections,
    random_draw_inspections (district-level inspections drawn at random, as in the study),
    joint_random_visits (enterprise-visits where two or more departments inspected
    together on a random draw, counted by joint reference).

    Cached until an action, a department or (for a street) an enterprise changes: four
    passes over a year of actions (59,190 in the demo's 2020) cost about 50 ms of database
    time, and the figures of a past year seldom change (wurao/registry/versions.py).
    """
    actions = action_list(scope=scope, filters={"year": year})
    return cached_read(
        namespace="oversight_summary",
        # The viewer's scope, the year (in the WHERE), and every table the figures read.
        statement=actions.values_list(
            "kind", "origin", "joint_ref", "department_level", "department__name"
        ),
        compute=lambda: _summary(actions, year),
    )


def _summary(actions: QuerySet, year: int) -> dict:
    kinds = dict(actions.values_list("kind").annotate(n=Count("id")).order_by())
    by_kind = {k.value: kinds.get(k.value, 0) for k in ActionKind}
    total = sum(by_kind.values())
    by_department = {
        name: n
        for name, n in actions.values_list("department__name")
        .annotate(n=Count("id"))
        .order_by("-n", "department__name")
    }
    inspections = actions.filter(kind=ActionKind.INSPECTION)
    district = inspections.filter(department_level=Level.DISTRICT).aggregate(
        n=Count("id"), random=Count("id", filter=Q(origin=Origin.RANDOM_DRAW))
    )
    joint = (
        inspections.filter(origin=Origin.RANDOM_DRAW)
        .exclude(joint_ref="")
        .values("joint_ref")
        .annotate(departments=Count("department", distinct=True))
        .filter(departments__gte=2)
        .count()
    )
    return {
        "year": year,
        "by_kind": by_kind,
        "total": total,
        "shares": {k: (round(100 * n / total, 1) if total else 0.0) for k, n in by_kind.items()},
        "by_department": by_department,
        "district_inspections": district["n"],
        "random_draw_inspections": district["random"],
        "joint_random_visits": joint,
    }


def enterprise_visits_by_organisation(
    *, scope: Scope, enterprise_id: int, date_from, date_to
) -> list[dict]:
    """Figure 2: one enterprise's visits in a period, per visiting organisation, enforcement or not."""
    period = {"enterprise": enterprise_id, "date_from": date_from, "date_to": date_to}
    rows: dict[str, dict] = {}
    for name, n in (
        action_list(scope=scope, filters=period)
        .values_list("department__name")
        .annotate(n=Count("id"))
        .order_by()
    ):
        rows[name] = {"organisation": name, "enforcement": n, "other": 0}
    others = non_enforcement_list(scope=scope, filters={**period})
    for name, n in others.values_list("department__name").annotate(n=Count("id")).order_by():
        rows.setdefault(name, {"organisation": name, "enforcement": 0, "other": 0})["other"] = n
    return sorted(
        rows.values(), key=lambda r: (-(r["enforcement"] + r["other"]), r["organisation"])
    )


def busiest_enterprise_id(
    *, scope: Scope, date_from: datetime.date, date_to: datetime.date
) -> int | None:
    """The enterprise with the most visits of any kind in the period, in one aggregate query.

    Enforcement actions and non-enforcement visits live in two tables; a UNION ALL
    of the two scoped selectors, grouped once, ranks enterprises by the burden the
    study counted (its 75 visits included 30 that were not enforcement).
    """
    period = {"date_from": date_from, "date_to": date_to}
    actions = action_list(scope=scope, filters=period).order_by().values("enterprise_id")
    visits = non_enforcement_list(scope=scope, filters=period).order_by().values("enterprise_id")
    actions_sql, actions_params = actions.query.sql_with_params()
    visits_sql, visits_params = visits.query.sql_with_params()
    sql = (
        f"SELECT enterprise_id, COUNT(*) AS n FROM ({actions_sql} UNION ALL {visits_sql}) AS visits "
        "GROUP BY enterprise_id ORDER BY n DESC, enterprise_id LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*actions_params, *visits_params))
        row = cursor.fetchone()
    return row[0] if row else None
