"""The templates' rows: every bad cell named by its header, and the guide kept in step."""

from pathlib import Path

from wurao.imports.cells import Lookups
from wurao.imports.errors import FileErrorCode, RowErrorCode
from wurao.imports.specs import ENTERPRISES, SPECS

LOOKUPS = Lookups.build(
    streets=[(1, "440309005", "福城街道"), (2, "440309004", "观湖街道")],
    communities=[(10, 1, "440309005001", "福城社区"), (11, 2, "440309004001", "新田社区")],
)


def test_a_row_names_every_bad_cell_by_its_chinese_header():
    raw = {
        "credit_code": "91440300708461136A",
        "name": "",
        "kind": "公司",
        "street": "福城街道",
        "community": "新田社区",
    }

    _, errors = ENTERPRISES.parse_row(raw, LOOKUPS)

    assert [(column, invalid.code) for column, invalid in errors] == [
        ("统一社会信用代码", "credit_code_checksum"),
        ("名称", "required"),
        ("类型", "invalid_choice"),
        ("社区", "community_not_in_street"),
    ]
    assert "类型" in errors[2][1].message and "{column}" not in errors[2][1].message


def test_a_credit_code_excel_turned_into_a_number_is_rejected_with_the_fix():
    _, errors = ENTERPRISES.parse_row({"credit_code": 9.14403001922038e17}, LOOKUPS)

    assert errors[0][1].code == "credit_code_as_number" and "文本" in errors[0][1].message


def test_the_template_guide_documents_every_column_and_error_code():
    guide = (Path(__file__).resolve().parents[3] / "docs" / "import-templates.md").read_text(
        encoding="utf-8"
    )

    headers = {c.header for spec in SPECS.values() for c in spec.columns}
    codes = {str(code) for code in [*FileErrorCode, *RowErrorCode]}
    assert {h for h in headers if f"| {h} |" not in guide} == set()
    assert {c for c in codes if f"`{c}`" not in guide} == set()
