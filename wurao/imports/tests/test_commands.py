"""The import commands: dry run by default, a readable error table, a JSON report, exit codes."""

import io
import json

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from wurao.audit.models import AuditEvent
from wurao.imports.tests.files import ENTERPRISE_HEADER, csv_bytes
from wurao.registry.models import Enterprise

pytestmark = pytest.mark.django_db

GOOD = [
    "91440300708461136T",
    "深圳市甲科技有限公司",
    "企业",
    "福城街道",
    "福城社区",
    "危化品",
    "2015-06-01",
    "是",
]
BAD_STREET = ["91110000100006485K", "乙五金店", "个体工商户", "龙华街道", "", "", "", ""]


@pytest.fixture
def enterprise_file(tmp_path, places):
    path = tmp_path / "企业.csv"
    path.write_bytes(csv_bytes([ENTERPRISE_HEADER, GOOD, BAD_STREET], encoding="gbk"))
    return path


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_without_commit_the_command_only_checks(enterprise_file):
    out = run("import_enterprises", str(enterprise_file))

    assert "试运行" in out and "--commit" in out
    assert not Enterprise.objects.exists()


def test_with_commit_valid_rows_are_imported_and_bad_ones_listed(enterprise_file):
    out = run("import_enterprises", str(enterprise_file), "--commit")

    assert list(Enterprise.objects.values_list("credit_code", flat=True)) == [GOOD[0]]
    assert "共 2 行，有效 1 行，有错 1 行；新增 1" in out
    error_line = next(line for line in out.splitlines() if line.startswith("3 "))
    assert "街道" in error_line and "龙华街道" in error_line
    assert AuditEvent.objects.count() == 1


def test_report_file_has_the_issue_json_shape(enterprise_file, tmp_path):
    report_path = tmp_path / "report.json"

    run("import_enterprises", str(enterprise_file), "--report", str(report_path))

    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert (report["rows"], report["valid"]) == (2, 1)
    assert report["errors"] == [
        {
            "row": 3,
            "column": "街道",
            "code": "unknown_street",
            "message": report["errors"][0]["message"],
        }
    ]
    assert (report["created"], report["committed"]) == (1, False)


def test_a_rejected_file_raises_a_clear_command_error_and_still_writes_the_report(tmp_path, places):
    fake = tmp_path / "企业.xlsx"
    fake.write_bytes(csv_bytes([ENTERPRISE_HEADER, GOOD]))
    report_path = tmp_path / "report.json"

    with pytest.raises(CommandError, match="不是 Excel 工作簿"):
        run("import_enterprises", str(fake), "--commit", "--report", str(report_path))

    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert (report["rows"], report["valid"], report["errors"][0]["code"]) == (0, 0, "not_xlsx")
    assert not Enterprise.objects.exists()


def test_exit_code_is_0_with_bad_rows_and_1_for_a_rejected_file(enterprise_file, tmp_path, capsys):
    empty = tmp_path / "空.csv"
    empty.write_bytes(b"")

    execute_from_command_line(["wurao", "import_enterprises", str(enterprise_file)])
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["wurao", "import_enterprises", str(empty)])

    assert exited.value.code == 1
    assert "文件为空" in capsys.readouterr().err


def test_a_missing_path_is_a_clear_command_error(tmp_path, places):
    with pytest.raises(CommandError, match="无法读取文件"):
        run("import_enterprises", str(tmp_path / "nowhere.csv"))


@pytest.mark.parametrize(
    ("command", "rows"),
    [
        ("import_inspectors", [["执法证号", "姓名", "所属部门"], ["44030900001", "张三", "YJ"]]),
        (
            "import_items",
            [
                ["事项编码", "事项名称", "实施部门", "法律依据"],
                ["YJ-001", "检查", "YJ", "安全生产法"],
            ],
        ),
    ],
)
def test_inspector_and_item_commands_import_with_commit(command, rows, tmp_path, departments):
    path = tmp_path / "file.csv"
    path.write_bytes(csv_bytes(rows))

    out = run(command, str(path), "--commit")

    assert "新增 1" in out and "已导入" in out
