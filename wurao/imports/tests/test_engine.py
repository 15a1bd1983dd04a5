"""The file reader alone: formats, encodings, headers and row numbers. No database."""

import datetime as dt

import pytest

from wurao.imports.engine import Header, ImportFileError, read_table, template_csv, template_xlsx
from wurao.imports.specs import ENTERPRISES, template_rows
from wurao.imports.tests.files import csv_bytes, xlsx_bytes

HEADERS = [
    Header("credit_code", ("统一社会信用代码", "credit_code"), required=True),
    Header("name", ("名称", "name"), required=True),
    Header("street", ("街道", "street"), required=True),
    Header("established", ("成立日期", "established")),
]
ROWS = [
    ["统一社会信用代码", "名称", "街道"],
    ["91440300708461136T", "深圳市甲有限公司", "福城街道"],
]


def rows_of(table):
    return list(table)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_chinese_csv_is_read_in_each_encoding_excel_writes(encoding):
    table = read_table(csv_bytes(ROWS, encoding=encoding), headers=HEADERS, filename="企业.csv")

    assert rows_of(table) == [
        (2, {"credit_code": "91440300708461136T", "name": "深圳市甲有限公司", "street": "福城街道"})
    ]
    assert table.format == "csv"


def test_gbk_csv_reports_its_encoding():
    table = read_table(csv_bytes(ROWS, encoding="gbk"), headers=HEADERS)

    assert table.encoding == "gb18030"


def test_xlsx_is_recognised_by_content_whatever_its_name():
    table = read_table(xlsx_bytes(ROWS), headers=HEADERS, filename="企业.csv")

    assert table.format == "xlsx"
    assert rows_of(table)[0][1]["name"] == "深圳市甲有限公司"


def test_xlsx_that_is_really_text_is_rejected_with_one_clear_error():
    with pytest.raises(ImportFileError) as caught:
        read_table(csv_bytes(ROWS), headers=HEADERS, filename="企业.xlsx")

    assert caught.value.code == "not_xlsx"
    assert "不是 Excel 工作簿" in caught.value.message


def test_a_zip_that_is_not_a_workbook_is_rejected():
    with pytest.raises(ImportFileError) as caught:
        read_table(b"PK\x03\x04" + b"\x00" * 100, headers=HEADERS, filename="企业.xlsx")

    assert caught.value.code == "not_xlsx"


def test_legacy_xls_is_rejected_asking_to_save_as_xlsx():
    with pytest.raises(ImportFileError) as caught:
        read_table(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
            headers=HEADERS,
            filename="企业.xls",
        )

    assert caught.value.code == "legacy_xls"
    assert "另存为" in caught.value.message


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", "\ufeff".encode()])
def test_empty_file_is_rejected(data):
    with pytest.raises(ImportFileError) as caught:
        read_table(data, headers=HEADERS, filename="企业.csv")

    assert caught.value.code == "empty_file"


def test_binary_garbage_is_rejected_as_undecodable():
    with pytest.raises(ImportFileError) as caught:
        read_table(bytes(range(256)) * 4, headers=HEADERS, filename="企业.csv")

    assert caught.value.code == "undecodable"


def test_header_without_data_rows_is_rejected():
    with pytest.raises(ImportFileError) as caught:
        read_table(csv_bytes([ROWS[0], [], [""]]), headers=HEADERS)

    assert caught.value.code == "no_data_rows"


def test_missing_required_columns_are_all_named():
    with pytest.raises(ImportFileError) as caught:
        read_table(csv_bytes([["名称", "地址"], ["甲", "乙"]]), headers=HEADERS)

    assert caught.value.code == "missing_columns"
    assert "统一社会信用代码、街道" in caught.value.message


def test_a_column_given_twice_is_rejected():
    with pytest.raises(ImportFileError) as caught:
        read_table(csv_bytes([[*ROWS[0], "name"], [*ROWS[1], "x"]]), headers=HEADERS)

    assert caught.value.code == "duplicate_column"
    assert "B 列和第 D 列" in caught.value.message


def test_headers_match_in_english_with_spaces_stars_and_required_marks():
    header = [" Credit Code ", "*名称", "街 道（必填）", "Established"]

    table = read_table(
        csv_bytes([header, ["91440300708461136T", "甲", "福城街道", "2020-01-01"]]), headers=HEADERS
    )

    assert table.keys == {"credit_code", "name", "street", "established"}


def test_unknown_headers_are_reported_and_ignored():
    table = read_table(csv_bytes([[*ROWS[0], "备注"], [*ROWS[1], "无"]]), headers=HEADERS)

    assert table.unknown_headers == ["备注"]
    assert "备注" not in rows_of(table)[0][1]


def test_row_numbers_are_the_ones_excel_shows_skipping_blank_rows():
    rows = [ROWS[0], ROWS[1], ["", "", ""], ROWS[1]]

    numbers = [n for n, _ in read_table(csv_bytes(rows), headers=HEADERS)]

    assert numbers == [2, 4]


def test_a_title_row_above_the_header_is_skipped_and_numbering_follows_the_sheet():
    rows = [["企业信息导入模板（2024 版）"], *ROWS]

    table = read_table(xlsx_bytes(rows), headers=HEADERS)

    assert table.header_row == 2
    assert [n for n, _ in table] == [3]


def test_xlsx_cells_keep_their_types():
    rows = [[*ROWS[0], "成立日期"], [*ROWS[1], dt.datetime(2015, 6, 1)]]

    (_, values), *_ = read_table(xlsx_bytes(rows), headers=HEADERS)

    assert values["established"] == dt.datetime(2015, 6, 1)


def test_tab_separated_utf16_text_as_excel_exports_unicode_text_is_read():
    data = "\ufeff统一社会信用代码\t名称\t街道\r\n91440300708461136T\t甲\t福城街道\r\n".encode(
        "utf-16-le"
    )

    assert rows_of(read_table(data, headers=HEADERS))[0][1]["name"] == "甲"


@pytest.mark.parametrize("writer", [template_csv, template_xlsx])
def test_downloadable_template_reads_back_with_every_column(writer):
    header, examples, _ = template_rows(ENTERPRISES)

    table = read_table(writer(header, examples), headers=ENTERPRISES.headers)

    assert table.keys == {c.key for c in ENTERPRISES.columns}
    assert rows_of(table)[0][1]["credit_code"] == "91440300708461136T"
