"""/api/enterprises/<pk>/timeline/: the enterprise's file over the API, scoped like the page."""

import pytest
from rest_framework.test import APIClient

from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, StreetFactory
from wurao.visits.tests.factories import NonEnforcementVisitFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_enterprise_reads_its_own_timeline_of_enforcement_and_other_visits(
    enterprise_user, enterprise
):
    # given an inspection and a union visit on the user's enterprise
    action = EnforcementActionFactory(enterprise=enterprise)
    visit = NonEnforcementVisitFactory(enterprise=enterprise, note="工会走访慰问")

    # when it reads its timeline
    response = client_for(enterprise_user).get(f"/api/enterprises/{enterprise.pk}/timeline/")

    # then both appear, each marked enforcement or not
    assert response.status_code == 200
    rows = {(r["is_enforcement"], r["record_id"]) for r in response.json()["results"]}
    assert rows == {(True, action.pk), (False, visit.pk)}
    assert response.json()["count"] == 2


def test_a_department_reads_only_its_own_records_in_an_enterprise_timeline(
    dept_admin, department, enterprise
):
    # given two departments' actions on one enterprise
    ours = EnforcementActionFactory(enterprise=enterprise, department=department)
    EnforcementActionFactory(enterprise=enterprise, department=DepartmentFactory())

    # when our department reads the timeline
    response = client_for(dept_admin).get(f"/api/enterprises/{enterprise.pk}/timeline/")

    # then only its own action is there
    assert [r["record_id"] for r in response.json()["results"]] == [ours.pk]


def test_an_enterprise_cannot_read_a_neighbours_timeline(enterprise_user, enterprise):
    # given a neighbouring enterprise with a record on file
    neighbour = EnterpriseFactory(street=StreetFactory(name="观澜街道"))
    EnforcementActionFactory(enterprise=neighbour)

    # when the enterprise user asks for the neighbour's timeline
    response = client_for(enterprise_user).get(f"/api/enterprises/{neighbour.pk}/timeline/")

    # then the neighbour does not exist as far as it can tell
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该企业，或您无权查看"}


def test_anonymous_callers_cannot_read_a_timeline(enterprise):
    response = APIClient().get(f"/api/enterprises/{enterprise.pk}/timeline/")

    assert response.status_code in (401, 403)
