"""Importing inspectors (by badge number) and inspection items (by item code)."""

import datetime as dt

import pytest

from wurao.audit.models import AuditEvent
from wurao.catalogue.models import InspectionItem
from wurao.imports.services import import_run
from wurao.imports.tests.files import csv_bytes, xlsx_bytes
from wurao.registry.models import Inspector
from wurao.registry.tests.factories import InspectorFactory

pytestmark = pytest.mark.django_db

INSPECTOR_HEADER = ["执法证号", "姓名", "所属部门", "专业领域", "执法证有效期至", "在岗"]
ITEM_HEADER = [
    "事项编码",
    "事项名称",
    "实施部门",
    "法律依据",
    "条款",
    "适用风险标签",
    "适用行业门类",
    "检查要点",
    "事项类别",
]


def inspectors(rows, *, commit=True):
    data = csv_bytes([INSPECTOR_HEADER, *rows])
    return import_run(
        actor="t", target="inspectors", source=data, filename="执法人员.csv", commit=commit
    )


def items(rows, *, commit=True):
    data = xlsx_bytes([ITEM_HEADER, *rows])
    return import_run(
        actor="t", target="items", source=data, filename="检查事项.xlsx", commit=commit
    )


def test_inspectors_are_imported_by_department_name_or_code(departments):
    report = inspectors(
        [
            ["44030900001", "张三", "区应急管理局", "危化品;消防", "2027-12-31", "是"],
            ["44030900002", "李四", "yj", "", "", "否"],
        ]
    )

    assert (report.created, report.errors) == (2, [])
    zhang = Inspector.objects.get(badge_no="44030900001")
    assert (zhang.department, zhang.expertise, zhang.certificate_valid_until, zhang.active) == (
        departments["yj"], ["危化品", "消防"], dt.date(2027, 12, 31), True
    )  # fmt: skip
    assert Inspector.objects.get(badge_no="44030900002").active is False


def test_inspector_rows_with_unknown_or_non_enforcement_departments_are_refused(departments):
    report = inspectors(
        [
            ["44030900001", "张三", "区城管局", "", "", ""],
            ["44030900002", "李四", "区总工会", "", "", ""],
            ["44030900003", "王五", "区应急管理局", "", "2027/13/1", "在"],
        ]
    )

    assert [(e.row, e.column, e.code) for e in report.errors] == [
        (2, "所属部门", "unknown_department"),
        (3, "所属部门", "not_enforcement_department"),
        (4, "执法证有效期至", "bad_date"),
        (4, "在岗", "bad_boolean"),
    ]
    assert not Inspector.objects.exists()


def test_inspector_reimport_changes_nothing_and_an_edit_updates_only_that_inspector(departments):
    rows = [
        ["44030900001", "张三", "YJ", "消防", "2027-12-31", "是"],
        ["44030900002", "李四", "YJ", "", "", "是"],
    ]
    inspectors(rows)

    again = inspectors(rows)
    edited = inspectors([rows[0], ["44030900002", "李四", "YJ", "", "", "否"]])

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert (edited.created, edited.updated, edited.unchanged) == (0, 1, 1)
    assert AuditEvent.objects.filter(verb="inspector.import").count() == 3


def test_an_inspector_badge_repeated_in_the_file_is_refused(departments):
    existing = InspectorFactory(badge_no="44030900001", name="原姓名", department=departments["yj"])

    report = inspectors(
        [["44030900001", "张三", "YJ", "", "", ""], ["44030900001", "张叁", "YJ", "", "", ""]]
    )

    assert {e.code for e in report.errors} == {"duplicate_in_file"} and report.valid == 0
    existing.refresh_from_db()
    assert existing.name == "原姓名"


def test_items_are_imported_with_tags_sections_and_kind(departments, places):
    report = items(
        [
            [
                "YJ-001",
                "危化品储存检查",
                "YJ",
                "《危险化学品安全管理条例》",
                "第二十四条",
                "危化品",
                "C;F",
                "查看储存场所",
                "重点",
            ],
            [
                "YJ-002",
                "安全生产责任制检查",
                "区应急管理局",
                "中华人民共和国安全生产法",
                "",
                "",
                "",
                "",
                "",
            ],
        ]
    )

    assert (report.created, report.errors) == (2, [])
    first = InspectionItem.objects.get(code="YJ-001")
    assert (first.law, first.legal_basis, first.kind, first.applicable_industries) == (
        "危险化学品安全管理条例", "《危险化学品安全管理条例》第二十四条", "key", ["C", "F"]
    )  # fmt: skip
    assert list(first.applicable_tags.all()) == [places["hazchem"]]
    assert InspectionItem.objects.get(code="YJ-002").kind == "general"


def test_item_rows_without_legal_basis_or_with_bad_values_are_refused(departments, places):
    report = items(
        [
            ["YJ-001", "检查", "YJ", "", "", "", "", "", ""],
            ["YJ-002", "检查", "YJ", "安全生产法", "", "有限空间", "Z", "", "特别"],
        ]
    )

    assert [(e.row, e.column, e.code) for e in report.errors] == [
        (2, "法律依据", "required"),
        (3, "适用风险标签", "unknown_risk_tag"),
        (3, "适用行业门类", "bad_industry_section"),
        (3, "事项类别", "invalid_choice"),
    ]
    assert not InspectionItem.objects.exists()


def test_item_reimport_is_idempotent_and_tag_changes_count_as_updates(departments, places):
    row = [
        "YJ-001",
        "危化品储存检查",
        "YJ",
        "危险化学品安全管理条例",
        "",
        "危化品",
        "C",
        "",
        "重点",
    ]
    items([row])

    again = items([row])
    retagged = items([[*row[:5], "危化品;粉尘涉爆", *row[6:]]])

    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert (retagged.updated, retagged.unchanged) == (1, 0)
    assert set(InspectionItem.objects.get().applicable_tags.values_list("code", flat=True)) == {
        "hazchem",
        "dust",
    }
    assert AuditEvent.objects.filter(verb="inspection_item.import").count() == 3
