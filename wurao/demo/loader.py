"""Fast bulk inserts for the demo's large tables.

The ORM builds one object per row, which is too slow for 433,407 entities on a
2-core machine; these paths insert plain tuples instead: `executemany` on the
raw SQLite connection, `COPY … FROM STDIN` on PostgreSQL, and the Django cursor's
`executemany` anywhere else. Call inside the caller's transaction.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any, Protocol

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Model

CHUNK = 50_000


class Progress(Protocol):
    def update(self, n: int) -> object: ...
    def close(self) -> object: ...


ProgressFactory = Callable[..., Progress]


class _Silent:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def silent_progress(**kwargs: Any) -> Progress:
    return _Silent()


def _chunks(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def columns_of(model: type[Model], field_names: list[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in field_names]


def bulk_insert(
    table: str,
    columns: list[str],
    rows: Iterable[tuple],
    *,
    total: int,
    desc: str,
    progress: ProgressFactory = silent_progress,
) -> int:
    """Insert `rows` (tuples in `columns` order; dates and datetimes as ISO strings)."""
    qn = connection.ops.quote_name
    column_sql = ", ".join(qn(c) for c in columns)
    bar = progress(total=total, desc=desc)
    done = 0
    try:
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            sql = f"INSERT INTO {qn(table)} ({column_sql}) VALUES ({', '.join('?' * len(columns))})"
            raw = connection.connection
            for chunk in _chunks(rows, CHUNK):
                raw.executemany(sql, chunk)
                done += len(chunk)
                bar.update(len(chunk))
        elif connection.vendor == "postgresql":
            copy_sql = f"COPY {qn(table)} ({column_sql}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
                for chunk in _chunks(rows, CHUNK):
                    for row in chunk:
                        copy.write_row(row)
                    done += len(chunk)
                    bar.update(len(chunk))
        else:
            sql = f"INSERT INTO {qn(table)} ({column_sql}) VALUES ({', '.join(['%s'] * len(columns))})"
            with connection.cursor() as cursor:
                for chunk in _chunks(rows, CHUNK):
                    cursor.executemany(sql, chunk)
                    done += len(chunk)
                    bar.update(len(chunk))
    finally:
        bar.close()
    return done


def datetime_text(day: str, time_utc: str) -> str:
    """A stored DateTimeField value for an ISO day and UTC time, as the backend keeps it."""
    if connection.vendor == "sqlite":
        return f"{day} {time_utc}"  # Django stores UTC without an offset on SQLite
    return f"{day} {time_utc}+00:00"


def tune_for_bulk_load() -> None:
    """SQLite: a larger page cache for the load (this connection only)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB


@contextmanager
def insert_triggers_suspended() -> Iterator[None]:
    """SQLite, inside the load's transaction: the change-token insert triggers
    (wurao/registry/versions.py) dropped while the bulk rows go in, then created again from
    their own SQL and each table's token renewed once by a no-op update (its update trigger).

    They fire per row, and each row's statement journal went to a temporary file: one write
    call a row, a third of the scale-1 build's time. DDL is transactional in SQLite: if the
    load fails, the rollback brings the triggers back as they were."""
    if connection.vendor != "sqlite":
        yield
        return
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master "
            "WHERE type = 'trigger' AND name LIKE 'wurao_insert_%'"
        )
        saved = cursor.fetchall()
        for name, _, _ in saved:
            cursor.execute(f"DROP TRIGGER {qn(name)}")
    yield
    with connection.cursor() as cursor:
        for _, table, sql in saved:
            cursor.execute(sql)
            cursor.execute(
                f"UPDATE {qn(table)} SET id = id WHERE id = (SELECT MIN(id) FROM {qn(table)})"
            )


def reset_sequences(models: list[type[Model]]) -> None:
    """After inserting explicit ids, move PostgreSQL's id sequences past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def delete_all(tables: list[str]) -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {qn(table)}")
