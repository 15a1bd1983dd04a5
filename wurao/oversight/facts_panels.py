"""What the rule, grade and department tabs read beside the facts frame (facts.py), kept in
this process under the change tokens of the tables read (wurao/registry/versions.py), so that
a page's figures are a few Polars operations at 5,000,000 actions:

- `visits()`: the visits that count for the alerts (registered, in progress or completed:
  `visits.selectors.COUNTED_STATUSES`) with what wurao/visits/alerts.py reads, the items they
  inspected and the departments that took part: the rule tab's alerts.

After a write only the visits written are read again (wurao/oversight/refresh.py). A table
without a token, or one this transaction has written, is read again at every call: slow,
never stale. (Each action's record lag is a column of the facts frame.)
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace

import polars as pl
from django.db.models import QuerySet

from wurao.accounts.scope import Scope
from wurao.oversight import refresh
from wurao.oversight.facts import _read, read_ids, replaced
from wurao.visits import selectors as visit_selectors

ALL = Scope(sees_all=True)
_TABLES = re.compile(r"\b(?:FROM|JOIN)\s+\"?(\w+)", re.IGNORECASE)
_lock = threading.Lock()
_kept: dict[str, tuple[refresh.Mark, Visits]] = {}


@dataclass(frozen=True)
class Visits:
    visits: pl.DataFrame  # id, enterprise_id, date, inspection, after_the_fact
    items: pl.DataFrame  # visit_id, item_id
    departments: pl.DataFrame  # visit_id, department_id (every visit, whatever its status)
    # Registrations that broke a rule with a reason (any status): id, department_id (lead),
    # enterprise_id, date, status, decided_within (seconds from registration to decision)
    overrides: pl.DataFrame


def _visit_statements() -> dict[str, QuerySet]:
    counted = visit_selectors.visit_list(scope=ALL).filter(
        status__in=visit_selectors.COUNTED_STATUSES
    )
    return {
        "visits": counted.order_by().values_list(
            "id", "enterprise_id", "date", "kind", "after_the_fact"
        ),
        "items": counted.order_by().values_list("id", "items").filter(items__isnull=False),
        "departments": visit_selectors.visit_list(scope=ALL)
        .order_by()
        .values_list("id", "departments"),
        "overrides": visit_selectors.visit_list(scope=ALL, filters={"overridden": True})
        .order_by()
        .values_list(
            "id",
            "department_id",
            "enterprise_id",
            "date",
            "status",
            "registered_at",
            "override_decided_at",
        ),
    }


_VISITS_SCHEMA = {
    "id": pl.Int64,
    "enterprise_id": pl.Int64,
    "date": pl.Date,
    "kind": pl.String,
    "after_the_fact": pl.Boolean,
}
_OVERRIDES_SCHEMA = {
    "id": pl.Int64,
    "department_id": pl.Int64,
    "enterprise_id": pl.Int64,
    "date": pl.Date,
    "status": pl.String,
    "decided_within": pl.Float64,
}
_PAIRS = {"visit_id": pl.Int64, "item_id": pl.Int64}
_DEPARTMENTS = {"visit_id": pl.Int64, "department_id": pl.Int64}


def _parts(statements: dict[str, QuerySet], ids: list[int] | None = None) -> Visits:
    """The frames, of every visit (ids None) or of the visits with these ids."""

    def read(name: str, schema: dict) -> pl.DataFrame:
        if ids is None:
            return _read(statements[name], schema)
        return read_ids(statements[name], ids, schema)

    visits = read("visits", _VISITS_SCHEMA).select(
        "id",
        "enterprise_id",
        "date",
        "after_the_fact",
        inspection=pl.col("kind") == "inspection",
    )
    overrides = statements["overrides"]
    if ids is not None:
        overrides = overrides.filter(pk__in=ids) if ids else overrides.none()
    return Visits(
        visits=visits,
        items=read("items", _PAIRS),
        departments=read("departments", _DEPARTMENTS).drop_nulls(),
        # Few rows (a registration that breaks a rule is the exception): through the ORM.
        overrides=pl.DataFrame(
            [
                (pk, department, enterprise, day, status, _seconds(registered, decided))
                for pk, department, enterprise, day, status, registered, decided in overrides
            ],
            schema=_OVERRIDES_SCHEMA,
            orient="row",
        ),
    )


def _load_visits(statements: dict[str, QuerySet]) -> Visits:
    loaded = _parts(statements)
    # In the order the alert engines sort them (visits by enterprise, day and visit; the items
    # inspected by enterprise, item, day and visit): the rows of a period are then in order
    # already and the engines skip their sorts (rows read again later are appended, and
    # sorted by the engines).
    visits = loaded.visits.sort("enterprise_id", "date", "id")
    items = (
        loaded.items.join(
            visits.select("id", "enterprise_id", "date"), left_on="visit_id", right_on="id"
        )
        .sort("enterprise_id", "item_id", "date", "visit_id")
        .select(*_PAIRS)
    )
    return replace(loaded, visits=visits, items=items)


def _apply_visits(kept: Visits, statements: dict[str, QuerySet], ids: list[int]) -> Visits:
    """`kept` with the visits `ids` read again (wurao/oversight/refresh.py)."""
    if not ids:
        return kept
    new = _parts(statements, ids)
    wanted = pl.Series(ids, dtype=pl.Int64).implode()
    return Visits(
        visits=replaced(kept.visits, pl.col("id").is_in(wanted), new.visits),
        items=replaced(kept.items, pl.col("visit_id").is_in(wanted), new.items),
        departments=replaced(kept.departments, pl.col("visit_id").is_in(wanted), new.departments),
        overrides=replaced(kept.overrides, pl.col("id").is_in(wanted), new.overrides),
    )


def _seconds(registered, decided) -> float | None:
    return (decided - registered).total_seconds() if registered and decided else None


def visits() -> Visits:
    """Every counted visit, its items and its departments; after a write, the visits written
    read again (refresh.py), or everything when that cannot be told."""
    statements = _visit_statements()
    tables: set[str] = set()
    for qs in statements.values():
        tables.update(_TABLES.findall(qs.query.sql_with_params()[0]))
    tables_read = sorted(tables)
    now = refresh.tokens(tables_read)
    kept = _kept.get("visits")
    if now is not None and kept is not None and kept[0].tokens == now:
        return kept[1]
    with _lock:
        mark = refresh.mark(tables_read)
        if mark is None:  # untracked, or written in this open transaction: not kept
            return _load_visits(statements)
        kept = _kept.get("visits")
        if kept is not None and kept[0].tokens == mark.tokens:
            return kept[1]
        changed = refresh.changes(kept[0], mark.tokens) if kept is not None else None
        if changed is None:
            value = _load_visits(statements)
        else:
            value = _apply_visits(kept[1], statements, sorted(changed.get("visit", ())))
        _kept["visits"] = (mark, value)
        return value


def forget() -> None:
    """Drop what this process keeps (tests, and the benchmark's cold timings)."""
    _kept.clear()
