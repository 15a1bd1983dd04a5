"""`wurao grades_backtest` and `wurao grades_calibrate` on a small district in the database:
what counts as an inspection, a violation and a serious one, the JSON the issue names, a
draft that grades nobody, an audited calibration, and errors that say what is wrong."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command

from wurao.audit.models import AuditEvent
from wurao.credit.models import EnterpriseGrade, PointsTableDraft
from wurao.credit.points import DEFAULT_TABLE
from wurao.credit.points_json import table_to_json
from wurao.credit.selectors_backtest import inspections_frame
from wurao.credit.services_grading import points_table_ensure_default
from wurao.enforcement.choices import ActionKind, Finding
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    """Two years of inspections: enterprises 0–5 have had problems before and find them
    again; 6–19 are inspected clean. Enterprise 0's first 2020 violation is followed by a
    penalty of the same department within 90 days (serious)."""
    points_table_ensure_default(actor="test")
    department = DepartmentFactory()
    enterprises = EnterpriseFactory.create_batch(20)
    for year in (2019, 2020):
        for n, enterprise in enumerate(enterprises):
            for month in (2, 5, 8, 11):
                EnforcementActionFactory(
                    enterprise=enterprise,
                    department=department,
                    date=datetime.date(year, month, 1 + n),
                    kind=ActionKind.INSPECTION,
                    finding=Finding.PROBLEMS if n < 6 else Finding.CLEAN,
                )
    EnforcementActionFactory(
        enterprise=enterprises[0],
        department=department,
        date=datetime.date(2020, 3, 1),
        kind=ActionKind.PENALTY,
        severity=1,
    )
    EnforcementActionFactory(  # no recorded result: not an inspection a backtest can use
        enterprise=enterprises[7], department=department, date=datetime.date(2020, 6, 6)
    )
    return enterprises


def test_inspections_with_a_result_and_serious_ones_followed_by_a_sanction(district):
    frame = inspections_frame(start=datetime.date(2020, 1, 1), end=datetime.date(2020, 12, 31))
    assert frame.height == 20 * 4
    assert frame["violation"].sum() == 6 * 4
    serious = frame.filter("serious")
    assert serious.height == 1
    assert serious.row(0, named=True)["enterprise_id"] == district[0].pk
    assert str(serious.row(0, named=True)["date"]) == "2020-02-01"


def test_the_backtest_prints_the_figures_the_issue_names(district, capsys):
    call_command("grades_backtest", "--from", "2020-01-01", "--to", "2020-12-31", "--json")
    figures = json.loads(capsys.readouterr().out)
    for key in (
        "days_earlier",
        "first_half_share",
        "first_half_share_actual",
        "random_days_earlier_mean",
        "random_days_earlier_sd",
        "hit_rate_by_grade",
        "inspections",
    ):
        assert key in figures
    assert figures["inspections"] == 80
    # the enterprises with a history of problems score lower, so their inspections move first
    assert figures["days_earlier"] > figures["random_days_earlier_mean"]
    # and the clean ones' (A after four clean inspections) find less than the others'
    assert figures["hit_rate_by_grade"]["A"]["rate"] < figures["hit_rate_by_grade"]["B"]["rate"]

    call_command("grades_backtest", "--from", "2020-01-01", "--to", "2020-12-31")
    text = capsys.readouterr().out
    assert "回测 2020-01-01 至 2020-12-31，第 1 版计分表：80 次检查" in text
    assert "days earlier on average" in text


def test_a_table_from_a_file_and_bad_arguments(district, tmp_path, capsys):
    path = tmp_path / "table.json"
    path.write_text(table_to_json(DEFAULT_TABLE), "utf-8")
    call_command("grades_backtest", "--from", "2020-01-01", "--to", "2020-06-30", "--table", path)
    assert "第 1 版计分表" in capsys.readouterr().out
    path.write_text('{"version": 0}', "utf-8")
    with pytest.raises(CommandError, match="缺少字段"):
        call_command(
            "grades_backtest", "--from", "2020-01-01", "--to", "2020-06-30", "--table", path
        )
    with pytest.raises(CommandError, match="回测期的结束日期（2020-01-01）早于开始日期"):
        call_command("grades_backtest", "--from", "2020-06-30", "--to", "2020-01-01")


def test_calibration_stores_an_audited_draft_that_grades_nobody(district, tmp_path, capsys):
    out = tmp_path / "draft.json"
    call_command(
        "grades_calibrate", "--train-from", "2019-01-01", "--train-to", "2019-12-31",
        "--test-from", "2020-01-01", "--test-to", "2020-12-31", "--out", out, "--json",
    )  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    draft = PointsTableDraft.objects.get(pk=report["draft"])
    assert json.loads(out.read_text("utf-8")) == draft.table
    assert set(report["test"]) == {"in_force", "draft"}
    problems = next(k for k in report["fit"]["kinds"] if k["code"] == "inspection_problem")
    assert problems["records"] > 0 and problems["points_after"] < 0
    assert (draft.train_from, draft.test_to) == (
        datetime.date(2019, 1, 1),
        datetime.date(2020, 12, 31),
    )
    assert AuditEvent.objects.filter(verb="points_table.calibrate").count() == 1
    assert not EnterpriseGrade.objects.exists()


def test_calibration_refuses_an_overlapping_test_period_and_an_empty_training_one(district):
    with pytest.raises(CommandError, match="检验期须在训练期之后"):
        call_command(
            "grades_calibrate", "--train-from", "2019-01-01", "--train-to", "2019-12-31",
            "--test-from", "2019-06-01",
        )  # fmt: skip
    with pytest.raises(CommandError, match="至少 20 次检查"):
        call_command("grades_calibrate", "--train-from", "2015-01-01", "--train-to", "2015-12-31")
    assert not PointsTableDraft.objects.exists()
