"""`wurao demo`: refuses a non-empty database, resets on request, prints counts and accounts."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.audit.selectors import audit_chain_first_broken
from wurao.credit.choices import Grade
from wurao.credit.models import (
    CreditCommitment,
    CreditObjection,
    CreditRepair,
    EnterpriseGrade,
    GradeChange,
    MonitoringAlert,
    PointsTableVersion,
)
from wurao.demo import data
from wurao.demo.services_reset import demo_reset
from wurao.outcomes.models import FindingNotice, ItemCheck, Rectification
from wurao.planning.models import (
    Campaign,
    DepartmentCapacity,
    EnterpriseSlot,
    JointVisit,
    MonthlyPlan,
    ParkDay,
    ParkDaySetting,
    PlannedInspection,
    ScheduleRun,
)
from wurao.registry.models import Department, Enterprise, Street
from wurao.registry.tests.factories import StreetFactory
from wurao.sampling.models import ConflictOfInterest, DrawTask
from wurao.visits.models import Visit, VisitRating, VisitRefusal, VisitRuleVersion

pytestmark = pytest.mark.django_db

SMALL = "0.002"


def test_demo_refuses_a_non_empty_database_without_reset():
    # given a database that already holds a street
    StreetFactory(name="测试街道")

    # when the demo is asked to build without --reset
    with pytest.raises(CommandError, match="--reset"):
        call_command("demo", "--scale", SMALL)

    # then nothing was touched
    assert list(Street.objects.values_list("name", flat=True)) == ["测试街道"]
    assert not AuditEvent.objects.filter(verb="demo.build").exists()


def test_demo_prints_the_counts_and_the_accounts_with_their_password(capsys):
    call_command("demo", "--scale", SMALL, "--seed", "3")

    out = capsys.readouterr().out
    assert "演示区已生成" in out
    assert f"{round(433_407 * 0.002):,}" in out
    assert data.DEMO_PASSWORD in out
    for username in ("sfj", "yjj_admin", "yjj_inspector", "fucheng", "qiye"):
        assert username in out
    assert AuditEvent.objects.filter(verb="demo.build").count() == 1
    # and the draw tasks, each with its code and status, pointing at the verifier
    assert "wurao draw_verify" in out
    for task in DrawTask.objects.all():
        line = next(line for line in out.splitlines() if task.code in line)
        assert task.get_status_display() in line and task.title in line
    # and the grade spread as of today beside the history's (2020-12-31), each grade with its
    # count, and the reviews
    today = timezone.localdate()
    assert f"信用等级（评价基准日 {today}，即今天，第 1 版计分表" in out
    assert "右列为 2020-12-31 的历史评级" in out
    for grade in Grade:
        count = EnterpriseGrade.objects.filter(grade=grade).count()
        line = next(line for line in out.splitlines() if line.strip().startswith(str(grade.label)))
        assert f"{count:,}" in line and "%" in line
    assert "信用异议和修复" in out and f"{data.KEY_ENTERPRISE_NAME}（重点企业）" in out
    # and next month's plans with the scheduler's figures
    run = ScheduleRun.objects.get()
    assert f"计划与联合检查（{run.month:%Y年%m月}" in out
    assert f"下界 {run.lower_bound:,}，贪心 {run.greedy_visits:,}，排期 {run.visits:,}" in out
    assert "联合整园执法日：已抽取 12，已承诺待抽取 3" in out


def test_demo_with_reset_replaces_the_district_and_keeps_the_audit_chain(capsys):
    # given a demo built with one seed
    call_command("demo", "--scale", SMALL, "--seed", "1")
    first = set(Enterprise.objects.values_list("credit_code", flat=True))

    # when it is rebuilt with --reset and another seed
    call_command("demo", "--scale", SMALL, "--seed", "2", "--reset")

    # then it said what it would delete, the codes changed, the counts did not
    out = capsys.readouterr().out
    assert "将删除以下数据" in out
    second = set(Enterprise.objects.values_list("credit_code", flat=True))
    assert len(second) == len(first) and second != first
    assert Street.objects.count() == 6
    assert DrawTask.objects.count() == 6 and ConflictOfInterest.objects.count() == 1
    assert PointsTableVersion.objects.count() == 1
    assert EnterpriseGrade.objects.count() == Enterprise.objects.count()
    assert set(EnterpriseGrade.objects.values_list("enterprise__credit_code", flat=True)) == second
    assert AuditEvent.objects.filter(verb="demo.build").count() == 2
    assert AuditEvent.objects.filter(verb="demo.reset").count() == 1
    assert audit_chain_first_broken() is None


def test_reset_refuses_when_other_records_point_at_demo_data():
    # given the demo and a user (not a demo account) attached to one of its departments
    call_command("demo", "--scale", SMALL)
    UserFactory(
        username="someone", role=Role.DEPT_ADMIN, department=Department.objects.get(code="YJGL")
    )

    # when a reset is asked for
    with pytest.raises(CommandError, match="用户"):
        call_command("demo", "--scale", SMALL, "--reset")

    # then the demo is still there, demo accounts included
    assert Street.objects.count() == 6
    assert Department.objects.filter(code="YJGL").exists()


def _published(task: DrawTask) -> tuple:
    return (
        task.title,
        task.status,
        task.scope,
        task.candidate_count,
        task.snapshot_digest,
        task.quotas,
        task.external_entropy,
    )


def test_the_same_seed_gives_the_same_tasks_but_a_fresh_server_seed():
    # given a demo built with a seed
    call_command("demo", "--scale", SMALL, "--seed", "4")
    first = {t.code: t for t in DrawTask.objects.all()}

    # when it is rebuilt with the same seed
    call_command("demo", "--scale", SMALL, "--seed", "4", "--reset")
    second = {t.code: t for t in DrawTask.objects.all()}

    # then scopes, snapshots, quotas and the observers' entropy are the same; the server
    # seed is new (a CSPRNG's, by design), so every commitment differs
    assert {c: _published(t) for c, t in first.items()} == {
        c: _published(t) for c, t in second.items()
    }
    committed = [c for c, t in first.items() if t.commitment]
    assert len(committed) == 5
    assert all(first[c].commitment != second[c].commitment for c in committed)


def test_reset_clears_the_credit_tables_too():
    # given a demo with its grades, credit records and reviews
    call_command("demo", "--scale", SMALL, "--seed", "6")
    assert CreditObjection.objects.exists() and CreditRepair.objects.exists()

    # when it is reset
    deleted = demo_reset(actor="test")

    # then no credit row is left, and the reset said how many grades it deleted
    for model in (
        EnterpriseGrade, GradeChange, MonitoringAlert, CreditCommitment, CreditObjection,
        CreditRepair, PointsTableVersion,
    ):  # fmt: skip
        assert not model.objects.exists(), model
    assert deleted["企业信用等级"] == deleted["企业（商事主体）"] > 0
    assert audit_chain_first_broken() is None


def _written_codes() -> list[str]:
    """Codes of the visits the demo writes itself (not through the services): the history
    and the key enterprise's visits of this year before the last ten days (draws' visits
    aside: which enterprises a draw picks is the CSPRNG's)."""
    earlier = timezone.localdate() - datetime.timedelta(days=10)
    history = Visit.objects.filter(date__year__lte=2020)
    this_year = Visit.objects.filter(
        enterprise__name=data.KEY_ENTERPRISE_NAME,
        date__year__gt=2020,
        date__lt=earlier,
        source_ref="",
    )
    return [v.code for v in (history | this_year).order_by("pk")]


def test_reset_leaves_no_visit_behind_and_the_same_seed_gives_the_same_codes(capsys):
    # given a demo with its visits, ratings, refusals, overrides and rules
    call_command("demo", "--scale", SMALL, "--seed", "5")
    first = _written_codes()
    assert VisitRefusal.objects.exists() and Visit.objects.exclude(override_reason="").exists()
    out = capsys.readouterr().out
    assert "入企登记合计" in out and "今日有效的入企码" in out

    # when it is reset (the justice bureau's account approved overrides: no matter)
    demo_reset(actor="test")

    # then no visit, rating, refusal, rule version or link between them is left
    visit_tables = (
        Visit, VisitRating, VisitRefusal, VisitRuleVersion, Visit.departments.through,
        Visit.officers.through, Visit.items.through,
    )  # fmt: skip
    for model in visit_tables:
        assert not model.objects.exists(), model

    # and rebuilt with the same seed, the visits written in bulk carry the same codes
    call_command("demo", "--scale", SMALL, "--seed", "5")
    assert _written_codes() == first and len(first) > 75
    assert audit_chain_first_broken() is None


def test_reset_leaves_no_planning_row_behind():
    # given a demo with next month's plans, the schedule, confirmed visits, forms and park days
    call_command("demo", "--scale", SMALL, "--seed", "7")
    assert JointVisit.objects.filter(status="confirmed").exists() and ItemCheck.objects.exists()

    # when it is reset
    deleted = demo_reset(actor="test")

    # then no plan, visit proposal, form line, capacity, campaign, slot or park day is left
    planning_tables = (
        MonthlyPlan, PlannedInspection, PlannedInspection.items.through, ScheduleRun, JointVisit,
        ItemCheck, Rectification, FindingNotice, DepartmentCapacity, Campaign, EnterpriseSlot, ParkDaySetting, ParkDay,
        ParkDay.departments.through,
    )  # fmt: skip
    for model in planning_tables:
        assert not model.objects.exists(), model
    assert deleted["计划检查"] > 0 and deleted["联合整园执法日"] == 15
    assert audit_chain_first_broken() is None
