"""Reads of the standards library: documents, versions and their status, articles, search.

The library is public: every selector answers the same to everyone (no Scope to apply)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from wurao.standards import sql
from wurao.standards.choices import DocumentKind, VersionStatus
from wurao.standards.grams import Term, highlight, query_terms
from wurao.standards.models import Article, Document, DocumentVersion

# How many matching articles a search ranks; beyond it the page says "more than" (a query of
# one common character matches most of the library: docs/decisions/0005-standards-search.md).
CANDIDATE_LIMIT = 500
KIND_ORDER = {value: i for i, value in enumerate(DocumentKind.values)}


def today() -> datetime.date:
    return timezone.localdate()


def version_status(
    version: DocumentVersion, versions: Iterable[DocumentVersion], on: datetime.date
) -> str:
    """In force, not yet, superseded by a later version that has started, or repealed."""
    if version.effective_to is not None and version.effective_to <= on:
        return VersionStatus.REPEALED
    if version.effective_from > on:
        return VersionStatus.NOT_YET
    if any(on >= v.effective_from > version.effective_from for v in versions):
        return VersionStatus.SUPERSEDED
    return VersionStatus.IN_FORCE


def current_version(versions: list[DocumentVersion], on: datetime.date) -> DocumentVersion | None:
    """The version a reader is shown: the newest that has started, else the first to come."""
    started = [v for v in versions if v.effective_from <= on]
    if started:
        return max(started, key=lambda v: v.effective_from)
    return min(versions, key=lambda v: v.effective_from, default=None)


def _annotate(documents: Iterable[Document], on: datetime.date) -> list[Document]:
    annotated = []
    for document in documents:
        versions = list(document.versions.all())
        document.current = current_version(versions, on)
        document.status = version_status(document.current, versions, on) if document.current else ""
        annotated.append(document)
    return annotated


def _document_ids(*, topic: str = "", industry: str = "") -> list[int] | None:
    """Documents by topic or industry (JSON lists, read in Python: the library is small and
    SQLite has no JSON containment); None when neither filter is asked."""
    if not topic and not industry:
        return None
    ids = []
    for pk, topics, industries in Document.objects.values_list("pk", "topics", "industries"):
        if topic and topic not in (topics or []):
            continue
        if industry and industries and industry not in industries:
            continue
        ids.append(pk)
    return ids


def document_list(*, filters: Mapping[str, Any] | None = None) -> list[Document]:
    """Documents with their current version and its status, filtered (department, kind, topic,
    industry, in force, q: title or designation), strongest kind first."""
    filters = filters or {}
    on = filters.get("on") or today()
    documents = Document.objects.select_related("department").prefetch_related(
        Prefetch("versions", queryset=DocumentVersion.objects.order_by("effective_from"))
    )
    if filters.get("department"):
        documents = documents.filter(department=filters["department"])
    if filters.get("kind"):
        documents = documents.filter(kind=filters["kind"])
    ids = _document_ids(topic=filters.get("topic", ""), industry=filters.get("industry", ""))
    if ids is not None:
        documents = documents.filter(pk__in=ids)
    if q := (filters.get("q") or "").strip():
        documents = documents.filter(Q(title__icontains=q) | Q(designation__icontains=q))
    rows = _annotate(documents, on)
    if filters.get("in_force"):
        rows = [d for d in rows if d.status == VersionStatus.IN_FORCE]
    rows.sort(key=lambda d: (KIND_ORDER.get(d.kind, 99), d.title))
    return rows


def document_get(*, pk: int, on: datetime.date | None = None) -> Document:
    """The document with its versions (newest first) and current version; DoesNotExist if none."""
    document = (
        Document.objects.select_related("department")
        .prefetch_related(
            Prefetch("versions", queryset=DocumentVersion.objects.order_by("-effective_from"))
        )
        .get(pk=pk)
    )
    on = on or today()
    (document,) = _annotate([document], on)
    for version in document.versions.all():
        version.status = version_status(version, document.versions.all(), on)
    return document


def version_articles(*, version: DocumentVersion) -> QuerySet[Article]:
    """A version's articles in order, with the catalogue items that enforce each (the link
    lives in the catalogue, a layer above, and is followed by its relation name only)."""
    return version.articles.order_by("position").prefetch_related("item_links__item")


def article_get(*, pk: int) -> Article:
    return Article.objects.select_related("version__document__department").get(pk=pk)


def article_list_by_number(
    *, designation: str, number: str, on: datetime.date | None = None
) -> QuerySet[Article]:
    """Articles cited by document designation and number, every version: those that have
    started first (newest first: the current one leads), then those still to come."""
    started = Case(
        When(version__effective_from__lte=on or today(), then=Value(0)), default=Value(1)
    )
    return (
        Article.objects.filter(version__document__designation=designation, number=number)
        .select_related("version__document")
        .order_by(started, "-version__effective_from")
    )


def facets() -> dict[str, list[str]]:
    """The topics and industries the library's documents name, for the filters."""
    topics: set[str] = set()
    industries: set[str] = set()
    for t, i in Document.objects.values_list("topics", "industries"):
        topics.update(t or [])
        industries.update(i or [])
    return {"topics": sorted(topics), "industries": sorted(industries)}


@dataclass
class Hit:
    article_id: int
    occurrences: int
    title_hit: bool
    article: Article | None = None
    snippet: str = ""
    status: str = ""


@dataclass
class SearchResult:
    query: str
    terms: list[Term]
    hits: list[Hit] = field(default_factory=list)
    more: bool = False  # more than CANDIDATE_LIMIT matched: only that many were ranked
    documents: list[Document] = field(default_factory=list)  # title or designation hits

    @property
    def count(self) -> int:
        return len(self.hits)


def article_search(
    *, query: str, filters: Mapping[str, Any] | None = None, limit: int = CANDIDATE_LIMIT
) -> SearchResult:
    """Articles of each document's current version containing every term of the query,
    ranked: articles of documents whose title holds a term first, then by occurrences."""
    filters = filters or {}
    terms = query_terms(query)
    result = SearchResult(query=query, terms=terms)
    if not terms:
        return result
    on = filters.get("on") or today()
    department = filters.get("department")
    candidates = sql.search_candidates(
        terms=terms,
        today=on,
        limit=limit + 1,
        department_id=getattr(department, "pk", department) or None,
        kind=filters.get("kind", ""),
        document_ids=_document_ids(
            topic=filters.get("topic", ""), industry=filters.get("industry", "")
        ),
        in_force=bool(filters.get("in_force")),
    )
    result.more = len(candidates) > limit
    hits = [
        (
            c,
            Hit(article_id=c.article_id, occurrences=c.occurrences, title_hit=c.title_hit),
        )
        for c in candidates[:limit]
    ]
    hits.sort(
        key=lambda pair: (
            not pair[1].title_hit,
            -pair[1].occurrences,
            KIND_ORDER.get(pair[0].document_kind, 99),
            pair[0].document_title,
            pair[0].position,
        )
    )
    result.hits = [hit for _, hit in hits]
    if len(query.strip()) <= 100:
        whole = query.strip()
        result.documents = list(
            Document.objects.filter(
                Q(title__icontains=whole) | Q(designation__icontains=whole)
            ).order_by("kind", "title")[:5]
        )
    return result


def hits_load(*, hits: list[Hit], terms: list[Term], on: datetime.date | None = None) -> list[Hit]:
    """Fill one page of hits with their articles, highlighted snippets and version status."""
    on = on or today()
    articles = Article.objects.select_related("version__document__department").in_bulk(
        [h.article_id for h in hits]
    )
    versions: dict[int, list[DocumentVersion]] = {}
    for version in DocumentVersion.objects.filter(
        document__in={a.version.document_id for a in articles.values()}
    ):
        versions.setdefault(version.document_id, []).append(version)
    for hit in hits:
        hit.article = articles.get(hit.article_id)
        if hit.article is None:  # deleted between the search and the page
            continue
        hit.snippet = highlight(hit.article.text, terms, width=140)
        hit.status = version_status(
            hit.article.version, versions.get(hit.article.version.document_id, []), on
        )
    return [h for h in hits if h.article is not None]
