"""Imports from plain text, DOCX and PDF: a report per file, nothing stored from a bad file,
nothing stored at all without --commit, stored data never harmed."""

import datetime
import io

import docx
import pytest
from django.core.management import CommandError, call_command
from weasyprint import HTML

from wurao.audit.models import AuditEvent
from wurao.standards.choices import DocumentKind
from wurao.standards.models import Article, Document, DocumentVersion
from wurao.standards.services import ImportRequest, files_import

pytestmark = pytest.mark.django_db

LAW_TEXT = (
    "中华人民共和国演示法\n第一章 总则\n第一条 为了演示，制定本法。\n第二条 夜间施工应当公告。\n"
)
DAY = datetime.date(2022, 6, 5)


def docx_bytes(lines):
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(lines):
    body = "".join(f"<p>{line}</p>" for line in lines)
    return HTML(
        string=f"<html><body style='font-family: Noto Serif CJK SC'>{body}</body></html>"
    ).write_pdf()


def run(files, *, commit=True, **kwargs):
    request = ImportRequest(kind=kwargs.pop("kind", DocumentKind.LAW), effective_from=DAY, **kwargs)
    return files_import(actor="test", files=files, request=request, commit=commit)


def test_text_docx_and_pdf_import_at_once_with_a_report_per_file():
    files = [
        ("law.txt", LAW_TEXT.encode()),
        (
            "reg.docx",
            docx_bytes(["演示条例", "第一条 条例目的。", "第二条 条例范围。", "第三条 附则。"]),
        ),
        (
            "std.pdf",
            pdf_bytes(["演示标准", "5.3.1 疏散门应向疏散方向开启。", "5.3.2 防火门应常闭。"]),
        ),
    ]

    reports = run(files, kind=DocumentKind.NORMATIVE)

    assert [(r.name, r.ok, r.articles) for r in reports] == [
        ("law.txt", True, 2),
        ("reg.docx", True, 3),
        ("std.pdf", True, 2),
    ]
    assert set(Document.objects.values_list("title", flat=True)) == {
        "中华人民共和国演示法",
        "演示条例",
        "演示标准",
    }
    assert Article.objects.get(number="5.3.2").anchor == "c5-3-2"
    assert AuditEvent.objects.filter(verb="standards.version_import").count() == 3


def test_a_bad_file_stores_nothing_and_the_others_still_import():
    reports = run(
        [
            ("scan.pdf", HTML(string="<html><body></body></html>").write_pdf()),
            ("broken.docx", b"not a zip"),
            ("notes.txt", "只有一段说明文字，没有条文。".encode()),
            ("law.txt", LAW_TEXT.encode()),
        ]
    )

    assert [r.ok for r in reports] == [False, False, False, True]
    assert "没有文字层" in reports[0].problems[0]
    assert "DOCX" in reports[1].problems[0]
    assert "未识别出任何条文" in reports[2].problems[0]
    assert Document.objects.count() == 1 and Article.objects.count() == 2


def test_a_second_version_the_same_day_is_refused_and_the_stored_one_kept():
    run([("law.txt", LAW_TEXT.encode())])

    (report,) = run([("law-again.txt", (LAW_TEXT + "第三条 新增。").encode())])

    assert not report.ok and "同一天只能有一个版本" in report.problems[0]
    assert DocumentVersion.objects.count() == 1 and Article.objects.count() == 2


def test_a_dry_run_reports_but_stores_nothing():
    (report,) = run([("law.txt", LAW_TEXT.encode())], commit=False)

    assert report.ok and report.articles == 2 and report.document_id is None
    assert (
        not Document.objects.exists()
        and not AuditEvent.objects.filter(verb__startswith="standards").exists()
    )


def test_the_command_is_a_dry_run_unless_commit(tmp_path, department):
    path = tmp_path / "law.txt"
    path.write_text(LAW_TEXT, encoding="utf-8")
    args = [
        str(path),
        "--kind",
        "law",
        "--effective-from",
        "2022-06-05",
        "--department",
        department.code,
        "--title",
        "演示法",
        "--designation",
        "演示法",
    ]

    call_command("standards_import", *args, stdout=io.StringIO())
    assert not Document.objects.exists()
    call_command("standards_import", *args, "--commit", stdout=io.StringIO())

    document = Document.objects.get()
    assert (document.title, document.department, document.versions.get().articles.count()) == (
        "演示法",
        department,
        2,
    )
    with pytest.raises(CommandError):
        call_command(
            "standards_import",
            str(tmp_path / "missing.txt"),
            "--kind",
            "law",
            "--effective-from",
            "2022-06-05",
            stdout=io.StringIO(),
        )
