"""The consolidated form as files: a PDF whose Chinese text is real text in a CJK font (no
missing-glyph boxes), and a workbook with the same header and table."""

import io
import logging
import os
import re
import zlib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from wurao.planning import services_coordination
from wurao.planning.choices import ItemResult
from wurao.planning.tests.test_pages_forms import ENTERPRISE, form_url, joint_visit_build

# Plans for March 2027 and park days in May 2027 are ahead of the day these were written for.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-07")]

# WURAO_SCREENSHOTS=1 writes into docs/screenshots; otherwise into the test's temporary folder.
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


@pytest.fixture
def recorded(street):
    """A confirmed, checked-in visit where one department found a problem and one did not."""
    joint = joint_visit_build(street)
    for part, result, rectification in (
        (joint.market, ItemResult.PASS, ""),
        (joint.environment, ItemResult.FAIL, "十日内补办排污登记并提交监测报告"),
    ):
        services_coordination.form_results_record(
            actor=part.admin,
            visit=joint.visit,
            department=part.department,
            results=[
                {
                    "item": part.item,
                    "result": result,
                    "finding": "现场核查" if result == ItemResult.PASS else "排放口未设标识",
                    "rectification": rectification,
                    "rectify_by": joint.visit.date.replace(day=28) if rectification else None,
                }
            ],
        )
    return joint


# ---------------------------------------------------------------- reading a PDF without a library


def _streams(pdf: bytes) -> list[bytes]:
    out = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", match.end())
        # The stream's last compressed byte may itself be CR or LF, so the end-of-line before
        # "endstream" is not stripped: the decompressor leaves whatever follows the data unused.
        try:
            out.append(zlib.decompressobj().decompress(pdf[match.end() : end]))
        except zlib.error:
            continue
    return out


def _to_unicode_maps(streams: list[bytes]) -> list[dict[str, str]]:
    maps = []
    for s in (s.decode("latin-1") for s in streams if b"beginbfchar" in s or b"beginbfrange" in s):
        table = {}
        for block in re.findall(r"beginbfchar(.*?)endbfchar", s, re.S):
            for code, uni in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                table[code.lower()] = bytes.fromhex(uni).decode("utf-16-be")
        for block in re.findall(r"beginbfrange(.*?)endbfrange", s, re.S):
            for lo, hi, uni in re.findall(r"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
                for k in range(int(lo, 16), int(hi, 16) + 1):
                    table[f"{k:0{len(lo)}x}"] = chr(int(uni, 16) + k - int(lo, 16))
        maps.append(table)
    return maps


def pdf_text_runs(pdf: bytes) -> list[str]:
    """The text of each run (TJ) decoded through the font's ToUnicode map: what a reader copies
    out of the PDF. A glyph no font had (code 0000, the box) decodes to U+FFFD."""
    streams = _streams(pdf)
    maps = _to_unicode_maps(streams)
    runs = []
    for content in (s for s in streams if b" TJ" in s):
        for run in re.findall(rb"\[(.*?)\]\s*TJ", content, re.S):
            codes = [
                h[i : i + 4].decode().lower()
                for h in re.findall(rb"<([0-9a-fA-F]+)>", run)
                for i in range(0, len(h), 4)
            ]
            table = next((m for m in maps if all(c in m for c in codes)), None)
            runs.append("".join(table[c] for c in codes) if table else "\ufffd" * len(codes))
    return runs


def pdf_font_names(pdf: bytes) -> set[str]:
    found = set()
    for s in _streams(pdf):
        found.update(m.decode() for m in re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([\w-]+)", s))
    return found


# ---------------------------------------------------------------- PDF


def test_the_pdf_is_a4_with_the_chinese_text_in_a_cjk_font(client, recorded, caplog):
    # given the form with both departments' results
    client.force_login(recorded.environment.admin)

    # when the PDF is downloaded (WeasyPrint warns on its logger when a glyph has no font)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        response = client.get(form_url(recorded, "pdf/"))

    # then it is a PDF drawn in Noto CJK whose text reads back as the enterprise and the items
    pdf = response.content
    assert response["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF")
    assert b"/MediaBox [0 0 841.889764 595.275591]" in b"".join(_streams(pdf))  # A4 landscape
    assert any("Noto-Sans-CJK-SC" in name for name in pdf_font_names(pdf))
    text = "".join(pdf_text_runs(pdf))  # a wrapped cell is several runs
    assert ENTERPRISE in text
    assert "排污许可执行情况" in text and "特种设备安全管理情况" in text
    assert "十日内补办排污登记并提交监测报告" in text and "不符合" in text
    assert "检查人员（签名）" in text and "企业负责人（签名）" in text
    assert "\ufffd" not in text
    assert not [r for r in caplog.records if "glyph" in r.getMessage().lower()]


def test_the_pdf_of_a_proposal_says_it_is_only_a_preview(client, street):
    joint = joint_visit_build(street, confirm=False)
    client.force_login(joint.market.admin)

    text = "".join(pdf_text_runs(client.get(form_url(joint, "pdf/")).content))

    assert "待确认" in text and "仅供预览" in text
    assert "□符合" in text  # blank boxes to tick by hand


# ---------------------------------------------------------------- XLSX


def test_the_workbook_has_the_header_items_results_and_rectification(client, recorded):
    client.force_login(recorded.market.admin)

    response = client.get(form_url(recorded, "xlsx/"))

    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    flat = [str(c) for row in cells for c in row if c is not None]
    assert ENTERPRISE in flat and recorded.enterprise.credit_code in flat
    assert recorded.visit.visit.code_display in flat
    header = next(row for row in cells if row[0] == "序号")
    assert list(header) == [
        "序号",
        "检查部门",
        "检查事项",
        "法律依据",
        "检查内容",
        "检查结果",
        "检查情况",
        "整改要求",
        "整改期限",
    ]
    lines = {row[2]: row for row in cells if row[2] in ("特种设备安全管理情况", "排污许可执行情况")}
    assert lines["特种设备安全管理情况"][5] == "符合"
    failing = lines["排污许可执行情况"]
    assert failing[1] == "区生态环境局" and failing[5] == "不符合"
    assert failing[7] == "十日内补办排污登记并提交监测报告" and failing[8].endswith("-28")
    assert failing[3] == "《区生态环境局主管条例》第十条"
    assert sheet.column_dimensions["E"].width >= 30
    assert sheet.cell(row=cells.index(list(failing)) + 1, column=8).alignment.wrap_text


def test_the_workbook_shows_a_corrected_result_with_its_date_and_reason(client, recorded):
    # given the environment department corrects its failing item to compliant
    services_coordination.form_results_correct(
        actor=recorded.environment.admin,
        visit=recorded.visit,
        department=recorded.environment.department,
        results=[
            {"item": recorded.environment.item, "result": ItemResult.PASS, "finding": "已补办"}
        ],
        reason="排污登记早已办理，现场未能出示",
    )
    client.force_login(recorded.market.admin)

    sheet = load_workbook(io.BytesIO(client.get(form_url(recorded, "xlsx/")).content)).active
    line = next(row for row in sheet.iter_rows(values_only=True) if row[2] == "排污许可执行情况")

    # then the line has the new result, and its finding says when and why it changed
    assert line[5] == "符合" and line[7] is None
    assert line[6].startswith("已补办\n") and "更正：排污登记早已办理，现场未能出示" in line[6]


def test_the_workbook_lists_the_officers(client, recorded):
    client.force_login(recorded.market.admin)

    sheet = load_workbook(io.BytesIO(client.get(form_url(recorded, "xlsx/")).content)).active
    officers = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "执法人员")

    assert "李明" in officers[2] and "区生态环境局" in officers[2]


# ---------------------------------------------------------------- what the PDF looks like


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_screenshot_of_the_pdf_first_page(browser, street, tmp_path):
    """Chromium's own PDF viewer draws the first page, for docs/screenshots (and for a person
    to look at: Chinese must not come out as boxes)."""
    from django.test import Client

    joint = joint_visit_build(street)
    services_coordination.form_results_record(
        actor=joint.environment.admin,
        visit=joint.visit,
        department=joint.environment.department,
        results=[
            {
                "item": joint.environment.item,
                "result": ItemResult.FAIL,
                "finding": "排放口未设标识",
                "rectification": "十日内补办排污登记并提交监测报告",
                "rectify_by": joint.visit.date.replace(day=28),
            }
        ],
    )
    client = Client()
    client.force_login(joint.market.admin)
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(client.get(form_url(joint, "pdf/")).content)

    context = browser.new_context(viewport={"width": 1240, "height": 900})
    tab = context.new_page()
    tab.goto(f"file://{pdf}#toolbar=0&navpanes=0&view=FitH")
    tab.wait_for_timeout(2500)
    folder = SCREENSHOTS if os.environ.get("WURAO_SCREENSHOTS") else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / "joint-form-pdf.png"
    tab.screenshot(path=str(shot))
    context.close()

    assert shot.stat().st_size > 20_000


def pdf_page_count(pdf: bytes) -> int:
    """Pages in the PDF: its page objects, wherever WeasyPrint put them (object streams are
    compressed, so the decompressed streams are searched too)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", b"".join([pdf, *_streams(pdf)])))


def test_a_two_item_form_prints_on_one_page_with_its_signatures(client, recorded):
    # given the two-item form with both departments' results
    client.force_login(recorded.market.admin)

    # when the PDF is downloaded
    pdf = client.get(form_url(recorded, "pdf/")).content

    # then it is one page: the signature lines stay with the table, not alone on a second page
    assert pdf_page_count(pdf) == 1
    assert "企业负责人（签名）" in "".join(pdf_text_runs(pdf))
