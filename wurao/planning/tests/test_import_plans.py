"""Importing a department's monthly plan from XLSX or CSV: every row checked like the page,
every bad row reported with its row, column and reason, and nothing stored unless all pass."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.imports.engine import ImportFileError
from wurao.imports.tests.files import csv_bytes, xlsx_bytes
from wurao.planning import services
from wurao.planning.models import MonthlyPlan, PlannedInspection
from wurao.planning.services_plan_import import plan_import_run
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory

# Plans for March 2027 are filed ahead: written for a day before their deadline (25 February).
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-07")]

MONTH = datetime.date(2027, 3, 1)
HEADER = [
    "统一社会信用代码",
    "检查事项编码",
    "最早日期",
    "最晚日期",
    "预计工时",
    "来源",
    "专项批准文号",
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def catalogue(department):
    """Two items of our department and one of another department."""
    InspectionItemFactory(department=department, code="YJ-001")
    InspectionItemFactory(department=department, code="YJ-002")
    InspectionItemFactory(department=DepartmentFactory(code="SCJG"), code="SC-001")


@pytest.fixture
def firms(street):
    return EnterpriseFactory.create_batch(3, street=street)


@pytest.fixture
def other_admin(db):
    return UserFactory(username="other_admin", role=Role.DEPT_ADMIN, department=DepartmentFactory())


@pytest.fixture
def admin_client(client, dept_admin):
    client.force_login(dept_admin)
    return client


def _upload(client, data, name="计划.xlsx", month="2027-03"):
    return client.post(
        "/planning/plans/import/", {"month": month, "file": SimpleUploadedFile(name, data)}
    )


def _good_rows(firms):
    return [
        HEADER,
        [firms[0].credit_code, "YJ-001、YJ-002", "2027-03-03", "2027-03-12", "3", "日常检查", ""],
        [firms[1].credit_code, "YJ-002", datetime.date(2027, 3, 8), datetime.date(2027, 3, 26), 1.5, "", ""],
    ]  # fmt: skip


def test_a_good_file_is_checked_then_confirmed_into_the_plan(admin_client, catalogue, firms):
    # when the department uploads a good XLSX file
    response = _upload(admin_client, xlsx_bytes(_good_rows(firms)))

    # then the check shows two valid rows and stores nothing yet
    page = response.content.decode()
    assert response.status_code == 200
    assert "确认导入 2 条计划检查" in page and "所有行均通过检查" in page
    assert not PlannedInspection.objects.exists() and not MonthlyPlan.objects.exists()

    # when it confirms
    sha256 = page.split('name="sha256" value="', 1)[1].split('"', 1)[0]
    confirmed = admin_client.post(
        "/planning/plans/import/confirm/", {"sha256": sha256}, follow=True
    )

    # then both entries are in the March plan, with their items, hours and windows
    entries = PlannedInspection.objects.order_by("earliest")
    assert [e.enterprise for e in entries] == firms[:2]
    assert sorted(entries[0].items.values_list("code", flat=True)) == ["YJ-001", "YJ-002"]
    assert (entries[0].hours, entries[1].hours) == (3, 1.5)
    assert entries[1].latest == datetime.date(2027, 3, 26)
    assert "已从“计划.xlsx”导入 2 条计划检查" in confirmed.content.decode()
    assert AuditEvent.objects.filter(verb="plan.import").count() == 1
    assert AuditEvent.objects.filter(verb="plan.entry_add").count() == 2


def test_a_file_with_bad_rows_reports_each_and_stores_nothing(admin_client, catalogue, firms):
    # given a CSV (as Excel saves it, GBK) with a good row and three bad ones
    rows = [
        HEADER,
        [firms[0].credit_code, "YJ-001", "2027-03-03", "2027-03-12", "2", "日常检查", ""],
        ["91440300708461136X", "YJ-001", "2027-03-03", "2027-03-12", "9", "日常检查", ""],
        [firms[1].credit_code, "YJ-001;SC-001", "2027-03-03", "2027-03-12", "2", "日常检查", ""],
        [firms[2].credit_code, "YJ-002", "2027-03-20", "2027-04-10", "2", "日常检查", ""],
    ]

    # when it is uploaded
    response = _upload(admin_client, csv_bytes(rows, encoding="gbk"), name="计划.csv")

    # then each bad row is reported with its row number, column and reason
    page = response.content.decode()
    table = page.split('id="import-errors"', 1)[1].split("</table>", 1)[0]
    lines = table.split("<tr>")[2:]
    assert len(lines) == 4
    assert '"num">3<' in lines[0] and "统一社会信用代码" in lines[0] and "校验" in lines[0]
    # (the same row's other fault is named too, not left for the next upload)
    assert '"num">3<' in lines[1] and "预计工时" in lines[1] and "0.5 到 8 小时" in lines[1]
    assert '"num">4<' in lines[2] and "检查事项编码" in lines[2] and "SC-001" in lines[2]
    assert "不在“区应急管理局”公布的有效检查事项清单内" in lines[2]
    assert '"num">5<' in lines[3] and "最早日期" in lines[3]
    assert "检查窗口须在 2027年03月 之内" in lines[3]
    assert "整个文件都不会导入" in page and "disabled" in page

    # and nothing is stored, not even the good row
    assert not PlannedInspection.objects.exists() and not MonthlyPlan.objects.exists()


def test_a_committed_run_with_one_bad_row_stores_nothing(dept_admin, department, catalogue, firms):
    rows = [
        *_good_rows(firms),
        [firms[2].credit_code, "YJ-009", "2027-03-03", "2027-03-12", "", "", ""],
    ]

    report = plan_import_run(
        actor=dept_admin,
        department=department,
        month=MONTH,
        source=xlsx_bytes(rows),
        filename="计划.xlsx",
        commit=True,
    )

    assert not report.committed and report.created == 0
    assert [(e.row, e.column) for e in report.errors] == [(4, "检查事项编码")]
    assert not PlannedInspection.objects.exists() and not MonthlyPlan.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="plan.").exists()


def test_the_same_enterprise_twice_in_a_file_is_reported(dept_admin, department, catalogue, firms):
    rows = [
        HEADER,
        [firms[0].credit_code, "YJ-001", "2027-03-03", "2027-03-12", "", "", ""],
        [firms[0].credit_code, "YJ-002", "2027-03-15", "2027-03-26", "", "", ""],
    ]

    report = plan_import_run(
        actor=dept_admin, department=department, month=MONTH, source=xlsx_bytes(rows), commit=True
    )

    assert [(e.row, e.column) for e in report.errors] == [(3, "统一社会信用代码")]
    assert "与第 2 行是同一企业" in report.errors[0].message
    assert not PlannedInspection.objects.exists()


def test_a_dry_run_of_a_good_file_checks_it_without_writing(
    dept_admin, department, catalogue, firms
):
    # given a valid file and a department with no plan yet
    source = xlsx_bytes(_good_rows(firms))

    # when it is checked without committing
    with CaptureQueriesContext(connection) as queries:
        report = plan_import_run(
            actor=dept_admin, department=department, month=MONTH, source=source
        )

    # then both rows pass, and not one statement wrote (nor wrote and rolled back)
    assert (report.valid, report.created, report.committed, report.errors) == (2, 2, False, [])
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert writes == []
    assert not PlannedInspection.objects.exists() and not MonthlyPlan.objects.exists()
    assert not AuditEvent.objects.exists()


def test_rows_naming_the_same_enterprise_are_reported_in_a_dry_run_too(
    dept_admin, department, catalogue, firms
):
    # given a file naming the first firm three times, its first row bad in itself
    rows = [
        HEADER,
        [firms[0].credit_code, "YJ-009", "2027-03-03", "2027-03-12", "", "", ""],
        [firms[1].credit_code, "YJ-001", "2027-03-03", "2027-03-12", "", "", ""],
        [firms[0].credit_code, "YJ-001", "2027-03-03", "2027-03-12", "", "", ""],
        [firms[0].credit_code, "YJ-002", "2027-03-15", "2027-03-26", "", "", ""],
    ]

    # when it is checked without committing
    report = plan_import_run(
        actor=dept_admin, department=department, month=MONTH, source=xlsx_bytes(rows)
    )

    # then the later rows are each named against the first row of that enterprise, as when
    # the rows were written one after another
    assert [(e.row, e.column, e.code) for e in report.errors] == [
        (2, "检查事项编码", "unknown_item"),
        (4, "统一社会信用代码", "same_enterprise_in_file"),
        (5, "统一社会信用代码", "same_enterprise_in_file"),
    ]
    assert report.errors[1].message == (
        "与第 2 行是同一企业：同月对同一企业的检查请合并为一行（多个事项编码用“、”分隔）"
    )
    assert (report.valid, report.created, report.committed) == (1, 0, False)
    assert not PlannedInspection.objects.exists() and not MonthlyPlan.objects.exists()


def test_an_enterprise_already_in_the_plan_is_reported(dept_admin, department, catalogue, firms):
    # given the first firm already in the March plan
    first = plan_import_run(
        actor=dept_admin,
        department=department,
        month=MONTH,
        source=xlsx_bytes(_good_rows(firms)[:2]),
        commit=True,
    )
    assert first.committed

    # when a file naming it again is imported
    again = plan_import_run(
        actor=dept_admin,
        department=department,
        month=MONTH,
        source=xlsx_bytes(_good_rows(firms)),
        commit=True,
    )

    # then its row is reported and the other row is not stored either
    assert [(e.row, e.column) for e in again.errors] == [(2, "统一社会信用代码")]
    assert "请合并事项而不是重复计划" in again.errors[0].message
    assert PlannedInspection.objects.count() == 1


def test_a_campaign_row_needs_a_published_campaign_by_its_number(
    dept_admin, department, catalogue, firms
):
    campaign = services.campaign_register(
        actor=dept_admin,
        department=department,
        title="燃气安全专项检查",
        scope="餐饮场所燃气使用",
        starts_on=MONTH,
        ends_on=datetime.date(2027, 3, 31),
        approver="区人民政府",
        document_no="龙府办〔2027〕3号",
        approved_on=datetime.date(2027, 2, 20),
    )
    rows = [
        HEADER,
        [firms[0].credit_code, "YJ-001", "2027-03-03", "2027-03-12", "", "专项检查", "龙府办〔2027〕3号"],
        [firms[1].credit_code, "YJ-001", "2027-03-03", "2027-03-12", "", "专项检查", "龙府办〔2027〕9号"],
        [firms[2].credit_code, "YJ-001", "2027-03-03", "2027-03-12", "", "专项检查", ""],
    ]  # fmt: skip

    unpublished = plan_import_run(
        actor=dept_admin, department=department, month=MONTH, source=xlsx_bytes(rows)
    )
    assert [(e.row, e.column) for e in unpublished.errors] == [
        (2, "专项批准文号"),
        (3, "专项批准文号"),
        (4, "专项批准文号"),
    ]
    assert "尚未公布" in unpublished.errors[0].message
    assert "没有批准文号为“龙府办〔2027〕9号”的专项检查" in unpublished.errors[1].message

    services.campaign_publish(actor=dept_admin, campaign=campaign)
    published = plan_import_run(
        actor=dept_admin,
        department=department,
        month=MONTH,
        source=xlsx_bytes(rows[:2]),
        commit=True,
    )
    assert published.committed and PlannedInspection.objects.get().campaign == campaign


def test_a_locked_plan_needs_a_late_reason_in_each_row(
    dept_admin, department, justice_user, catalogue, firms
):
    services.plan_get_or_create(actor=dept_admin, department=department, month=MONTH)
    services.plans_lock(actor=justice_user, month=MONTH)
    header = [*HEADER, "补报理由"]
    rows = [
        header,
        [firms[0].credit_code, "YJ-001", "2027-03-03", "2027-03-12", "", "", "", "上级交办"],
        [firms[1].credit_code, "YJ-001", "2027-03-03", "2027-03-12", "", "", "", ""],
    ]

    report = plan_import_run(
        actor=dept_admin, department=department, month=MONTH, source=xlsx_bytes(rows), commit=True
    )

    assert [(e.row, e.column) for e in report.errors] == [(3, "补报理由")]
    assert not PlannedInspection.objects.exists()


def test_a_file_missing_a_required_column_is_refused_as_a_whole(dept_admin, department, catalogue):
    with pytest.raises(ImportFileError) as refused:
        plan_import_run(
            actor=dept_admin,
            department=department,
            month=MONTH,
            source=csv_bytes([["统一社会信用代码", "最早日期"], ["x", "y"]]),
        )

    assert "缺少必填列：检查事项编码、最晚日期" in refused.value.message


def test_the_upload_page_offers_the_template_with_the_departments_item_codes(
    admin_client, catalogue
):
    page = admin_client.get("/planning/plans/import/?month=2027-03").content.decode()
    assert "上传并检查" in page and "检查事项编码" in page and "补报理由" in page

    response = admin_client.get("/planning/plans/import/template.xlsx?month=2027-03")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, example = (list(r) for r in sheet.iter_rows(max_row=2, values_only=True))
    assert header[:4] == HEADER[:4]
    assert example[1] == "YJ-001、YJ-002" and example[2] == "2027-03-03"


def test_an_unusable_file_is_refused_beside_the_file_field(admin_client, catalogue):
    response = _upload(admin_client, b"not a workbook", name="计划.xlsx")

    page = response.content.decode()
    assert 'data-field="file"' in page and "不是 Excel 工作簿" in page
    assert not PlannedInspection.objects.exists()


def test_confirming_another_users_upload_is_refused(
    client, catalogue, firms, dept_admin, other_admin
):
    client.force_login(dept_admin)
    page = _upload(client, xlsx_bytes(_good_rows(firms))).content.decode()
    sha256 = page.split('name="sha256" value="', 1)[1].split('"', 1)[0]

    client.force_login(other_admin)
    response = client.post("/planning/plans/import/confirm/", {"sha256": sha256}, follow=True)

    assert "没有找到待确认的上传" in response.content.decode()
    assert not PlannedInspection.objects.exists()
