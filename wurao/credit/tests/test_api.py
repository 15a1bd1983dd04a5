"""/api/credit/: an enterprise's grade explained and the grade changes, seen as on the pages."""

import datetime

import pytest
from rest_framework.test import APIClient

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.credit.services_grading import grades_recompute
from wurao.enforcement.choices import ActionKind, Finding
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.tests.factories import EnterpriseFactory, StreetFactory

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 11, 27)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def graded(enterprise, department, justice_user):
    """A risky enterprise (two serious penalties, a coercive measure), a clean one elsewhere."""
    clean = EnterpriseFactory(street=StreetFactory(name="观澜街道"))
    for day in (datetime.date(2026, 3, 2), datetime.date(2026, 6, 9)):
        EnforcementActionFactory(
            enterprise=enterprise,
            department=department,
            kind=ActionKind.PENALTY,
            severity=3,
            date=day,
        )
    EnforcementActionFactory(
        enterprise=enterprise, department=department, kind=ActionKind.COERCIVE, date=AS_OF
    )
    EnforcementActionFactory(
        enterprise=clean,
        department=department,
        kind=ActionKind.INSPECTION,
        finding=Finding.CLEAN,
        date=AS_OF,
    )
    grades_recompute(actor=justice_user, as_of=AS_OF)
    return enterprise, clean


def test_a_department_reads_any_enterprise_s_grade_with_its_breakdown(graded, dept_admin):
    # given two graded enterprises
    risky, clean = graded

    # when a department reads the risky one's grade
    response = client_for(dept_admin).get(f"/api/credit/enterprises/{risky.pk}/grade/")

    # then it gets the grade, the table version, the effects and rows adding up to the score
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["grade"] in {"B", "C", "D"} and body["table_version"] == 1
    assert body["as_of"] == "2026-11-27"
    assert body["effects"]["sampling_weight"] > 0
    assert any("行政处罚" in row["reason"] for row in body["rows"])
    assert {"date", "indicator", "points", "reason"} <= set(body["rows"][0])
    assert (
        client_for(dept_admin).get(f"/api/credit/enterprises/{clean.pk}/grade/").json()["grade"]
        < body["grade"]
    )


def test_an_enterprise_reads_only_its_own_grade(graded, enterprise_user):
    # given an enterprise user and another enterprise
    own, other = graded
    client = client_for(enterprise_user)

    # when it reads its own grade and the other's
    mine = client.get(f"/api/credit/enterprises/{own.pk}/grade/")
    theirs = client.get(f"/api/credit/enterprises/{other.pk}/grade/")

    # then the other's is "not found"
    assert mine.status_code == 200
    assert theirs.status_code == 404


def test_a_street_reads_grades_in_its_area_only(graded, street_user):
    inside, outside = graded
    client = client_for(street_user)

    assert client.get(f"/api/credit/enterprises/{inside.pk}/grade/").status_code == 200
    assert client.get(f"/api/credit/enterprises/{outside.pk}/grade/").status_code == 404
    changes = client.get("/api/credit/changes/").json()["results"]
    assert {row["enterprise"] for row in changes} == {inside.pk}


def test_a_user_without_an_anchor_sees_nothing(graded):
    risky, _ = graded
    user = UserFactory(role=Role.INSPECTOR, department=None)

    assert client_for(user).get(f"/api/credit/enterprises/{risky.pk}/grade/").status_code == 404


def test_grade_changes_filter_by_grade_and_date(graded, dept_admin):
    risky, clean = graded
    client = client_for(dept_admin)
    risky_grade = client.get(f"/api/credit/enterprises/{risky.pk}/grade/").json()["grade"]

    everything = client.get("/api/credit/changes/").json()["results"]
    by_grade = client.get("/api/credit/changes/", {"grade": risky_grade}).json()["results"]
    other_day = client.get("/api/credit/changes/", {"as_of": "2026-11-26"}).json()["results"]

    assert {row["enterprise"] for row in everything} == {risky.pk, clean.pk}
    assert [row["enterprise"] for row in by_grade] == [risky.pk]
    assert by_grade[0]["previous_grade"] == "" and by_grade[0]["reasons"]
    assert other_day == []


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [({"grade": "E"}, "grade", "等级"), ({"as_of": "2026/11/27"}, "as_of", "YYYY-MM-DD")],
)
def test_a_bad_filter_is_answered_in_chinese(dept_admin, params, field, words):
    response = client_for(dept_admin).get("/api/credit/changes/", params)

    assert response.status_code == 400
    assert words in response.json()[field][0]
