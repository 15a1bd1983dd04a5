"""Writes to the standards library: documents, their versions imported from a text, and the
search index kept in step with every article written."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from wurao.accounts.policy import require
from wurao.audit.services import audit_record
from wurao.standards import sql
from wurao.standards.choices import DocumentKind
from wurao.standards.grams import index_grams, searchable
from wurao.standards.models import Article, Document, DocumentVersion
from wurao.standards.readers import Unreadable, file_text
from wurao.standards.splitting import LAW, STANDARD, split_articles

LAW_KINDS = {DocumentKind.LAW, DocumentKind.REGULATION, DocumentKind.RULE, DocumentKind.NORMATIVE}


class ImportRefused(Exception):
    """A text that cannot become a version; `problems` say why, in Chinese."""

    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


def articles_index(*, articles: Sequence[Article], designation: str) -> None:
    """(Re)index one document's articles for search: derived data, written with the articles."""
    sql.articles_index(
        (a.pk, index_grams(searchable(designation, a.number, a.text))) for a in articles
    )


@transaction.atomic
def document_create(
    *,
    actor: Any,
    title: str,
    kind: str,
    designation: str = "",
    issuer: str = "",
    department=None,
    topics: Sequence[str] = (),
    industries: Sequence[str] = (),
) -> Document:
    document = Document(
        title=title.strip(),
        designation=designation.strip(),
        kind=kind,
        issuer=issuer.strip(),
        department=department,
        topics=list(topics),
        industries=list(industries),
    )
    require(actor, "standards.import", document)
    document.full_clean()
    document.save()
    audit_record(
        actor=actor,
        verb="standards.document_create",
        obj=document,
        payload={"title": document.title, "designation": document.designation, "kind": kind},
    )
    return document


@transaction.atomic
def version_import(
    *,
    actor: Any,
    document: Document,
    text: str,
    effective_from: datetime.date,
    label: str = "",
    effective_to: datetime.date | None = None,
    source_name: str = "",
    style: str = "",
) -> DocumentVersion:
    """A new version of a document from its full text, split into articles (第X条 for laws,
    regulations, rules and normative documents; numbered clauses for standards). Refused, with
    nothing stored, when no article is recognised or the document already has a version
    taking effect that day."""
    require(actor, "standards.import", document)
    style = style or (LAW if document.kind in LAW_KINDS else STANDARD if document.kind else "")
    split = split_articles(text, style=style)
    if not split.articles:
        split = split_articles(text)  # a guide may number either way
    problems = []
    if not split.articles:
        problems.append(
            "未识别出任何条文（法律法规应以“第X条”开头，标准条款应以“5.3.2”式编号开头）"
        )
    if effective_to is not None and effective_to <= effective_from:
        problems.append("废止日期必须晚于施行日期")
    if document.pk and document.versions.filter(effective_from=effective_from).exists():
        problems.append(f"该文件已有 {effective_from:%Y-%m-%d} 施行的版本（同一天只能有一个版本）")
    if problems:
        raise ImportRefused(problems)
    version = DocumentVersion(
        document=document,
        label=label.strip(),
        effective_from=effective_from,
        effective_to=effective_to,
        source_name=source_name[:255],
        source_sha256=hashlib.sha256(text.encode()).hexdigest(),
    )
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError as exc:  # a concurrent import of the same day
        raise ImportRefused([f"该文件已有 {effective_from:%Y-%m-%d} 施行的版本"]) from exc
    articles = Article.objects.bulk_create(
        Article(
            version=version,
            position=index,
            number=a.number[:40],
            anchor=a.anchor[:60],
            heading=a.heading[:200],
            text=a.text,
        )
        for index, a in enumerate(split.articles, start=1)
    )
    if any(a.pk is None for a in articles):  # backends without RETURNING
        articles = list(version.articles.all())
    articles_index(articles=articles, designation=document.designation)
    audit_record(
        actor=actor,
        verb="standards.version_import",
        obj=version,
        payload={
            "document": document.pk,
            "effective_from": effective_from.isoformat(),
            "articles": len(articles),
            "source": source_name[:255],
        },
    )
    return version


@transaction.atomic
def version_repeal(*, actor: Any, version: DocumentVersion, effective_to: datetime.date) -> None:
    """Record the day a version stops binding (废止); its text stays readable."""
    require(actor, "standards.import", version.document)
    if effective_to <= version.effective_from:
        raise ImportRefused(["废止日期必须晚于施行日期"])
    version.effective_to = effective_to
    version.save(update_fields=["effective_to"])
    audit_record(
        actor=actor,
        verb="standards.version_repeal",
        obj=version,
        payload={"effective_to": effective_to.isoformat()},
    )


@dataclass
class FileReport:
    name: str
    ok: bool = False
    articles: int = 0
    style: str = ""
    title: str = ""
    document_id: int | None = None
    version_id: int | None = None
    new_document: bool = False
    problems: list[str] = field(default_factory=list)


@dataclass
class ImportRequest:
    """What an import applies to every file; a title and a designation only to a single file
    (several files: each file's first non-empty line is its title)."""

    kind: str
    effective_from: datetime.date
    department: Any = None
    title: str = ""
    designation: str = ""
    issuer: str = ""
    label: str = ""
    topics: Sequence[str] = ()
    industries: Sequence[str] = ()


def _title_of(text: str, name: str) -> str:
    for line in text.splitlines():
        line = line.strip().strip("《》 ")
        if line:
            return line[:200]
    return name.rsplit(".", 1)[0][:200]


class _DryRun(Exception):
    pass


def files_import(
    *, actor: Any, files: Sequence[tuple[str, bytes]], request: ImportRequest, commit: bool
) -> list[FileReport]:
    """Import several files, each alone: a bad file stores nothing and leaves the others and
    the stored library untouched. Each file becomes a version of the document with its title
    and designation (created when new). Without `commit`, everything is checked and rolled
    back: the report says what an import would do."""
    require(
        actor, "standards.import", _Owned(request.department.pk if request.department else None)
    )
    reports = []
    for name, data in files:
        report = FileReport(name=name)
        reports.append(report)
        try:
            text = file_text(name, data)
        except Unreadable as exc:
            report.problems.append(str(exc))
            continue
        single = len(files) == 1
        report.title = (
            request.title.strip() if single and request.title.strip() else _title_of(text, name)
        )
        designation = request.designation.strip() if single else ""
        try:
            with transaction.atomic():
                document = (
                    Document.objects.filter(
                        title=report.title,
                        designation=designation,
                        department=request.department,
                    )
                    .order_by("pk")
                    .first()
                )
                report.new_document = document is None
                if document is None:
                    document = document_create(
                        actor=actor,
                        title=report.title,
                        kind=request.kind,
                        designation=designation,
                        issuer=request.issuer,
                        department=request.department,
                        topics=request.topics,
                        industries=request.industries,
                    )
                version = version_import(
                    actor=actor,
                    document=document,
                    text=text,
                    effective_from=request.effective_from,
                    label=request.label,
                    source_name=name,
                )
                report.articles = version.articles.count()
                report.style = (
                    "第X条"
                    if version.articles.filter(anchor__startswith="a").exists()
                    else "条款编号"
                )
                report.ok = True
                if commit:
                    report.document_id, report.version_id = document.pk, version.pk
                else:
                    raise _DryRun
        except _DryRun:
            pass
        except ImportRefused as exc:
            report.ok = False
            report.problems.extend(exc.problems)
        except ValidationError as exc:
            report.ok = False
            report.problems.extend(f"{k}：{'；'.join(v)}" for k, v in exc.message_dict.items())
    return reports


@dataclass(frozen=True)
class _Owned:
    department_id: int | None
