"""Keeping an in-process frame exact after writes without reading every row again.

The frames of facts.py and facts_panels.py are kept under the change tokens of the tables
they read (wurao/registry/versions.py). When a token has changed:

- only tables in `LOGGED` (enforcement actions, visits, the visits' departments and items:
  written all day) changed, on PostgreSQL: the rows written since the last read are listed in
  the change log (migration oversight 0004: statement triggers append the writing transaction,
  the table and the action's or visit's id of every row inserted, updated or deleted), and
  only those actions and visits are read again and replaced in the frame;
- anything else (an enterprise, a grade, a department; SQLite; a TRUNCATE; more than
  `MOST_ROWS` changed; a token renewed with nothing in the log, as by a bulk load with the
  triggers off; a process that has not looked for longer than the log is kept): the frame is
  read again whole, as before.

Exactness: before each read the reader takes the xmin of a new snapshot (the oldest
transaction still running). Every transaction whose changes the read may have missed has an
id at or above it, so the next refresh re-reads the rows logged by transactions from that
xmin on (a few rows twice is harmless: a row read again replaces itself). The log is pruned
of entries older than a day (`prune`), leaving a horizon row; a reader whose last xmin is
below the horizon reads everything again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import connection

from wurao.registry.models import TableVersion

LOG = "oversight_factchange"
MOST_ROWS = 50_000  # more changed keys than this: read everything again
PRUNE_EVERY_S = 3600.0
KEEP = "1 day"
_pruned_at = 0.0


def logged_tables() -> dict[str, str]:
    """{table: what its log key is}: the tables whose rows the change log names."""
    from wurao.enforcement.models import EnforcementAction
    from wurao.visits.models import Visit

    through = {
        n: Visit._meta.get_field(n).remote_field.through._meta.db_table
        for n in ("departments", "items")
    }
    return {
        EnforcementAction._meta.db_table: "action",
        Visit._meta.db_table: "visit",
        through["departments"]: "visit",
        through["items"]: "visit",
    }


@dataclass(frozen=True)
class Mark:
    """Where a kept frame stands: the tokens it was read under, and the xmin taken before."""

    tokens: dict[str, str]
    xmin: int | None  # None: no change log here (SQLite), only whole reads

    @property
    def token(self) -> str:
        return " ".join(self.tokens[t] for t in sorted(self.tokens))


def tokens(tables: list[str]) -> dict[str, str] | None:
    """Each table's change token; None when one has none or this transaction wrote one."""
    from wurao.registry.versions import WRITTEN

    wanted = sorted(set(tables))
    marks = ", ".join(["%s"] * len(wanted))
    table_col = connection.ops.quote_name(TableVersion._meta.get_field("table").column)
    token_col = connection.ops.quote_name(TableVersion._meta.get_field("token").column)
    sql = (
        f"SELECT {table_col}, {token_col} FROM {TableVersion._meta.db_table} "
        f"WHERE {table_col} IN ({marks})"
    )
    if connection.vendor == "postgresql":
        sql += f" UNION ALL SELECT '', current_setting('{WRITTEN}', true)"
    with connection.cursor() as cursor:
        cursor.execute(sql, wanted)
        found = dict(cursor.fetchall())
    written = found.pop("", None) or ""
    if len(found) < len(wanted) or any(f" {t} " in written for t in wanted):
        return None
    return found


def _has_log() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [LOG])
        return cursor.fetchone()[0]


def xmin() -> int | None:
    """The oldest transaction still running, as a 64-bit id (None without a change log)."""
    if not _has_log():
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
        return int(cursor.fetchone()[0])


def mark(tables: list[str]) -> Mark | None:
    """Where a read that starts now will stand (None: not to be kept). The xmin is taken
    before the tokens: a write committing in between is at or above it, found next time."""
    oldest = xmin()
    found = tokens(tables)
    if found is None:
        return None
    return Mark(found, oldest)


def changes(kept: Mark, now: dict[str, str]) -> dict[str, set[int]] | None:
    """{"action": ids, "visit": ids} changed since `kept` ({} when none), or None when the
    frame must be read again whole."""
    changed = {t for t, token in now.items() if kept.tokens.get(t) != token}
    if not changed:
        return {}
    logged = logged_tables()
    if kept.xmin is None or not changed <= set(logged):
        return None
    _prune()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT coalesce(max(key), 0) FROM {LOG} WHERE tbl = ''"  # the pruning horizon
        )
        if kept.xmin < cursor.fetchone()[0]:
            return None
        cursor.execute(
            f"SELECT tbl, count(*), count(*) - count(key) FROM {LOG} "
            "WHERE xid >= %s::text::xid8 AND tbl <> '' GROUP BY tbl",
            [kept.xmin],
        )
        counts = {t: (n, truncated) for t, n, truncated in cursor.fetchall()}
        if (
            any(truncated for _n, truncated in counts.values())
            or sum(n for n, _t in counts.values()) > MOST_ROWS
            or not changed <= set(counts)  # a token renewed without a logged row
        ):
            return None
        cursor.execute(
            f"SELECT DISTINCT tbl, key FROM {LOG} WHERE xid >= %s::text::xid8 AND tbl <> ''",
            [kept.xmin],
        )
        found: dict[str, set[int]] = {"action": set(), "visit": set()}
        for table, key in cursor.fetchall():
            if table in logged:
                found[logged[table]].add(key)
    return found


def _prune() -> None:
    """Drop log entries older than KEEP (at most once an hour in a process), leaving the
    horizon (one past the newest transaction dropped): readers that last looked before it
    read everything again."""
    global _pruned_at
    if time.monotonic() - _pruned_at < PRUNE_EVERY_S:
        return
    _pruned_at = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT max(xid)::text::bigint FROM {LOG} "
            f"WHERE at < clock_timestamp() - interval '{KEEP}' AND tbl <> ''"
        )
        newest = cursor.fetchone()[0]
        if newest is None:
            return
        cursor.execute(f"INSERT INTO {LOG} (tbl, key) VALUES ('', %s)", [newest + 1])
        cursor.execute(
            f"DELETE FROM {LOG} WHERE (tbl <> '' AND xid <= %s::text::xid8) "
            "OR (tbl = '' AND key <= %s)",
            [newest, newest],
        )
