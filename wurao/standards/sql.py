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
    occurrences: int  # of the terms in the article's text
    title_hit: bool  # a term is in the document's title
    document_title: str
    document_kind: str
    position: int


def _exact_in_index(term: Term) -> bool:
    """A term of one or two Chinese characters, or one Latin word, is found exactly by its
    gram: the text need not be read again."""
    return (
        len(term.grams) == 1
        and not term.prefix
        and len(term.text) <= 2
        and len(term.grams[0]) == len(term.text)
    ) or (not term.grams and term.prefix == term.text)


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
    index finds candidates, the text itself is checked where the grams are not exact), in no
    particular order, with what ranks them: occurrences in the text and title hits."""
    article, version, document = (
        _q(_article()),
        _q(DocumentVersion._meta.db_table),
        _q(Document._meta.db_table),
    )
    pg = connection.vendor == "postgresql"
    find = "strpos({}, %s) > 0" if pg else "instr({}, %s) > 0"
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
    searched = "lower(d.designation || ' ' || a.number || ' ' || a.text)"  # grams.searchable
    for term in terms:
        if not _exact_in_index(term):
            where.append(find.format(searched))
            params.append(term.text)
    # The current version: the newest that has started, else the first still to come (two
    # range probes of the (document, effective_from) index; an ORDER BY would sort per row).
    where.append(
        f"((v.effective_from <= %s AND NOT EXISTS (SELECT 1 FROM {version} v2 "
        "WHERE v2.document_id = v.document_id AND v2.effective_from > v.effective_from "
        "AND v2.effective_from <= %s)) OR (v.effective_from > %s AND NOT EXISTS (SELECT 1 "
        f"FROM {version} v3 WHERE v3.document_id = v.document_id "
        "AND (v3.effective_from <= %s OR v3.effective_from < v.effective_from))))"
    )
    params += [today, today, today, today]
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
    inner = (
        f"SELECT a.id, lower(a.text) AS body, d.title, d.kind, a.position FROM {source} "
        f"JOIN {version} v ON v.id = a.version_id JOIN {document} d ON d.id = v.document_id "
        f"WHERE {' AND '.join(where)} LIMIT %s"
    )
    # Ranked outside the bounded set only: occurrences counted by what replace() removes.
    counts = " + ".join(
        "(length(c.body) - length(replace(c.body, %s, ''))) / length(%s)" for _ in terms
    )
    title_hits = " OR ".join(find.format("lower(c.title)") for _ in terms)
    outer = (
        f"SELECT c.id, {counts}, CASE WHEN {title_hits} THEN 1 ELSE 0 END, c.title, c.kind, "
        f"c.position FROM ({inner}) c"
    )
    outer_params = [p for t in terms for p in (t.text, t.text)] + [t.text for t in terms]
    with connection.cursor() as cursor:
        if pg:
            # Through the GIN index's bitmap only: the planner would rather filter rows read by
            # another index, unpacking each row's large (TOASTed) vector: 6x slower for a
            # common character (docs/decisions/0005-standards-search.md).
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("SET enable_indexscan = off")
        try:
            cursor.execute(outer, [*outer_params, *params, limit])
            rows = cursor.fetchall()
        finally:
            if pg:
                cursor.execute("RESET enable_seqscan")
                cursor.execute("RESET enable_indexscan")
        return [
            Candidate(pk, int(occ or 0), bool(hit), title, kind_, position)
            for pk, occ, hit, title, kind_, position in rows
        ]
