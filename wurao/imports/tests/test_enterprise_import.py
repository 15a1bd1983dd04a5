"""Importing enterprises end to end: what is imported, what is refused and why, and re-imports."""

import datetime as dt

import pytest

from wurao.audit.models import AuditEvent
from wurao.imports.services import ImportFileError, import_run
from wurao.imports.tests.files import ENTERPRISE_HEADER, csv_bytes, xlsx_bytes
from wurao.registry.models import Enterprise
from wurao.registry.tests.factories import EnterpriseFactory, valid_credit_code

pytestmark = pytest.mark.django_db

GOOD_A = [
    "91440300708461136T",
    "深圳市甲科技有限公司",
    "企业",
    "福城街道",
    "福城社区",
    "危化品;dust",
    "2015/6/1",
    "是",
]
GOOD_B = [
    "91110000100006485K",
    "乙五金店",
    "个体工商户",
    "观湖街道",
    "新田社区",
    "",
    "2018年3月9日",
    "否",
]


def run(rows, *, commit=True, encoding="utf-8", filename="企业.csv", actor="tester"):
    data = csv_bytes([ENTERPRISE_HEADER, *rows], encoding=encoding)
    return import_run(
        actor=actor, target="enterprises", source=data, filename=filename, commit=commit
    )


def errors_of(report):
    return [(e.row, e.column, e.code) for e in report.errors]


def test_valid_rows_are_imported_with_every_value(places):
    report = run([GOOD_A, GOOD_B])

    assert (report.rows, report.valid, report.created, report.errors) == (2, 2, 2, [])
    a = Enterprise.objects.get(credit_code="91440300708461136T")
    assert (a.name, a.kind, a.street, a.community, a.above_scale) == (
        "深圳市甲科技有限公司", "enterprise", places["fucheng"], places["fucheng_community"], True
    )  # fmt: skip
    assert a.established == dt.date(2015, 6, 1)
    assert set(a.risk_tags.all()) == {places["hazchem"], places["dust"]}
    assert Enterprise.objects.get(credit_code="91110000100006485K").kind == "individual"


def test_lowercase_credit_code_is_stored_uppercase(places):
    run([[GOOD_A[0].lower(), *GOOD_A[1:]]])

    assert Enterprise.objects.filter(credit_code="91440300708461136T").exists()


@pytest.mark.parametrize(
    ("cell_index", "value", "column", "code"),
    [
        (0, "91440300708461136A", "统一社会信用代码", "credit_code_checksum"),
        (0, "9144030070846113", "统一社会信用代码", "credit_code_length"),
        (3, "龙华街道", "街道", "unknown_street"),
        (4, "福城社区", "社区", "community_not_in_street"),
        (6, "2015-02-30", "成立日期", "bad_date"),
        (7, "可能", "规上", "bad_boolean"),
        (5, "危化品;有限空间", "风险标签", "unknown_risk_tag"),
        (1, "", "名称", "required"),
    ],
)
def test_a_bad_cell_rejects_its_row_only_and_names_row_column_and_reason(
    places, cell_index, value, column, code
):
    bad = list(GOOD_B)
    bad[cell_index] = value

    report = run([GOOD_A, bad])

    assert errors_of(report) == [(3, column, code)]
    assert (report.rows, report.valid, report.created) == (2, 1, 1)
    assert list(Enterprise.objects.values_list("credit_code", flat=True)) == ["91440300708461136T"]


def test_community_outside_its_street_names_both(places):
    report = run([[*GOOD_B[:4], "福城社区", *GOOD_B[5:]]])

    assert "福城社区" in report.errors[0].message and "观湖街道" in report.errors[0].message


def test_a_credit_code_repeated_in_the_file_rejects_every_copy(places):
    report = run([GOOD_A, GOOD_B, [GOOD_A[0].lower(), "另一个名称", *GOOD_A[2:]]])

    assert errors_of(report) == [
        (2, "统一社会信用代码", "duplicate_in_file"),
        (4, "统一社会信用代码", "duplicate_in_file"),
    ]
    assert "第 2、4 行" in report.errors[0].message
    assert list(Enterprise.objects.values_list("credit_code", flat=True)) == ["91110000100006485K"]


def test_report_json_has_the_issue_shape(places):
    bad = [GOOD_B[0], GOOD_B[1], "企业", "龙华街道", "", "", "", ""]

    report = run([GOOD_A, bad], commit=False).as_json()

    assert {k: report[k] for k in ("rows", "valid")} == {"rows": 2, "valid": 1}
    assert report["errors"] == [
        {
            "row": 3,
            "column": "街道",
            "code": "unknown_street",
            "message": report["errors"][0]["message"],
        }
    ]
    assert report["errors"][0]["message"].startswith("街道“龙华街道”不在街道库中")


def test_dry_run_validates_and_counts_but_writes_nothing(places):
    report = run([GOOD_A, GOOD_B], commit=False)

    assert (report.valid, report.created, report.committed) == (2, 2, False)
    assert not Enterprise.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_csv_in_gbk_or_utf8_with_bom_imports_the_same(places, encoding):
    report = run([GOOD_A, GOOD_B], encoding=encoding)

    assert report.created == 2
    assert Enterprise.objects.get(credit_code=GOOD_B[0]).name == "乙五金店"


def test_xlsx_with_excel_typed_cells_imports(places):
    rows = [
        [*ENTERPRISE_HEADER, "从业人数", "行业代码"],
        [*GOOD_A[:6], dt.datetime(2015, 6, 1), True, 35, 3311],
    ]

    report = import_run(
        actor="t", target="enterprises", source=xlsx_bytes(rows), filename="企业.xlsx", commit=True
    )

    assert report.errors == [] and report.format == "xlsx"
    a = Enterprise.objects.get()
    assert (a.established, a.above_scale, a.employees, a.industry_section, a.industry_code) == (
        dt.date(2015, 6, 1), True, 35, "C", "3311"
    )  # fmt: skip


def test_xlsx_that_is_really_text_touches_nothing(places):
    existing = EnterpriseFactory(street=places["fucheng"])
    data = csv_bytes([ENTERPRISE_HEADER, GOOD_A])

    with pytest.raises(ImportFileError) as caught:
        import_run(actor="t", target="enterprises", source=data, filename="企业.xlsx", commit=True)

    assert caught.value.code == "not_xlsx"
    assert list(Enterprise.objects.all()) == [existing]
    assert not AuditEvent.objects.exists()


def test_empty_file_is_one_clear_error(places):
    with pytest.raises(ImportFileError) as caught:
        import_run(actor="t", target="enterprises", source=b"", filename="企业.csv", commit=True)

    assert caught.value.code == "empty_file"
    assert not Enterprise.objects.exists()


def test_missing_required_column_is_one_clear_error(places):
    data = csv_bytes([["统一社会信用代码", "名称"], GOOD_A[:2]])

    with pytest.raises(ImportFileError) as caught:
        import_run(actor="t", target="enterprises", source=data, filename="企业.csv", commit=True)

    assert caught.value.code == "missing_columns" and "类型、街道" in caught.value.message


def test_reimporting_the_same_file_changes_nothing(places):
    run([GOOD_A, GOOD_B])
    before = list(Enterprise.objects.order_by("pk").values())

    again = run([GOOD_A, GOOD_B])

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert list(Enterprise.objects.order_by("pk").values()) == before
    last = AuditEvent.objects.order_by("seq").last()
    assert (last.payload["changed"], last.payload["created"], last.payload["updated"]) == (0, 0, 0)


def test_an_update_changes_only_the_changed_rows_and_fields(places):
    run([GOOD_A, GOOD_B])
    b_before = Enterprise.objects.filter(credit_code=GOOD_B[0]).values().get()
    changed_a = [GOOD_A[0], "深圳市甲科技股份有限公司", *GOOD_A[2:5], "危化品", *GOOD_A[6:]]

    report = run([changed_a, GOOD_B])

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    a = Enterprise.objects.get(credit_code=GOOD_A[0])
    assert a.name == "深圳市甲科技股份有限公司"
    assert set(a.risk_tags.values_list("code", flat=True)) == {"hazchem"}
    assert Enterprise.objects.filter(credit_code=GOOD_B[0]).values().get() == b_before
    assert AuditEvent.objects.order_by("seq").last().payload["updated_keys"] == [GOOD_A[0]]


def test_columns_missing_from_the_file_are_left_untouched(places):
    existing = EnterpriseFactory(
        credit_code=GOOD_A[0],
        street=places["fucheng"],
        park=places["park"],
        employees=80,
        address="旧地址",
    )
    data = csv_bytes(
        [["统一社会信用代码", "名称", "类型", "街道"], [GOOD_A[0], "新名称", "企业", "福城街道"]]
    )

    import_run(actor="t", target="enterprises", source=data, filename="企业.csv", commit=True)

    existing.refresh_from_db()
    assert (existing.name, existing.park, existing.employees, existing.address) == (
        "新名称", places["park"], 80, "旧地址"
    )  # fmt: skip


def test_each_commit_writes_exactly_one_audit_event_with_the_file_hash(places, justice_user):
    report = import_run(
        actor=justice_user,
        target="enterprises",
        source=csv_bytes([ENTERPRISE_HEADER, GOOD_A, GOOD_B, ["bad"] * 8]),
        filename="企业.csv",
        commit=True,
    )

    event = AuditEvent.objects.get()
    assert (event.verb, event.actor, event.object_type) == (
        "enterprise.import",
        justice_user,
        "registry.enterprise",
    )
    assert event.payload["source"]["sha256"] == report.sha256
    assert event.payload["source"]["rows_rejected"] == 1
    assert sorted(event.payload["created_keys"]) == sorted([GOOD_A[0], GOOD_B[0]])


def test_the_audit_event_caps_the_list_of_keys_and_says_how_many_more(places):
    rows = [
        [valid_credit_code(n), f"企业{n}", "企业", "福城街道", "", "", "", ""] for n in range(1003)
    ]

    run(rows)

    payload = AuditEvent.objects.get().payload
    assert (len(payload["created_keys"]), payload["created_keys_more"], payload["created"]) == (
        1000,
        3,
        1003,
    )
