"""Exact caches of reads over large tables: change tokens kept by database triggers.

A tracked table has a row in TableVersion holding a token that triggers replace with a new
random value whenever a transaction that wrote the table (INSERT, UPDATE, DELETE, TRUNCATE;
COPY, bulk writes, raw SQL and the back office included) commits, in that transaction. A
read cached under the tokens of every table its SQL names is therefore never served once
one of them has changed: the next reader sees a new token and computes again. Tokens never
repeat, and a rolled-back write leaves the token as it was. A table without a token (not
tracked, or its row emptied by a test's flush) is never cached: forgetting to track a table
makes a read slow, never stale.

PostgreSQL: the token is replaced at commit (a deferred constraint trigger, once per
transaction and table), so a long import holds the token row only while it commits, and
other writers of the table never wait for it. Until then a statement trigger marks the table
written in the transaction (a transaction-local setting): a read inside a transaction that
has written one of its tables is computed, never cached, since the token does not show that
transaction's own changes yet. SQLite (one writer at a time): a row trigger replaces the
token at once, inside the writing transaction; what a reader caches under it there is never
found again if that transaction rolls back.

Tracked by migrations: registry (enterprises, their risk tags, streets, communities, parks,
departments), oversight (enforcement actions).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.db.models.query import ModelIterable

T = TypeVar("T")

CACHE_SECONDS = 24 * 3600  # a bound on space only: a stale entry is never read
WRITTEN = "wurao.tables_written"  # PostgreSQL: " table table " written by this transaction
VERSIONED = "wurao.tables_versioned"  # ... and already given a new token at its commit
_MISSING = object()
_TABLES = re.compile(r"\b(?:FROM|JOIN)\s+\"?(\w+)", re.IGNORECASE)


def _names(version_model: Any) -> tuple[str, str, str]:
    meta = version_model._meta
    return meta.db_table, meta.get_field("table").column, meta.get_field("token").column


def _postgresql_functions(versions: str, table_col: str, token_col: str) -> list[str]:
    def listed(setting: str) -> str:
        return f"coalesce(nullif(current_setting('{setting}', true), ''), ' ')"

    def mark(setting: str) -> str:
        return f"""
            IF position(' ' || TG_TABLE_NAME || ' ' IN {listed(setting)}) = 0 THEN
                PERFORM set_config('{setting}', {listed(setting)} || TG_TABLE_NAME || ' ', true);
            END IF;"""

    renew = f"""
        INSERT INTO {versions} ({table_col}, {token_col})
        VALUES (TG_TABLE_NAME, gen_random_uuid()::text)
        ON CONFLICT ({table_col}) DO UPDATE SET {token_col} = EXCLUDED.{token_col};"""
    return [
        f"""
        CREATE OR REPLACE FUNCTION wurao_table_written() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            {mark(WRITTEN)}
            IF TG_OP = 'TRUNCATE' THEN  -- no row events: a new token at once
                {renew}
            END IF;
            RETURN NULL;
        END $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION wurao_table_committing() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF position(' ' || TG_TABLE_NAME || ' ' IN {listed(VERSIONED)}) = 0 THEN
                {renew}
                {mark(VERSIONED)}
            END IF;
            RETURN NULL;
        END $$
        """,
    ]


def _trigger(prefix: str, table: str) -> str:
    return f"{prefix}_{table}"[:63]


def track(schema_editor: Any, version_model: Any, tables: Iterable[str]) -> None:
    """Install the triggers on `tables` and give each a first token (from a migration, with
    the migration's historical TableVersion)."""
    quote = schema_editor.quote_name
    versions, table_col, token_col = (quote(n) for n in _names(version_model))
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for sql in _postgresql_functions(versions, table_col, token_col):
            schema_editor.execute(sql)
    for table in tables:
        name = quote(table)
        if vendor == "postgresql":
            written, committing = (quote(_trigger(p, table)) for p in ("wurao_w", "wurao_c"))
            schema_editor.execute(
                f"CREATE TRIGGER {written} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {name} FOR EACH STATEMENT EXECUTE FUNCTION wurao_table_written()"
            )
            schema_editor.execute(
                f"CREATE CONSTRAINT TRIGGER {committing} AFTER INSERT OR UPDATE OR DELETE "
                f"ON {name} DEFERRABLE INITIALLY DEFERRED "
                "FOR EACH ROW EXECUTE FUNCTION wurao_table_committing()"
            )
            # Also when a restore or a bulk load runs with session_replication_role = replica.
            for trigger in (written, committing):
                schema_editor.execute(f"ALTER TABLE {name} ENABLE ALWAYS TRIGGER {trigger}")
            token = "gen_random_uuid()::text"
        elif vendor == "sqlite":
            # A token row deleted (a test database's flush deletes every table's rows) comes
            # back with a new token while its table is tracked: an unknown state, a new token.
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {quote('wurao_kept')} AFTER DELETE ON {versions} "
                "WHEN EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'trigger' "
                f"AND name = 'wurao_insert_' || OLD.{table_col}) BEGIN "
                f"INSERT OR IGNORE INTO {versions} ({table_col}, {token_col}) "
                f"VALUES (OLD.{table_col}, lower(hex(randomblob(16)))); END"
            )
            for event in ("INSERT", "UPDATE", "DELETE"):  # per row: SQLite has no other
                trigger = quote(f"wurao_{event.lower()}_{table}")
                schema_editor.execute(
                    f"CREATE TRIGGER {trigger} AFTER {event} ON {name} BEGIN "
                    f"INSERT INTO {versions} ({table_col}, {token_col}) "
                    f"VALUES ('{table}', lower(hex(randomblob(16)))) "
                    f"ON CONFLICT ({table_col}) DO UPDATE SET {token_col} = excluded.{token_col}; "
                    "END"
                )
            token = "lower(hex(randomblob(16)))"
        else:
            continue  # no triggers, no token: never cached
        schema_editor.execute(
            f"INSERT INTO {versions} ({table_col}, {token_col}) VALUES (%s, {token})", [table]
        )


def untrack(schema_editor: Any, version_model: Any, tables: Iterable[str]) -> None:
    quote = schema_editor.quote_name
    vendor = schema_editor.connection.vendor
    for table in tables:
        if vendor == "postgresql":
            triggers = [_trigger(p, table) for p in ("wurao_w", "wurao_c")]
        elif vendor == "sqlite":
            triggers = [f"wurao_{e}_{table}" for e in ("insert", "update", "delete")]
        else:
            triggers = []
        for trigger in triggers:
            on = f" ON {quote(table)}" if vendor == "postgresql" else ""
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {quote(trigger)}{on}")
    version_model._default_manager.filter(table__in=list(tables)).delete()


def tables_token(tables: Iterable[str]) -> str | None:
    """The tables' tokens as one value; None when one of them has none, or (PostgreSQL) when
    this transaction has written one of them and not committed yet."""
    from wurao.registry.models import TableVersion

    wanted = sorted(set(tables))
    if not wanted:
        return None
    versions, table_col, token_col = (connection.ops.quote_name(n) for n in _names(TableVersion))
    marks = ", ".join(["%s"] * len(wanted))
    sql = f"SELECT {table_col}, {token_col} FROM {versions} WHERE {table_col} IN ({marks})"
    if connection.vendor == "postgresql":
        sql += f" UNION ALL SELECT '', current_setting('{WRITTEN}', true)"
    with connection.cursor() as cursor:
        cursor.execute(sql, wanted)
        found = dict(cursor.fetchall())
    written = found.pop("", None) or ""
    if len(found) < len(wanted) or any(f" {t} " in written for t in wanted):
        return None
    return " ".join(found[t] for t in wanted)


def cached_read(*, namespace: str, statement: QuerySet, compute: Callable[[], T]) -> T:
    """compute(), or what it answered for the same `statement` while none of the tables that
    statement reads (subqueries included) changed. The statement is only compiled, not run:
    it stands for the read, so it must name everything compute() depends on (the viewer's
    scope, the period, the tables)."""
    try:
        sql, params = statement.query.sql_with_params()
    except EmptyResultSet:  # .none(), or a filter that can match nothing
        return compute()
    token = tables_token(_TABLES.findall(sql))
    if token is None:
        return compute()
    key = repr((sql, [str(p) for p in params], token))
    cache_key = f"wurao:{namespace}:{hashlib.sha256(key.encode()).hexdigest()}"
    value = cache.get(cache_key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(cache_key, value, CACHE_SECONDS)
    return value


def cached_call(*, namespace: str, key: Any, compute: Callable[[], T]) -> T:
    """compute(), or its last answer for `key` while none of the tables it read changed: for
    a read made of several statements. The tables are those its statements named when it last
    ran (recorded then), so a table added to compute() later is picked up by itself. A value is
    kept only when the tokens were read before compute() and cover every table it read: the
    first call only learns the tables, the second keeps the value, the third may use it."""
    cache_key = f"wurao:{namespace}:{hashlib.sha256(repr(key).encode()).hexdigest()}"
    entry = cache.get(cache_key)
    tables: list[str] = entry[0] if entry else []
    before = tables_token(tables) if tables else None
    if entry and before is not None and before == entry[1]:
        return entry[2]
    read: set[str] = set()

    def record(execute, sql, params, many, context):  # noqa: ANN001
        read.update(_TABLES.findall(sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        value = compute()
    if before is not None and read <= set(tables):
        cache.set(cache_key, (tables, before, value), CACHE_SECONDS)
    else:  # the tables only, for the next call to read their tokens before computing
        cache.set(cache_key, (sorted(read | set(tables)), None, None), CACHE_SECONDS)
    return value


class CachedQuerySet(QuerySet):
    """A queryset whose count() (a paginator's total) is cached under the tokens of the tables
    its statement reads, and, after `rows_cached()`, the rows of its slices (pages) too.
    Counting a name search or a whole district over 433,407 enterprises reads tens of
    thousands of rows; the registry changes by imports, now and then."""

    _rows_cached = False

    def rows_cached(self) -> CachedQuerySet:
        """Pages ([a:b]) of this queryset are cached as well: for reads repeated with the same
        values (a name search), not for one-off look-ups, which would only fill the cache."""
        clone = self._chain()
        clone._rows_cached = True
        return clone

    def _clone(self) -> CachedQuerySet:
        clone = super()._clone()
        clone._rows_cached = self._rows_cached
        return clone

    def count(self) -> int:
        if self._result_cache is not None:
            return len(self._result_cache)
        counted = self._chain()
        counted.query.select_related = False  # joins the count does not make
        counted.query.clear_ordering(force=True)
        return cached_read(namespace="count", statement=counted, compute=super().count)

    def _fetch_all(self) -> None:
        if (
            self._result_cache is None
            and self._rows_cached
            and self.query.is_sliced
            and self._iterable_class is ModelIterable
        ):
            self._result_cache = cached_read(
                namespace="rows", statement=self, compute=lambda: list(ModelIterable(self))
            )
        super()._fetch_all()  # prefetches, if any, are never cached
