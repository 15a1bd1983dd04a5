"""The dashboard's rule-enforcement tab (规则执行): refusals, overrides with their reasons and
deciders, and the visit alerts — page data, pure reads, in the slice and scope as the other
tabs (selectors_panels.py says how).

The alerts are computed from the visit frame kept in process (wurao/oversight/facts_panels.py)
with the visit rules in force at the period's end; only the rows shown are written out.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

import polars as pl
from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_lazy

from wurao.accounts.scope import Scope
from wurao.catalogue import selectors as catalogue_selectors
from wurao.common.collector import collector_paused
from wurao.oversight import facts as oversight_facts
from wurao.oversight import facts_panels as oversight_facts_panels
from wurao.oversight.selectors_panels import (
    enterprise_lookups,
    override_frame,
    registered_visits,
)
from wurao.visits import alerts as visit_alerts
from wurao.visits import selectors as visit_selectors
from wurao.visits.choices import VisitStatus

IN_BATCH = 10_000  # ids in one IN (...) list (PostgreSQL takes at most 65,535 parameters)


def _refusals(scope: Scope, slice) -> QuerySet:
    # refusal_list knows the bureau and a department; a street sees the refusals on its area.
    if scope.street_id:
        base = visit_selectors.refusal_list(scope=Scope(sees_all=True)).filter(
            enterprise__street_id=scope.street_id
        )
    else:
        base = visit_selectors.refusal_list(scope=scope)
    return registered_visits(base, slice)


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
    if enterprise_lookups(slice, ""):
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

    ids = override_frame(scope, slice)["id"].to_list()
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
