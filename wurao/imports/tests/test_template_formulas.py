"""The downloadable templates never carry a formula: text that a spreadsheet would evaluate
(=, +, -, @, tab, carriage return first) is written as text — a string cell with the quote
prefix in XLSX, behind an apostrophe in CSV — while numbers stay numbers (OWASP, "CSV
Injection"). Pure: the writers and the cell helper take plain values."""

import csv
import io

import pytest
from openpyxl import load_workbook

from wurao.common.spreadsheet import csv_cell, formula_like
from wurao.imports.engine import template_csv, template_xlsx

HOSTILE = [
    '=HYPERLINK("http://evil.example/","点击查看")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
HEADER = ["名称", "=1+1", "数量", "备注"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_a_spreadsheet_would_evaluate_is_recognised(text):
    assert formula_like(text) and csv_cell(text) == f"'{text}"


@pytest.mark.parametrize("value", [-5, 3.5, "-12.5", "+86", "深圳市福城精密有限公司", "", None])
def test_numbers_and_plain_text_are_left_as_they_are(value):
    assert not formula_like(value) and csv_cell(value) == value


def test_an_xlsx_template_writes_formula_like_text_as_text():
    # given a template whose header and example row hold text that looks like formulas
    data = template_xlsx(HEADER, [HOSTILE, ["-12.5", "普通文字"]])

    # when a spreadsheet opens it
    sheet = load_workbook(io.BytesIO(data)).active

    # then every such cell is a string showing the text (a carriage return may come back as a
    # line feed: the standard library's XML parser reads it so, lxml keeps it), none a formula
    hostile = [sheet["B1"], *sheet[2]]
    assert [c.value.replace("\r", "\n") for c in hostile] == [
        "=1+1",
        *(t.replace("\r", "\n") for t in HOSTILE),
    ]
    assert all(c.data_type == "s" and c.quotePrefix for c in hostile)
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    assert sheet["A3"].value == "-12.5" and not sheet["A3"].quotePrefix


def test_a_csv_template_puts_an_apostrophe_before_formula_like_text():
    data = template_csv(HEADER, [HOSTILE, ["-12.5", "普通文字"]])

    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))

    assert rows[0] == ["名称", "'=1+1", "数量", "备注"]
    assert rows[1] == [f"'{text}" for text in HOSTILE]
    assert rows[2] == ["-12.5", "普通文字"]
