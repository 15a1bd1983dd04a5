"""`wurao oversight_report`: the study's Table 1 and department ranking from live records."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wurao.demo.allocation import plan_counts
from wurao.demo.services import demo_build

pytestmark = pytest.mark.django_db

SCALE = 0.005


@pytest.fixture
def demo():
    return demo_build(actor="test", scale=SCALE, seed=5)


def _report(capsys, *args) -> str:
    call_command("oversight_report", "--year", "2020", *args)
    return capsys.readouterr().out


def test_report_json_equals_the_generated_counts(demo, capsys):
    # given a demo district generated at a small scale
    plan = plan_counts(SCALE)

    # when the report is printed as JSON
    report = json.loads(_report(capsys, "--format", "json"))

    # then Table 1 and the key figures are the generated counts
    assert report["by_kind"] == plan.by_kind
    assert report["total"] == plan.total == demo.counts["actions_2020"]
    assert report["district_inspections"] == plan.district_inspections
    assert report["random_draw_inspections"] == plan.random_draw_inspections
    assert report["joint_random_visits"] == plan.joint_random_visits
    assert sum(report["by_department"].values()) == plan.total
    top3 = sum(list(report["by_department"].values())[:3])
    assert top3 == plan.top3


def test_report_table_reads_like_the_studys_table_1(demo, capsys):
    plan = plan_counts(SCALE)

    out = _report(capsys)

    assert "表1" in out
    for label, kind in (
        ("行政检查", "inspection"),
        ("行政处罚", "penalty"),
        ("行政强制", "coercive"),
    ):
        line = next(line for line in out.splitlines() if line.strip().startswith(label))
        assert f"{plan.by_kind[kind]:,}" in line
    assert f"合计 {plan.total:,} 次" in out
    assert "部门排名" in out and "区应急管理局" in out
    assert f"前3名部门合计 {plan.top3:,} 次" in out


def test_report_for_a_department_user_counts_only_that_department(demo, capsys):
    report = json.loads(_report(capsys, "--format", "json", "--scope-user", "yjj_admin"))

    assert list(report["by_department"]) == ["区应急管理局"]
    assert report["total"] == sum(plan_counts(SCALE).by_department["YJGL"].values())


def test_report_for_an_unknown_user_says_so(capsys):
    with pytest.raises(CommandError, match="nobody"):
        call_command("oversight_report", "--year", "2020", "--scope-user", "nobody")


def test_report_on_an_empty_year_prints_zeros(capsys):
    report = json.loads(_report(capsys, "--format", "json"))

    assert report["total"] == 0 and report["by_department"] == {}
