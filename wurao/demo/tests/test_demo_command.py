"""`wurao demo`: refuses a non-empty database, resets on request, prints counts and accounts."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.audit.selectors import audit_chain_first_broken
from wurao.demo import data
from wurao.registry.models import Department, Enterprise, Street
from wurao.registry.tests.factories import StreetFactory

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
