"""/api/visits/ reads (apis.py): each role lists the visits in its scope, filters named in
Chinese, a visit's detail, another department's visit not found."""

import datetime

import pytest

from wurao.enforcement.models import EnforcementAction
from wurao.registry.tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    InspectorFactory,
    StreetFactory,
)
from wurao.visits.tests.factories import NonEnforcementVisitFactory, VisitFactory
from wurao.visits.tests.support import client_for

pytestmark = pytest.mark.django_db


# Reading -----------------------------------------------------------------------------------


@pytest.fixture
def scene(department, street, enterprise):
    """Our department's visit, a joint visit we joined, another department's visit elsewhere,
    and a non-enforcement visit on our enterprise."""
    other = DepartmentFactory(name="区市场监管局", code="SJ")
    elsewhere = EnterpriseFactory(street=StreetFactory())
    return {
        "ours": VisitFactory(enterprise=enterprise, department=department),
        "joint": VisitFactory(
            enterprise=elsewhere, department=other, departments=[other, department]
        ),
        "theirs": VisitFactory(enterprise=elsewhere, department=other),
        "union": NonEnforcementVisitFactory(enterprise=enterprise),
    }


def _codes(response) -> set[str]:
    assert response.status_code == 200
    return {row["code"] for row in response.json()["results"]}


def test_each_role_lists_the_visits_in_its_scope(
    scene, inspector, street_user, enterprise_user, justice_user
):
    assert _codes(client_for(inspector).get("/api/visits/")) == {
        scene["ours"].code,
        scene["joint"].code,
    }
    assert _codes(client_for(street_user).get("/api/visits/")) == {
        scene["ours"].code,
        scene["union"].code,
    }
    assert _codes(client_for(enterprise_user).get("/api/visits/")) == {
        scene["ours"].code,
        scene["union"].code,
    }
    assert _codes(client_for(justice_user).get("/api/visits/")) == {v.code for v in scene.values()}


def test_non_enforcement_visits_are_listed_by_kind(scene, justice_user):
    # (the former GET /api/other-visits/)
    response = client_for(justice_user).get("/api/visits/", {"kind": "non_enforcement"})

    assert _codes(response) == {scene["union"].code}
    assert response.json()["results"][0]["purpose_display"] == "工会"


def test_the_list_filters_by_enterprise_status_and_dates(scene, justice_user, enterprise):
    client = client_for(justice_user)

    assert _codes(
        client.get("/api/visits/", {"enterprise": enterprise.pk, "kind": "inspection"})
    ) == {scene["ours"].code}
    assert _codes(client.get("/api/visits/", {"status": "registered"})) == set()
    assert _codes(client.get("/api/visits/", {"date_from": "2020-06-02"})) == set()
    assert len(_codes(client.get("/api/visits/", {"year": 2020, "date_to": "2020-06-01"}))) == 4


def test_a_bad_filter_is_named_in_chinese(justice_user):
    response = client_for(justice_user).get("/api/visits/", {"status": "done", "year": "二〇二〇"})

    assert response.status_code == 400
    assert "不是有效的状态" in response.json()["status"][0]
    assert response.json()["year"] == ["请输入有效的年份，如 2020"]


def _action_on(visit) -> EnforcementAction:
    """An inspection recorded on the visit by its lead department."""
    return EnforcementAction.objects.create(
        enterprise=visit.enterprise,
        department=visit.department,
        department_level=visit.department.level,
        date=visit.date,
        kind="inspection",
        origin="plan",
        visit=visit,
    )


def test_the_detail_shows_officers_items_approval_and_actions(
    department, enterprise, inspector, item
):
    # given a completed visit with its officers, items and an action recorded on it
    officer = InspectorFactory(
        department=department, certificate_valid_until=datetime.date(2020, 3, 1)
    )
    visit = VisitFactory(
        enterprise=enterprise, department=department, officers=[officer], items=[item]
    )
    action = _action_on(visit)

    # when the inspector opens it by its code, typed with a dash and in lower case
    response = client_for(inspector).get(f"/api/visits/{visit.code_display.lower()}/")

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == visit.code
    assert body["officers"][0]["badge_no"] == officer.badge_no
    assert body["officers"][0]["certificate_valid"] is False  # expired before the visit
    assert body["items"][0]["legal_basis"] == "《中华人民共和国安全生产法》第六十五条"
    assert body["approver"] == "王局长"
    assert body["actions"] == [action.pk]


def test_another_departments_visit_is_not_found(scene, inspector):
    response = client_for(inspector).get(f"/api/visits/{scene['theirs'].code}/")

    assert response.status_code == 404
    assert response.json()["detail"] == "未找到该入企登记，或您无权查看"
