"""/api/draws/ and /api/public/draws/: a department reads its own tasks, anyone the public ones;
the server seed stays hidden until the draw."""

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, InspectorFactory
from wurao.sampling.choices import SizeMode, TaskStatus
from wurao.sampling.services import draw_task_commit, draw_task_draw
from wurao.sampling.services_draft import ParticipantSpec, draw_task_create

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 12, 1), datetime.date(2026, 12, 31)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def district(street, department):
    departments = [department, DepartmentFactory(name="区卫生健康局", code="WJ")]
    items = {d.pk: [InspectionItemFactory(department=d)] for d in departments}
    for d in departments:
        InspectorFactory.create_batch(
            4, department=d, certificate_valid_until=datetime.date(2027, 6, 30)
        )
    EnterpriseFactory.create_batch(20, street=street)
    return departments, items


def _task(district, actor, *, lead=0, title="2026年12月安全生产双随机抽查"):
    departments, items = district
    department = departments[lead]
    return draw_task_create(
        actor=actor,
        title=title,
        lead_department=department,
        participants=[ParticipantSpec(department=department, items=items[department.pk])],
        scope={},
        size_mode=SizeMode.TOTAL,
        size_value=Decimal(4),
        window_start=START,
        window_end=END,
    )


def test_a_department_lists_and_reads_only_its_own_tasks(district, dept_admin, justice_user):
    # given a task of our department and one of another department
    ours = _task(district, dept_admin)
    their_admin = UserFactory(role=Role.DEPT_ADMIN, department=district[0][1])
    theirs = _task(district, their_admin, lead=1, title="卫生健康双随机抽查")
    client = client_for(dept_admin)

    # when our department lists tasks and opens both
    listed = client.get("/api/draws/")
    own = client.get(f"/api/draws/{ours.pk}/")
    foreign = client.get(f"/api/draws/{theirs.pk}/")

    # then it sees only its own; the other department's task is "not found"
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [ours.pk]
    assert own.status_code == 200
    assert own.json()["participants"][0]["items"][0]["code"]
    assert foreign.status_code == 404
    # and the justice bureau sees both
    everything = client_for(justice_user).get("/api/draws/").json()["results"]
    assert {row["id"] for row in everything} == {ours.pk, theirs.pk}


def test_the_seed_is_hidden_until_the_draw(district, dept_admin):
    # given a committed task
    task = draw_task_commit(actor=dept_admin, task=_task(district, dept_admin))
    client = client_for(dept_admin)

    # when it is read before and after the draw
    before = client.get(f"/api/draws/{task.pk}/").json()
    task = draw_task_draw(actor=dept_admin, task=task, external_entropy="骰子 3-5", observer="王某")
    after = client.get(f"/api/draws/{task.pk}/").json()

    # then the commitment and digest are there from the start, the seed only after the draw
    assert before["status"] == TaskStatus.COMMITTED
    assert before["commitment"] and before["snapshot_digest"]
    assert before["quotas"] and before["server_seed"] is None
    assert after["server_seed"] == task.server_seed != ""
    assert after["selected_count"] == 4


def test_a_bad_status_filter_is_answered_in_chinese(dept_admin):
    # when the status filter is not a task status
    response = client_for(dept_admin).get("/api/draws/", {"status": "done"})

    # then the error names the field and the valid choices
    assert response.status_code == 400
    assert "任务状态" in response.json()["status"][0]
    assert "committed" in response.json()["status"][0]


def test_the_public_endpoints_need_no_login(district, dept_admin):
    # given a draft task and a committed one
    _task(district, dept_admin, title="草稿任务")
    task = draw_task_commit(actor=dept_admin, task=_task(district, dept_admin))
    anonymous = APIClient()

    # when anyone lists the public tasks and fetches the bundle
    listed = anonymous.get("/api/public/draws/")
    bundle = anonymous.get(f"/api/public/draws/{task.code}/bundle/")

    # then only the committed task is public, and its bundle keeps the seed secret
    assert listed.status_code == 200
    assert [row["code"] for row in listed.json()["results"]] == [task.code]
    assert bundle.status_code == 200
    assert bundle.json()["commitment"] == task.commitment
    assert "server_seed" not in bundle.json()


def test_a_draft_s_bundle_is_not_public(district, dept_admin):
    draft = _task(district, dept_admin)

    response = APIClient().get(f"/api/public/draws/{draft.code}/bundle/")

    assert response.status_code == 404


def test_the_signed_in_list_needs_a_login():
    assert APIClient().get("/api/draws/").status_code in (401, 403)
