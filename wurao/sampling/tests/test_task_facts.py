"""The task's facts card: who created it, and which grading its strata come from, in words."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from wurao.sampling.choices import SizeMode
from wurao.sampling.services import draw_task_commit
from wurao.sampling.services_draft import ParticipantSpec, draw_task_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(justice_user, item):
    from wurao.credit.services_grading import grades_recompute

    grades_recompute(actor=justice_user, as_of=datetime.date(2026, 11, 27))


def _draft(department, item, actor):
    return draw_task_create(
        actor=actor,
        title="2026年12月安全生产双随机抽查",
        lead_department=department,
        participants=[ParticipantSpec(department=department, items=[item])],
        scope={},
        size_mode=SizeMode.TOTAL,
        size_value=Decimal(3),
        window_start=datetime.date(2026, 12, 1),
        window_end=datetime.date(2026, 12, 31),
    )


def _facts(client, task) -> str:
    response = client.get(reverse("sampling:task-detail", args=[task.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _basis(html: str) -> str:
    return html.split('id="grade-basis">', 1)[1].split("</span>", 1)[0]


def test_a_task_created_by_a_command_opens_and_says_the_system_made_it(
    client, department, item, justice_user
):
    # Given a task created by the demo or a management command: no user behind it
    task = _draft(department, item, "demo")

    # When the justice bureau opens it
    html = _facts(client_as(client, justice_user), task)

    # Then the page opens (it answered 500) and names the system as its creator
    assert "系统（演示数据或管理命令）" in html.split("创建</dt>", 1)[1].split("</dd>", 1)[0]


def test_a_task_created_by_an_admin_names_them(client, department, item, dept_admin):
    task = _draft(department, item, dept_admin)

    html = _facts(client_as(client, dept_admin), task)

    created = html.split("创建</dt>", 1)[1].split("</dd>", 1)[0]
    assert (dept_admin.first_name or dept_admin.username) in created


def test_a_drafts_basis_is_the_grading_its_preview_uses(
    client, department, item, dept_admin, graded
):
    task = _draft(department, item, dept_admin)

    html = _facts(client_as(client, dept_admin), task)

    assert _basis(html) == "现行信用风险分级（第 1 版计分表，承诺时按当时的等级冻结）"


def test_a_draft_among_ungraded_enterprises_says_there_is_no_grading(
    client, department, item, dept_admin
):
    task = _draft(department, item, dept_admin)

    html = _facts(client_as(client, dept_admin), task)

    assert _basis(html) == "尚无信用风险分级（均为未评级）"


def test_a_committed_tasks_basis_names_the_frozen_table_in_words_on_both_pages(
    client, department, item, dept_admin, graded
):
    # Given a task committed over graded enterprises
    task = draw_task_commit(actor=dept_admin, task=_draft(department, item, dept_admin))

    # When its page and its public page are read
    own = _facts(client_as(client, dept_admin), task)
    public = client.get(reverse("sampling_public:task-detail", args=[task.code])).content.decode()

    # Then both name the table in words, not its id
    for html in (own, public):
        assert _basis(html) == "信用风险分级（第 1 版计分表，承诺时冻结）"
        assert "credit-points-v1" not in html


def client_as(client, user):
    client.force_login(user)
    return client
