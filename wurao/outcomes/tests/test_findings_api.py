"""The rectification API: lists and details scoped (a department never sees another's, an
enterprise only its own), the enterprise's report, the department's closure, and every id a
body names checked against the rectification (400 naming the field)."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from wurao.enforcement.choices import Origin
from wurao.outcomes.choices import RectificationStatus, Topic
from wurao.outcomes.tests.test_findings_support import inspection, officer, rectified
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _ids(answer) -> set[int]:
    body = answer.json()
    rows = body["results"] if isinstance(body, dict) else body
    return {r["id"] for r in rows}


def test_the_list_is_scoped_and_filters_overdue(department, enterprise, enterprise_user):
    today = timezone.localdate()
    _, late = rectified(department, enterprise, day=today - 20 * DAY, deadline=today - DAY)
    _, on_time = rectified(department, enterprise, topic=Topic.HEALTH)
    _, theirs = rectified(DepartmentFactory(), EnterpriseFactory())

    mine = _api(officer(department))
    assert _ids(mine.get("/api/rectifications/")) == {late.pk, on_time.pk}
    assert _ids(mine.get("/api/rectifications/", {"overdue": "true"})) == {late.pk}
    assert _ids(mine.get("/api/rectifications/", {"topic": "health"})) == {on_time.pk}
    assert mine.get(f"/api/rectifications/{theirs.pk}/").status_code == 404
    assert _ids(_api(enterprise_user).get("/api/rectifications/")) == {late.pk, on_time.pk}
    answer = mine.get("/api/rectifications/", {"status": "nope"})
    assert answer.status_code == 400 and "状态" in answer.json()["status"][0]
    detail = mine.get(f"/api/rectifications/{late.pk}/").json()
    assert detail["overdue"] is True and detail["reports"] == []


def test_the_enterprise_reports_and_the_department_closes_through_the_api(
    department, enterprise, enterprise_user
):
    user = officer(department)
    _, rectification = rectified(department, enterprise, user)
    url = f"/api/rectifications/{rectification.pk}/"

    # an officer cannot report for the enterprise; the enterprise must write something
    assert _api(user).post(url + "report/", {"text": "代报"}, format="json").status_code == 403
    client = _api(enterprise_user)
    answer = client.post(url + "report/", {"text": ""}, format="json")
    assert answer.status_code == 400 and "整改情况" in answer.json()["text"][0]
    answer = client.post(url + "report/", {"text": "已整改"}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == RectificationStatus.REPORTED

    # the enterprise cannot close it; the department closes by a documentary check
    close = {"how": "documentary", "note": "材料齐全"}
    assert client.post(url + "close/", close, format="json").status_code == 403
    answer = _api(user).post(url + "close/", close, format="json")
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["closed_how"]) == ("closed", "documentary")


def test_a_recheck_naming_another_departments_or_a_plain_inspection_is_refused_by_name(
    department, enterprise
):
    user = officer(department)
    today = timezone.localdate()
    _, rectification = rectified(department, enterprise, user, day=today - 5 * DAY)
    url = f"/api/rectifications/{rectification.pk}/close/"
    theirs = inspection(DepartmentFactory(), enterprise, items=1, day=today, origin=Origin.RECHECK)
    plain = inspection(department, enterprise, items=1, day=today)
    for action in (theirs, plain):
        answer = _api(user).post(url, {"how": "recheck", "action": action.pk}, format="json")
        assert answer.status_code == 400
        assert "整改复查" in answer.json()["action"][0]
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.ORDERED

    # its own re-check, not passed, needs a later deadline; passed, it closes
    own = inspection(department, enterprise, items=1, day=today, origin=Origin.RECHECK)
    answer = _api(user).post(
        url, {"how": "recheck", "action": own.pk, "passed": False, "note": "仍堵塞"}, format="json"
    )
    assert answer.status_code == 400 and "new_deadline" in answer.json()
    answer = _api(user).post(url, {"how": "recheck", "action": own.pk}, format="json")
    assert answer.status_code == 200 and answer.json()["recheck"] == own.pk


def test_an_actions_checks_are_read_in_scope(department, enterprise, enterprise_user):
    action, rectification = rectified(department, enterprise)
    answer = _api(enterprise_user).get(f"/api/actions/{action.pk}/checks/")
    assert answer.status_code == 200
    (check,) = answer.json()
    assert (check["result"], check["rectification"]) == ("finding", rectification.pk)
    other = _api(officer(DepartmentFactory())).get(f"/api/actions/{action.pk}/checks/")
    assert other.status_code == 404
