"""/api/departments/, /api/streets/, /api/parks/, /api/risk-tags/ and the scoped /api/inspectors/."""

import pytest
from rest_framework.test import APIClient

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.registry.choices import Level
from wurao.registry.tests.factories import (
    CommunityFactory,
    DepartmentFactory,
    EnterpriseFactory,
    InspectorFactory,
    ParkFactory,
    RiskTagFactory,
    StreetFactory,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_departments_list_enforcement_bodies_and_visiting_organisations(
    enterprise_user, department
):
    # given an enforcement department and a union that only visits
    union = DepartmentFactory(name="区总工会", is_enforcement=False, level=Level.DISTRICT)
    client = client_for(enterprise_user)

    # when anyone lists departments, with and without enforcement_only
    everyone = {d["name"]: d for d in results(client.get("/api/departments/"))}
    enforcing = results(client.get("/api/departments/", {"enforcement_only": "true"}))

    # then the union appears only in the full list, and levels read in Chinese
    assert set(everyone) == {"区应急管理局", "区总工会"}
    assert everyone["区总工会"]["is_enforcement"] is False
    assert everyone["区应急管理局"]["level_display"] == "区级"
    assert [d["id"] for d in enforcing] == [department.pk]
    assert union.pk not in {d["id"] for d in enforcing}


def test_streets_list_their_communities_and_enterprise_counts(street_user, street, enterprise):
    # given a street with two communities and one enterprise
    CommunityFactory(street=street, code="440309005001", name="新田社区")
    CommunityFactory(street=street, code="440309005002", name="茜坑社区")

    # when the streets are listed
    rows = results(client_for(street_user).get("/api/streets/"))

    # then the street carries its communities and how many enterprises it has
    assert rows == [
        {
            "id": street.pk,
            "code": "440309005",
            "name": "福城街道",
            "enterprise_count": 1,
            "communities": [
                {"id": rows[0]["communities"][0]["id"], "code": "440309005001", "name": "新田社区"},
                {"id": rows[0]["communities"][1]["id"], "code": "440309005002", "name": "茜坑社区"},
            ],
        }
    ]


def test_parks_and_risk_tags_are_listed(justice_user, street):
    park = ParkFactory(street=street, name="福城智造产业园")
    RiskTagFactory(code="hazchem", name="危化品")
    client = client_for(justice_user)

    parks = results(client.get("/api/parks/"))
    tags = results(client.get("/api/risk-tags/"))

    assert parks == [
        {
            "id": park.pk,
            "code": park.code,
            "name": "福城智造产业园",
            "street": street.pk,
            "street_name": "福城街道",
        }
    ]
    assert [(t["code"], t["name"]) for t in tags] == [("hazchem", "危化品")]


@pytest.fixture
def inspectors(department, street):
    """One inspector of our department, one of a street-level office in our street, one elsewhere."""
    street_office = DepartmentFactory(name="福城街道综合执法队", level=Level.STREET, street=street)
    return {
        "ours": InspectorFactory(department=department, name="李明"),
        "street_office": InspectorFactory(department=street_office, name="王芳"),
        "elsewhere": InspectorFactory(department=DepartmentFactory(), name="张伟"),
    }


def test_inspectors_are_scoped_by_role(justice_user, dept_admin, street_user, inspectors):
    def names(user) -> set[str]:
        return {i["name"] for i in results(client_for(user).get("/api/inspectors/"))}

    # then the justice bureau sees all, a department its own, a street its offices'
    assert names(justice_user) == {"李明", "王芳", "张伟"}
    assert names(dept_admin) == {"李明"}
    assert names(street_user) == {"王芳"}


def test_an_enterprise_is_refused_the_inspector_list_as_on_the_page(enterprise_user, inspectors):
    # when an enterprise asks for the list (the page is a 403 for it)
    response = client_for(enterprise_user).get("/api/inspectors/")

    # then the API refuses it too, saying why, rather than answering an empty list
    assert response.status_code == 403
    assert response.json() == {
        "detail": "执法人员名单仅供政府部门查看；企业可在入企码核验页核对执法人员"
    }


def test_an_inspector_sees_the_colleagues_of_its_own_department(department, inspectors):
    inspector_user = UserFactory(role=Role.INSPECTOR, department=department)

    rows = results(client_for(inspector_user).get("/api/inspectors/", {"q": "李"}))

    assert [(r["name"], r["department_name"]) for r in rows] == [("李明", "区应急管理局")]


def test_inspectors_refuse_a_bad_department_filter(justice_user):
    response = client_for(justice_user).get("/api/inspectors/", {"department": "-3"})

    assert response.status_code == 400
    assert response.json() == {"department": ["请输入有效的部门编号（正整数），如 1"]}


def test_a_bad_boolean_is_refused_in_chinese(justice_user):
    response = client_for(justice_user).get("/api/departments/", {"enforcement_only": "perhaps"})

    assert response.status_code == 400
    assert response.json() == {"enforcement_only": ["enforcement_only 只能是 true 或 false"]}


def test_lists_are_paginated(justice_user):
    # given more streets than fit on one page
    StreetFactory.create_batch(51)
    client = client_for(justice_user)

    # when reading the first and second page
    first = client.get("/api/streets/").json()
    second = client.get("/api/streets/", {"page": 2}).json()

    # then the count is the total and the rest is on page two
    assert first["count"] == 51
    assert len(first["results"]) == 50
    assert first["next"].endswith("/api/streets/?page=2")
    assert len(second["results"]) == 1


def test_enterprise_count_counts_only_that_street(justice_user, street):
    other = StreetFactory(name="观澜街道")
    EnterpriseFactory.create_batch(2, street=other)

    counts = {
        s["name"]: s["enterprise_count"]
        for s in results(client_for(justice_user).get("/api/streets/"))
    }

    assert counts == {"福城街道": 0, "观澜街道": 2}
