"""What the rule, grade and department tabs read beside the facts frame (facts.py), kept in
this process under the change tokens of the tables read (wurao/registry/versions.py), so that
a page's figures are a few Polars operations at 5,000,000 actions:

- `recorded()`: each action's id and the days from its date to its record (created_at, local
  date): the department tab's timeliness;
- `visits()`: the visits that count for the alerts (registered, in progress or completed:
  `visits.selectors.COUNTED_STATUSES`) with what wurao/visits/alerts.py reads, the items they
  inspected and the departments that took part: the rule tab's alerts.

A table without a token, or one this transaction has written, is read again at every call:
slow, never stale.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import polars as pl
from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import TruncDate

from wurao.accounts.scope import Scope
from wurao.enforcement import selectors as enforcement_selectors
from wurao.oversight.facts import _read
from wurao.registry.versions import tables_token
from wurao.visits import selectors as visit_selectors

ALL = Scope(sees_all=True)
_TABLES = re.compile(r"\b(?:FROM|JOIN)\s+\"?(\w+)", re.IGNORECASE)
_lock = threading.Lock()
_kept: dict[str, tuple[str, object]] = {}


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


def _load_visits(statements: dict[str, QuerySet]) -> Visits:
    visits = _read(
        statements["visits"],
        {
            "id": pl.Int64,
            "enterprise_id": pl.Int64,
            "date": pl.Date,
            "kind": pl.String,
            "after_the_fact": pl.Boolean,
        },
    )
    return Visits(
        # In the order the alert engines sort them (enterprise, day, visit): their sorts then
        # find the rows of a period already in order.
        visits=visits.select(
            "id",
            "enterprise_id",
            "date",
            "after_the_fact",
            inspection=pl.col("kind") == "inspection",
        ).sort("enterprise_id", "date", "id"),
        items=_read(statements["items"], {"visit_id": pl.Int64, "item_id": pl.Int64}),
        departments=_read(
            statements["departments"], {"visit_id": pl.Int64, "department_id": pl.Int64}
        ).drop_nulls(),
        # Few rows (a registration that breaks a rule is the exception): through the ORM.
        overrides=pl.DataFrame(
            [
                (pk, department, enterprise, day, status, _seconds(registered, decided))
                for pk, department, enterprise, day, status, registered, decided in statements[
                    "overrides"
                ]
            ],
            schema={
                "id": pl.Int64,
                "department_id": pl.Int64,
                "enterprise_id": pl.Int64,
                "date": pl.Date,
                "status": pl.String,
                "decided_within": pl.Float64,
            },
            orient="row",
        ),
    )


def _seconds(registered, decided) -> float | None:
    return (decided - registered).total_seconds() if registered and decided else None


def visits() -> Visits:
    """Every counted visit, its items and its departments."""
    statements = _visit_statements()
    tables: set[str] = set()
    for qs in statements.values():
        tables.update(_TABLES.findall(qs.query.sql_with_params()[0]))
    return _kept_or_loaded("visits", sorted(tables), lambda: _load_visits(statements))


def _kept_or_loaded(name: str, tables: list[str], load):
    token = tables_token(tables)
    kept = _kept.get(name)
    if token is not None and kept is not None and kept[0] == token:
        return kept[1]
    with _lock:
        kept = _kept.get(name)
        if token is not None and kept is not None and kept[0] == token:
            return kept[1]
        value = load()
        if token is not None:  # untracked, or written in this open transaction: not kept
            _kept[name] = (token, value)
        return value


def _statement() -> QuerySet:
    return (
        enforcement_selectors.action_list(scope=ALL)
        .order_by()
        .annotate(recorded=TruncDate("created_at"))
        .values_list("id", "date", "recorded")
    )


def _load(qs: QuerySet) -> pl.DataFrame:
    schema = {"id": pl.Int64, "date": pl.Date, "recorded": pl.Date}
    if connection.vendor == "postgresql":
        frame = _read(qs, schema)
    else:  # SQLite gives a computed date back as text: the ORM converts it
        rows = list(qs)
        frame = pl.DataFrame(rows, schema=schema, orient="row")
    return frame.select(
        "id", lag=(pl.col("recorded") - pl.col("date")).dt.total_days().cast(pl.Int32)
    )


def recorded() -> pl.DataFrame:
    """(id, lag): every action's days from its date to its record."""
    qs = _statement()
    tables = _TABLES.findall(qs.query.sql_with_params()[0])
    return _kept_or_loaded("recorded", tables, lambda: _load(qs))


def forget() -> None:
    """Drop what this process keeps (tests, and the benchmark's cold timings)."""
    _kept.clear()
