"""/api/actions/: each role reads only the enforcement records its scope allows."""

import datetime

import pytest
from rest_framework.test import APIClient

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.enforcement.choices import ActionKind, Origin
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    InspectorFactory,
    StreetFactory,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def two_departments_two_streets(department, street, enterprise):
    """Our department and another, each with one action on an enterprise in our street and one elsewhere."""
    other_department = DepartmentFactory(name="区生态环境局")
    elsewhere = EnterpriseFactory(street=StreetFactory(name="观澜街道"))
    return {
        "ours_here": EnforcementActionFactory(department=department, enterprise=enterprise),
        "ours_elsewhere": EnforcementActionFactory(department=department, enterprise=elsewhere),
        "theirs_here": EnforcementActionFactory(department=other_department, enterprise=enterprise),
        "theirs_elsewhere": EnforcementActionFactory(
            department=other_department, enterprise=elsewhere
        ),
    }


def test_justice_bureau_reads_every_department_s_actions(justice_user, two_departments_two_streets):
    # given four actions by two departments in two streets
    actions = two_departments_two_streets

    # when the justice bureau lists actions
    response = client_for(justice_user).get("/api/actions/")

    # then it sees all four
    assert ids(response) == {a.pk for a in actions.values()}
    assert response.json()["count"] == 4


@pytest.mark.parametrize("role", [Role.DEPT_ADMIN, Role.INSPECTOR])
def test_a_department_reads_only_its_own_actions(role, department, two_departments_two_streets):
    # given a department user (administrator or inspector)
    actions = two_departments_two_streets
    user = UserFactory(role=role, department=department)
    client = client_for(user)

    # when it lists actions and opens another department's action
    listed = client.get("/api/actions/")
    foreign = client.get(f"/api/actions/{actions['theirs_here'].pk}/")

    # then the list holds only its own, and the other department's record is "not found"
    assert ids(listed) == {actions["ours_here"].pk, actions["ours_elsewhere"].pk}
    assert foreign.status_code == 404
    assert client.get(f"/api/actions/{actions['ours_here'].pk}/").status_code == 200


def test_a_department_cannot_widen_its_scope_with_the_department_filter(
    dept_admin, two_departments_two_streets
):
    # given a department administrator
    actions = two_departments_two_streets

    # when it asks for another department's actions by filter
    response = client_for(dept_admin).get(
        "/api/actions/", {"department": actions["theirs_here"].department_id}
    )

    # then it gets nothing
    assert ids(response) == set()


def test_a_street_reads_only_actions_on_enterprises_in_its_area(
    street_user, two_departments_two_streets
):
    # given actions in the coordinator's street and elsewhere
    actions = two_departments_two_streets
    client = client_for(street_user)

    # when the street coordinator lists actions
    response = client.get("/api/actions/")

    # then it sees every department's actions in its street, and none elsewhere
    assert ids(response) == {actions["ours_here"].pk, actions["theirs_here"].pk}
    assert client.get(f"/api/actions/{actions['ours_elsewhere'].pk}/").status_code == 404


def test_an_enterprise_reads_only_actions_on_itself(enterprise_user, two_departments_two_streets):
    # given actions on the user's enterprise and on another one
    actions = two_departments_two_streets
    client = client_for(enterprise_user)

    # when the enterprise lists actions, and asks for the other enterprise's by filter and by id
    listed = client.get("/api/actions/")
    by_filter = client.get("/api/actions/", {"enterprise": actions["ours_elsewhere"].enterprise_id})
    by_id = client.get(f"/api/actions/{actions['ours_elsewhere'].pk}/")

    # then it sees only the actions on itself
    assert ids(listed) == {actions["ours_here"].pk, actions["theirs_here"].pk}
    assert ids(by_filter) == set()
    assert by_id.status_code == 404


def test_action_list_filters_by_year_kind_origin_and_date_range(justice_user, department):
    # given actions of different years, kinds and origins
    inspection_2020 = EnforcementActionFactory(
        department=department, date=datetime.date(2020, 3, 1), origin=Origin.RANDOM_DRAW
    )
    penalty_2020 = EnforcementActionFactory(
        department=department, date=datetime.date(2020, 9, 1), kind=ActionKind.PENALTY
    )
    inspection_2021 = EnforcementActionFactory(
        department=department, date=datetime.date(2021, 1, 5)
    )
    client = client_for(justice_user)

    # when it filters, then each filter narrows the list
    assert ids(client.get("/api/actions/", {"year": 2020})) == {inspection_2020.pk, penalty_2020.pk}
    assert ids(client.get("/api/actions/", {"kind": "penalty"})) == {penalty_2020.pk}
    assert ids(client.get("/api/actions/", {"origin": "random_draw"})) == {inspection_2020.pk}
    assert ids(
        client.get("/api/actions/", {"date_from": "2020-06-01", "date_to": "2021-01-05"})
    ) == {penalty_2020.pk, inspection_2021.pk}
    # and an empty parameter, as a blank form field sends it, filters nothing
    assert len(ids(client.get("/api/actions/", {"year": "", "kind": ""}))) == 3


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"year": "abc"}, "year", "请输入有效的年份，如 2020"),
        ({"year": "20200"}, "year", "请输入有效的年份，如 2020"),
        ({"kind": "unknown"}, "kind", "“unknown”不是有效的类别"),
        ({"origin": "whim"}, "origin", "“whim”不是有效的来源"),
        ({"date_from": "2020-13-01"}, "date_from", "请输入有效的日期，格式为 YYYY-MM-DD"),
        ({"enterprise": "x"}, "enterprise", "请输入有效的企业编号"),
        ({"date_from": "2020-06-01", "date_to": "2020-05-01"}, "date_to", "早于起始日期"),
    ],
)
def test_a_bad_filter_value_is_refused_naming_the_field_in_chinese(
    justice_user, params, field, message
):
    # when a filter value is malformed
    response = client_for(justice_user).get("/api/actions/", params)

    # then the answer is 400 and names the field with a Chinese explanation
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [field]
    assert message in body[field][0]


def test_action_detail_shows_items_with_legal_basis_and_officers_with_badges(
    dept_admin, department, enterprise
):
    # given an action citing one of the department's items, by one of its officers
    item = InspectionItemFactory(
        department=department, code="YJ-001", name="安全生产责任制落实情况", article="第二十一条"
    )
    officer = InspectorFactory(department=department, name="李明", badge_no="44030900012345")
    action = EnforcementActionFactory(
        department=department, enterprise=enterprise, summary="未发现问题"
    )
    action.items.set([item])
    action.officers.set([officer])

    # when the department opens it
    response = client_for(dept_admin).get(f"/api/actions/{action.pk}/")

    # then the items carry code, name and legal basis, and the officers their badge numbers
    assert response.status_code == 200
    body = response.json()
    assert body["items"] == [
        {
            "id": item.pk,
            "code": "YJ-001",
            "name": "安全生产责任制落实情况",
            "legal_basis": "《中华人民共和国安全生产法》第二十一条",
        }
    ]
    assert body["officers"] == [{"id": officer.pk, "name": "李明", "badge_no": "44030900012345"}]
    assert body["kind_display"] == "行政检查"
    assert body["enterprise_credit_code"] == enterprise.credit_code
    assert body["summary"] == "未发现问题"


def test_action_list_reads_in_a_constant_number_of_queries(
    justice_user, department, django_assert_max_num_queries
):
    # given many actions
    EnforcementActionFactory.create_batch(12, department=department)
    client = client_for(justice_user)

    # when the list is read, then the query count does not grow with the rows (count + page)
    with django_assert_max_num_queries(3):
        assert len(ids(client.get("/api/actions/"))) == 12


def test_anonymous_callers_are_refused():
    response = APIClient().get("/api/actions/")

    assert response.status_code in (401, 403)
