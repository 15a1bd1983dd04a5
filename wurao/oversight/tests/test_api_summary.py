"""/api/oversight/summary/: the yearly figures, for the justice bureau (all), a department's
admin (its own) and a street's coordinator (its area); nobody else may read them."""

import datetime

import pytest
from rest_framework.test import APIClient

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.enforcement.choices import ActionKind, Origin
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_summary_counts_the_year_s_records(justice_user, department):
    # given in 2020: three inspections (two on one joint random visit with another department),
    # one penalty and one coercive measure; and one inspection in 2019
    environment = DepartmentFactory(name="区生态环境局")
    enterprise = EnterpriseFactory()
    day = datetime.date(2020, 5, 6)
    for dept in (department, environment):
        EnforcementActionFactory(
            department=dept,
            enterprise=enterprise,
            date=day,
            origin=Origin.RANDOM_DRAW,
            joint_ref="LH-2020-001",
        )
    EnforcementActionFactory(department=department, date=day)
    EnforcementActionFactory(department=department, date=day, kind=ActionKind.PENALTY)
    EnforcementActionFactory(department=environment, date=day, kind=ActionKind.COERCIVE)
    EnforcementActionFactory(department=department, date=datetime.date(2019, 12, 31))

    # when the justice bureau asks for 2020
    response = client_for(justice_user).get("/api/oversight/summary/", {"year": 2020})

    # then it gets the study's Table 1 figures for 2020 only
    assert response.status_code == 200
    assert response.json() == {
        "year": 2020,
        "by_kind": {"inspection": 3, "penalty": 1, "coercive": 1},
        "total": 5,
        "shares": {"inspection": 60.0, "penalty": 20.0, "coercive": 20.0},
        "by_department": {"区应急管理局": 3, "区生态环境局": 2},
        "district_inspections": 3,
        "random_draw_inspections": 2,
        "joint_random_visits": 1,
    }


def test_an_empty_year_gives_zeros(justice_user):
    body = client_for(justice_user).get("/api/oversight/summary/", {"year": 2021}).json()

    assert body["total"] == 0
    assert body["shares"] == {"inspection": 0.0, "penalty": 0.0, "coercive": 0.0}
    assert body["by_department"] == {}


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.ENTERPRISE])
def test_only_the_bureau_a_department_admin_and_a_street_may_read_the_summary(
    role, department, street, enterprise
):
    # given an inspector or an enterprise
    user = UserFactory(role=role, department=department, street=street, enterprise=enterprise)

    # when it asks for the summary
    response = client_for(user).get("/api/oversight/summary/", {"year": 2020})

    # then it is refused, and told why
    assert response.status_code == 403
    assert response.json() == {"detail": "仅司法局、部门管理员和街道统筹人员可查看执法监督看板"}


def test_a_department_admin_reads_its_own_department_s_summary(department):
    # given an action of the admin's department and one of another department
    day = datetime.date(2020, 5, 6)
    EnforcementActionFactory(department=department, date=day)
    EnforcementActionFactory(department=DepartmentFactory(name="区生态环境局"), date=day)
    admin = UserFactory(role=Role.DEPT_ADMIN, department=department)

    # when its admin asks for the summary
    body = client_for(admin).get("/api/oversight/summary/", {"year": 2020}).json()

    # then it counts its own department's action only
    assert body["total"] == 1 and body["by_department"] == {department.name: 1}


def test_anonymous_callers_are_refused():
    assert APIClient().get("/api/oversight/summary/", {"year": 2020}).status_code in (401, 403)


@pytest.mark.parametrize(
    ("params", "message"),
    [({}, "请指定年份，如 ?year=2020"), ({"year": "abc"}, "请输入有效的年份，如 2020")],
)
def test_a_missing_or_bad_year_is_refused_in_chinese(justice_user, params, message):
    response = client_for(justice_user).get("/api/oversight/summary/", params)

    assert response.status_code == 400
    assert response.json() == {"year": [message]}


@pytest.mark.django_db(transaction=True)
def test_the_summary_is_read_once_then_changes_with_the_next_recorded_action():
    # given a year with one inspection, whose figures the justice bureau has read
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wurao.enforcement.services import action_record

    justice = UserFactory(role=Role.JUSTICE)
    department = DepartmentFactory(name="区应急管理局")
    enterprise = EnterpriseFactory()
    EnforcementActionFactory(department=department, enterprise=enterprise)
    client = client_for(justice)
    first = client.get("/api/oversight/summary/", {"year": 2020}).json()

    # when it reads them again, then no action is counted again
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/oversight/summary/", {"year": 2020}).json()
    assert again == first
    assert not [q for q in queries if 'FROM "enforcement_enforcementaction"' in q["sql"]]

    # when a department records a penalty in that year, then the next reading counts it
    action_record(
        actor=justice,
        enterprise=enterprise,
        department=department,
        day=datetime.date(2020, 9, 1),
        kind=ActionKind.PENALTY,
        origin=Origin.COMPLAINT,
    )
    after = client.get("/api/oversight/summary/", {"year": 2020}).json()
    assert after["by_kind"] == {"inspection": 1, "penalty": 1, "coercive": 0}

    # when the department is renamed, then the next reading names it so
    department.name = "区应急管理局（改）"
    department.save()
    renamed = client.get("/api/oversight/summary/", {"year": 2020}).json()
    assert renamed["by_department"] == {"区应急管理局（改）": 2}
