"""Importing non-site monitoring alerts (非现场监测预警): `wurao import_alerts`, row by row."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from wurao.audit.models import AuditEvent
from wurao.credit.models import MonitoringAlert
from wurao.credit.selectors_grading import enterprise_breakdown
from wurao.credit.services_grading import grades_recompute
from wurao.imports.services import import_run
from wurao.imports.tests.files import csv_bytes, xlsx_bytes
from wurao.registry.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "统一社会信用代码",
    "预警部门",
    "监测来源",
    "预警日期",
    "预警级别",
    "预警内容",
    "来源编号",
]
SOURCE = "重点排污单位自动监控系统"


@pytest.fixture
def watched(places, departments):
    """An enterprise in the registry, and a valid credit code that is not."""
    return EnterpriseFactory(street=places["fucheng"]), "91440300708461136T"


def _row(code, *, department="YJ", day="2020-09-14", level="2", text="废水总镍超标 0.2 倍",
         number="HJZK-2020-000001"):  # fmt: skip
    return [code, department, SOURCE, day, level, text, number]


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_each_row_is_checked_and_only_valid_alerts_are_imported(tmp_path, watched):
    # given a file with one good alert and one wrong thing on each other row
    enterprise, stranger = watched
    code = enterprise.credit_code
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    rows = [
        HEADER,
        _row(code),
        _row(stranger, number="N-2"),  # 3: valid code, not in the registry
        _row(code[:-1] + ("0" if code[-1] != "0" else "1"), number="N-3"),  # 4: checksum
        _row(code, department="区总工会", number="N-4"),  # 5: not an enforcement department
        _row(code, level="4", number="N-5"),  # 6
        _row(code, day=tomorrow, number="N-6"),  # 7
        _row(code, text="", number="N-7"),  # 8
        _row(code, number="N-8"),  # 9 and 10: the same number twice
        _row(code, number="N-8"),
    ]
    path = tmp_path / "预警.csv"
    path.write_bytes(csv_bytes(rows, encoding="gbk"))

    # when it is imported with --commit
    report_path = tmp_path / "report.json"
    out = run("import_alerts", str(path), "--commit", "--report", str(report_path))

    # then the good row is in, every other row is refused saying where and why
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert (report["rows"], report["valid"], report["created"]) == (9, 1, 1)
    errors = [(e["row"], e["column"], e["code"]) for e in report["errors"]]
    assert errors == [
        (3, "统一社会信用代码", "unknown_enterprise"),
        (4, "统一社会信用代码", "credit_code_checksum"),
        (5, "预警部门", "not_enforcement_department"),
        (6, "预警级别", "bad_level"),
        (7, "预警日期", "future_date"),
        (8, "预警内容", "required"),
        (9, "来源编号", "duplicate_in_file"),
        (10, "来源编号", "duplicate_in_file"),
    ]
    messages = {e["code"]: e["message"] for e in report["errors"]}
    assert stranger in messages["unknown_enterprise"] and "企业库" in messages["unknown_enterprise"]
    assert "预警部门" in messages["not_enforcement_department"]
    assert "共 9 行，有效 1 行，有错 8 行；新增 1" in out
    alert = MonitoringAlert.objects.get()
    assert (alert.enterprise, alert.department.code, alert.severity) == (enterprise, "YJ", 2)
    assert (alert.date, alert.source, alert.external_id) == (
        datetime.date(2020, 9, 14),
        SOURCE,
        "HJZK-2020-000001",
    )
    assert AuditEvent.objects.filter(verb="monitoring_alert.import").count() == 1


def test_without_commit_nothing_is_written(tmp_path, watched):
    enterprise, _ = watched
    path = tmp_path / "预警.csv"
    path.write_bytes(csv_bytes([HEADER, _row(enterprise.credit_code)]))

    out = run("import_alerts", str(path))

    assert "试运行" in out and "导入后将新增 1" in out
    assert not MonitoringAlert.objects.exists()
    assert not AuditEvent.objects.exists()


def test_importing_a_number_again_updates_that_alert(watched):
    # given an alert imported once
    enterprise, _ = watched
    first = csv_bytes([HEADER, _row(enterprise.credit_code)])
    import_run(actor="test", target="alerts", source=first, filename="a.csv", commit=True)

    # when the monitoring system's corrected export comes in, and then again unchanged
    corrected = csv_bytes([HEADER, _row(enterprise.credit_code, level="较重", text="已更正")])
    again = import_run(
        actor="test", target="alerts", source=corrected, filename="b.csv", commit=True
    )
    same = import_run(
        actor="test", target="alerts", source=corrected, filename="b.csv", commit=True
    )

    # then one alert, updated once, and one audit event per committed import
    assert (again.created, again.updated, same.updated, same.unchanged) == (0, 1, 0, 1)
    alert = MonitoringAlert.objects.get()
    assert (alert.description, alert.severity) == ("已更正", 2)
    assert AuditEvent.objects.filter(verb="monitoring_alert.import").count() == 3


def test_an_excel_file_with_date_cells_numeric_levels_and_level_words(watched):
    enterprise, _ = watched
    code = enterprise.credit_code
    data = xlsx_bytes(
        [
            HEADER,
            [code, "区应急管理局", SOURCE, datetime.datetime(2020, 12, 8), 3, "液位报警", "W-1"],
            [code, "yj", SOURCE, "2020/12/9", "一般", "温度超限", "W-2"],
            [code, "YJ", SOURCE, "2020年12月10日", "三级", "可燃气体报警", "W-3"],
            [code, "YJ", SOURCE, "2020-12-11", "", "液位报警", "W-4"],
        ]
    )

    report = import_run(
        actor="test", target="alerts", source=data, filename="预警.xlsx", commit=True
    )

    assert report.errors == [] and report.created == 4
    levels = dict(MonitoringAlert.objects.values_list("external_id", "severity"))
    assert levels == {"W-1": 3, "W-2": 1, "W-3": 3, "W-4": 1}
    assert MonitoringAlert.objects.get(external_id="W-1").date == datetime.date(2020, 12, 8)


def test_an_imported_alert_counts_at_the_next_regrade(watched, justice_user):
    # given an alert of level 3 imported for an enterprise
    enterprise, _ = watched
    data = csv_bytes([HEADER, _row(enterprise.credit_code, day="2020-12-20", level="3")])
    import_run(actor="test", target="alerts", source=data, filename="a.csv", commit=True)

    # when the district is regraded as of the end of the year
    as_of = datetime.date(2020, 12, 31)
    grades_recompute(actor=justice_user, as_of=as_of)

    # then the enterprise's breakdown shows the alert, with its points
    rows = enterprise_breakdown(enterprise_id=enterprise.pk, as_of=as_of)["rows"]
    alert = next(r for r in rows if r["indicator"] == "monitoring_alert")
    assert alert["points"] < 0 and "非现场监测预警（严重）" in alert["reason_zh"]


def test_the_upload_page_offers_the_alert_template(client, justice_user):
    client.force_login(justice_user)

    page = client.get("/imports/").content.decode()
    template = client.get("/imports/templates/alerts.csv")

    assert "非现场监测预警" in page and "/imports/templates/alerts.xlsx" in page
    assert template.status_code == 200
    assert template.content.decode("utf-8-sig").splitlines()[0] == ",".join(HEADER)
