"""The search index, in the only SQL the standards app writes by hand (docs/standards.md).

SQLite: an FTS5 table over each article's grams (rowid = the article's id; unicode61 keeps a
space-separated gram whole). PostgreSQL: a tsvector column on the article table, filled from the
grams with array_to_tsvector (no parser between us and the grams), under a GIN index. Both
are kept in step by the services (`articles_index`); a trigger removes a deleted article's row
from the SQLite index. Table and column names come from the models' metadata.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection

from wurao.standards.grams import Term
from wurao.standards.models import Article, Document, DocumentVersion

VECTOR_COLUMN = "search_vector"  # PostgreSQL only, not a model field
FTS_SUFFIX = "_fts"
GIN_SUFFIX = "_search_gin"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _article() -> str:
    return Article._meta.db_table


def fts_table() -> str:
    return _article() + FTS_SUFFIX


def index_create_statements(vendor: str, article_table: str) -> list[str]:
    """What the migration (and the benchmark's rebuild) creates."""
    if vendor == "postgresql":
        return [
            f'ALTER TABLE "{article_table}" ADD COLUMN IF NOT EXISTS {VECTOR_COLUMN} tsvector',
            f'CREATE INDEX IF NOT EXISTS "{article_table}{GIN_SUFFIX}" ON "{article_table}" '
            f"USING gin ({VECTOR_COLUMN})",
        ]
    if vendor == "sqlite":
        fts = article_table + FTS_SUFFIX
        return [
            f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" USING fts5(grams, detail=none, '
            "columnsize=0, tokenize='unicode61 remove_diacritics 0')",
            f'CREATE TRIGGER IF NOT EXISTS "{fts}_delete" AFTER DELETE ON "{article_table}" '
            f'BEGIN DELETE FROM "{fts}" WHERE rowid = old.id; END',
        ]
    return []


def index_drop_statements(vendor: str, article_table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f'DROP INDEX IF EXISTS "{article_table}{GIN_SUFFIX}"',
            f'ALTER TABLE "{article_table}" DROP COLUMN IF EXISTS {VECTOR_COLUMN}',
        ]
    if vendor == "sqlite":
        fts = article_table + FTS_SUFFIX
        return [f'DROP TRIGGER IF EXISTS "{fts}_delete"', f'DROP TABLE IF EXISTS "{fts}"']
    return []


def articles_index(rows: Iterable[tuple[int, str]]) -> None:
    """(Re)index articles from their (id, grams)."""
    rows = list(rows)
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(
                f"UPDATE {_q(_article())} SET {VECTOR_COLUMN} = "
                "array_to_tsvector(string_to_array(%s, ' ')) WHERE id = %s",
                [(grams, pk) for pk, grams in rows],
            )
        else:
            fts = _q(fts_table())
            cursor.executemany(f"DELETE FROM {fts} WHERE rowid = %s", [(pk,) for pk, _ in rows])
            cursor.executemany(f"INSERT INTO {fts} (rowid, grams) VALUES (%s, %s)", rows)


def _sqlite_match(terms: Sequence[Term]) -> str:
    parts = [f'"{g}"' for t in terms for g in t.grams] + [
        f'"{t.prefix}"*' for t in terms if t.prefix
    ]
    return " AND ".join(dict.fromkeys(parts))


def _pg_query(terms: Sequence[Term]) -> str:
    parts = [f"'{g}'" for t in terms for g in t.grams] + [
        f"'{t.prefix}':*" for t in terms if t.prefix
    ]
    return " & ".join(dict.fromkeys(parts))


@dataclass(frozen=True)
class Candidate:
    article_id: int
    text: str
    heading: str
    document_title: str
    document_kind: str
    position: int


def search_candidates(
    *,
    terms: Sequence[Term],
    today: datetime.date,
    limit: int,
    department_id: int | None = None,
    kind: str = "",
    document_ids: Sequence[int] | None = None,
    in_force: bool = False,
) -> list[Candidate]:
    """Up to `limit` articles of each document's current version that hold every term (the
    index finds candidates, the text itself is checked), in no particular order."""
    article, version, document = (
        _q(_article()),
        _q(DocumentVersion._meta.db_table),
        _q(Document._meta.db_table),
    )
    pg = connection.vendor == "postgresql"
    where: list[str] = []
    params: list = []
    if pg:
        source = f"{article} a"
        where.append(f"a.{VECTOR_COLUMN} @@ %s::tsquery")
        params.append(_pg_query(terms))
    else:
        fts = _q(fts_table())
        source = f"{fts} JOIN {article} a ON a.id = {fts}.rowid"
        where.append(f"{fts} MATCH %s")
        params.append(_sqlite_match(terms))
    lower_text = "lower(d.designation || ' ' || a.number || ' ' || a.text)"  # grams.searchable
    for term in terms:
        where.append(f"strpos({lower_text}, %s) > 0" if pg else f"instr({lower_text}, %s) > 0")
        params.append(term.text)
    # The current version: the newest that has started, else the first still to come.
    where.append(
        f"v.id = (SELECT v2.id FROM {version} v2 WHERE v2.document_id = v.document_id "
        "ORDER BY CASE WHEN v2.effective_from <= %s THEN 0 ELSE 1 END, "
        "CASE WHEN v2.effective_from <= %s THEN v2.effective_from END DESC, "
        "v2.effective_from LIMIT 1)"
    )
    params += [today, today]
    if in_force:
        where.append("v.effective_from <= %s AND (v.effective_to IS NULL OR v.effective_to > %s)")
        params += [today, today]
    if department_id:
        where.append("d.department_id = %s")
        params.append(department_id)
    if kind:
        where.append("d.kind = %s")
        params.append(kind)
    if document_ids is not None:
        if pg:
            where.append("d.id = ANY(%s)")
            params.append(list(document_ids))
        else:
            where.append("d.id IN (SELECT value FROM json_each(%s))")
            params.append(json.dumps(list(document_ids)))
    sql = (
        f"SELECT a.id, a.text, a.heading, d.title, d.kind, a.position FROM {source} "
        f"JOIN {version} v ON v.id = a.version_id JOIN {document} d ON d.id = v.document_id "
        f"WHERE {' AND '.join(where)} LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return [Candidate(*row) for row in cursor.fetchall()]
