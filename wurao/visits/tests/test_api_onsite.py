"""/api/visits/<code>/... on site (apis_onsite.py): check in and out, officers for a confirmed
joint visit, results, cancel; every write retried with its client id is done once."""

import uuid

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.enforcement.models import EnforcementAction
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory
from wurao.visits.choices import VisitStatus
from wurao.visits.tests.factories import VisitFactory
from wurao.visits.tests.support import client_for, token_client

pytestmark = pytest.mark.django_db


# Check in, check out, results, cancel ------------------------------------------------------


@pytest.fixture
def today_visit(department, enterprise, officers, item):
    return VisitFactory(
        enterprise=enterprise,
        department=department,
        date=timezone.localdate(),
        status=VisitStatus.REGISTERED,
        officers=officers,
        items=[item],
    )


def test_check_in_by_credit_code_and_a_retry_is_answered_once(today_visit, inspector, enterprise):
    client = token_client(inspector)
    body = {
        "client_id": str(uuid.uuid4()),
        "method": "credit_code",
        "scanned": enterprise.credit_code.lower(),
    }

    first = client.post(f"/api/visits/{today_visit.code}/check-in/", body, format="json")
    retry = client.post(f"/api/visits/{today_visit.code}/check-in/", body, format="json")

    assert first.status_code == 200
    assert first.json()["status"] == "in_progress"
    assert first.json()["check_in_method"] == "credit_code"
    assert first.json()["checked_in_at"]
    # the retry gets the first answer, and the check-in happened once
    assert retry.status_code == 200
    assert retry.json() == first.json()
    assert AuditEvent.objects.filter(verb="visit.check_in").count() == 1


def test_a_department_names_its_officers_for_a_confirmed_joint_visit_then_checks_in(
    department, enterprise, officers, inspector
):
    # given a joint visit today as the street confirmed it: no officers, no approval
    joint = VisitFactory(
        enterprise=enterprise,
        department=department,
        date=timezone.localdate(),
        status=VisitStatus.REGISTERED,
        origin="joint",
        officers=[],
        approver="",
        approval_ref="",
        approved_on=None,
    )
    client = token_client(inspector)
    check_in = {"client_id": str(uuid.uuid4()), "method": "scan", "scanned": enterprise.credit_code}

    # check-in waits for the officers and the approval
    refused = client.post(f"/api/visits/{joint.code}/check-in/", check_in, format="json")
    assert refused.status_code == 400
    assert "签到前须备齐" in refused.json()["non_field_errors"][0]

    # an unknown badge and a missing approval are named by field
    bad = client.post(
        f"/api/visits/{joint.code}/officers/",
        {"client_id": str(uuid.uuid4()), "officers": ["00000000000"]},
        format="json",
    )
    assert bad.status_code == 400 and "不在执法人员库中" in bad.json()["officers"][0]

    # the department names its two officers with the approval: a retry is answered once
    body = {
        "client_id": str(uuid.uuid4()),
        "officers": [o.badge_no for o in officers],
        "approver": "张科长",
        "approval_ref": "龙应急审〔2026〕40号",
        "approved_on": timezone.localdate().isoformat(),
    }
    first = client.post(f"/api/visits/{joint.code}/officers/", body, format="json")
    retry = client.post(f"/api/visits/{joint.code}/officers/", body, format="json")
    assert first.status_code == 200 and retry.json() == first.json()
    assert {o["badge_no"] for o in first.json()["officers"]} == {o.badge_no for o in officers}
    assert AuditEvent.objects.filter(verb="visit.staff").count() == 1

    # and now the check-in goes through
    check_in["client_id"] = str(uuid.uuid4())
    done = client.post(f"/api/visits/{joint.code}/check-in/", check_in, format="json")
    assert done.status_code == 200 and done.json()["status"] == "in_progress"


def test_a_client_id_reused_on_another_body_is_refused_not_silently_dropped(
    today_visit, inspector, enterprise
):
    # given a cancellation sent by the mobile client, and retried with the same body
    client = token_client(inspector)
    url = f"/api/visits/{today_visit.code}/cancel/"
    body = {"client_id": str(uuid.uuid4()), "reason": "企业停产"}
    first = client.post(url, body, format="json")
    retry = client.post(url, {"reason": "企业停产", "client_id": body["client_id"]}, format="json")

    # when the same client id comes with another body
    other = client.post(url, {**body, "reason": "天气原因"}, format="json")

    # then the retry (keys in any order) gets the first answer, the other body a 409
    assert first.status_code == 200 and retry.json() == first.json()
    assert other.status_code == 409 and "内容不同" in other.json()["detail"]
    today_visit.refresh_from_db()
    assert today_visit.cancel_reason == "企业停产"
    assert AuditEvent.objects.filter(verb="visit.cancel").count() == 1


def test_a_body_that_is_not_json_is_explained_in_chinese(today_visit, inspector):
    response = token_client(inspector).post(
        f"/api/visits/{today_visit.code}/check-in/",
        "{client_id: 1,",
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "请求体不是有效的 JSON" in response.json()["detail"]


def test_check_in_at_the_wrong_enterprise_is_refused(today_visit, inspector, street):
    neighbour = EnterpriseFactory(street=street)
    body = {"client_id": str(uuid.uuid4()), "method": "scan", "scanned": neighbour.credit_code}

    response = client_for(inspector).post(
        f"/api/visits/{today_visit.code}/check-in/", body, format="json"
    )

    assert response.status_code == 400
    assert neighbour.credit_code in response.json()["scanned"][0]
    today_visit.refresh_from_db()
    assert today_visit.status == VisitStatus.REGISTERED


def test_a_client_id_reused_for_another_action_is_a_conflict(today_visit, inspector, enterprise):
    client = client_for(inspector)
    client_id = str(uuid.uuid4())
    client.post(
        f"/api/visits/{today_visit.code}/check-in/",
        {"client_id": client_id, "method": "scan", "scanned": enterprise.credit_code},
        format="json",
    )

    response = client.post(
        f"/api/visits/{today_visit.code}/check-out/", {"client_id": client_id}, format="json"
    )

    assert response.status_code == 409
    assert "签到" in response.json()["detail"]
    today_visit.refresh_from_db()
    assert today_visit.status == VisitStatus.IN_PROGRESS


def test_results_become_an_action_linked_to_the_visit(today_visit, inspector, enterprise, item):
    # given the inspectors checked in
    client = client_for(inspector)
    client.post(
        f"/api/visits/{today_visit.code}/check-in/",
        {"client_id": str(uuid.uuid4()), "method": "scan", "scanned": enterprise.credit_code},
        format="json",
    )
    body = {
        "client_id": str(uuid.uuid4()),
        "kind": "inspection",
        "finding": "clean",
        "summary": "未发现问题",
    }

    # when the results are sent (twice: the network dropped the answer)
    first = client.post(f"/api/visits/{today_visit.code}/results/", body, format="json")
    retry = client.post(f"/api/visits/{today_visit.code}/results/", body, format="json")

    # then there is one enforcement action, on the visit, with the visit's items and officers
    assert first.status_code == 201
    assert retry.json() == first.json()
    action = EnforcementAction.objects.get()
    assert action.visit == today_visit
    assert first.json()["id"] == action.pk
    assert first.json()["items"] == ["YJ-001"]
    assert len(first.json()["officers"]) == 2
    detail = client.get(f"/api/visits/{today_visit.code}/").json()
    assert detail["actions"] == [action.pk]


def test_results_with_an_unknown_item_are_named(today_visit, inspector):
    body = {"client_id": str(uuid.uuid4()), "kind": "inspection", "items": ["NO-SUCH-ITEM"]}

    response = client_for(inspector).post(
        f"/api/visits/{today_visit.code}/results/", body, format="json"
    )

    assert response.status_code == 400
    assert "NO-SUCH-ITEM" in response.json()["items"][0]


def test_results_before_check_in_are_refused(today_visit, inspector):
    body = {"client_id": str(uuid.uuid4()), "kind": "inspection"}

    response = client_for(inspector).post(
        f"/api/visits/{today_visit.code}/results/", body, format="json"
    )

    assert response.status_code == 400
    assert "签到后" in response.json()["non_field_errors"][0]
    assert not EnforcementAction.objects.exists()


def test_check_out_after_check_in_completes_the_visit(today_visit, inspector, enterprise):
    client = client_for(inspector)
    client.post(
        f"/api/visits/{today_visit.code}/check-in/",
        {"client_id": str(uuid.uuid4()), "method": "scan", "scanned": enterprise.credit_code},
        format="json",
    )

    response = client.post(
        f"/api/visits/{today_visit.code}/check-out/",
        {"client_id": str(uuid.uuid4())},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["status"] == "completed"
    assert response.json()["checked_out_at"]


def test_cancel_needs_a_reason_and_ends_the_code(today_visit, inspector):
    client = client_for(inspector)
    url = f"/api/visits/{today_visit.code}/cancel/"

    missing = client.post(url, {"client_id": str(uuid.uuid4()), "reason": ""}, format="json")
    done = client.post(
        url, {"client_id": str(uuid.uuid4()), "reason": "企业临时停产"}, format="json"
    )

    assert missing.status_code == 400
    assert missing.json()["reason"] == ["请说明撤销理由"]
    assert done.status_code == 200
    assert done.json()["status"] == "cancelled"
    assert APIClient().get(f"/api/public/visits/{today_visit.code}/").json()["state"] == "cancelled"


def test_another_department_cannot_check_in_to_our_visit(today_visit, enterprise):
    stranger = UserFactory(role=Role.INSPECTOR, department=DepartmentFactory())
    body = {"client_id": str(uuid.uuid4()), "method": "scan", "scanned": enterprise.credit_code}

    response = client_for(stranger).post(
        f"/api/visits/{today_visit.code}/check-in/", body, format="json"
    )

    assert response.status_code == 404
