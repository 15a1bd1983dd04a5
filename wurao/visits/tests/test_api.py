"""/api/visits/ for the inspectors' mobile client and /api/public/visits/<code>/ for anyone:
register, check in and out, record results, cancel; every write retried with its client id
is done once; refusals name the rule; unknown codes are named; reads are scoped."""

import datetime
import threading
import time
import uuid

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from wurao.accounts.choices import Role
from wurao.accounts.services import user_token_obtain
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.common.credit_code import credit_code_complete
from wurao.enforcement.models import EnforcementAction
from wurao.registry.models import Enterprise
from wurao.registry.tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    InspectorFactory,
    StreetFactory,
)
from wurao.visits.choices import VisitStatus
from wurao.visits.models import ClientRequest, Visit, VisitRefusal
from wurao.visits.tests.factories import NonEnforcementVisitFactory, VisitFactory

pytestmark = pytest.mark.django_db

VALID_UNTIL = datetime.date(2099, 12, 31)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def token_client(user) -> APIClient:
    """As the mobile client signs in: with the API token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {user_token_obtain(user=user)}")
    return client


@pytest.fixture
def inspector(department):
    return UserFactory(username="yj_zhang", role=Role.INSPECTOR, department=department)


@pytest.fixture
def officers(department):
    return InspectorFactory.create_batch(
        2, department=department, certificate_valid_until=VALID_UNTIL
    )


@pytest.fixture
def item(department):
    return InspectionItemFactory(department=department, code="YJ-001", name="安全生产责任制落实")


def _body(enterprise, officers, items, **extra) -> dict:
    today = timezone.localdate().isoformat()
    return {
        "client_id": str(uuid.uuid4()),
        "enterprise": enterprise.credit_code,
        "kind": "inspection",
        "origin": "plan",
        "date": today,
        "officers": [o.badge_no for o in officers],
        "items": [i.code for i in items],
        "approver": "张科长",
        "approval_ref": "龙应急审〔2026〕12号",
        "approved_on": today,
        **extra,
    }


def _two_visits_this_year(enterprise, department):
    """The ungraded enterprise's yearly cap for one department (2) reached."""
    year = timezone.localdate().year
    for day in (datetime.date(year, 1, 2), datetime.date(year, 1, 3)):
        VisitFactory(enterprise=enterprise, department=department, date=day)


# Registration ------------------------------------------------------------------------------


def test_an_inspector_registers_a_visit_and_gets_its_code(inspector, enterprise, officers, item):
    # given an inspector signed in with the API token on the phone
    client = token_client(inspector)

    # when the visit is registered
    response = client.post("/api/visits/", _body(enterprise, officers, [item]), format="json")

    # then it has a code, a verification address and everything the enterprise will check
    assert response.status_code == 201
    body = response.json()
    visit = Visit.objects.get()
    assert body["code"] == visit.code
    assert body["status"] == "registered"
    assert body["verify_url"].endswith(f"/v/{visit.code}/")
    assert body["credit_code"] == enterprise.credit_code
    assert body["department_name"] == "区应急管理局"
    assert [d["name"] for d in body["departments"]] == ["区应急管理局"]
    assert {o["badge_no"] for o in body["officers"]} == {o.badge_no for o in officers}
    assert all(o["certificate_valid"] for o in body["officers"])
    assert body["items"] == [
        {
            "code": "YJ-001",
            "name": "安全生产责任制落实",
            "legal_basis": "《中华人民共和国安全生产法》第六十五条",
            "department_name": "区应急管理局",
        }
    ]
    assert body["approval_ref"] == "龙应急审〔2026〕12号"
    assert body["actions"] == []
    assert visit.registered_by == inspector


def test_a_retried_registration_returns_the_first_visit_and_creates_no_second(
    inspector, enterprise, officers, item
):
    # given a registration whose answer was lost on a bad network
    client = token_client(inspector)
    body = _body(enterprise, officers, [item])
    first = client.post("/api/visits/", body, format="json")

    # when the phone sends it again with the same client id
    retry = client.post("/api/visits/", body, format="json")

    # then it gets the same visit back, and there is still one visit and one audit event
    assert first.status_code == 201
    assert retry.status_code == 200
    assert retry.json()["code"] == first.json()["code"]
    assert retry.json()["officers"] == first.json()["officers"]
    assert Visit.objects.count() == 1
    assert AuditEvent.objects.filter(verb="visit.register").count() == 1


def test_a_registration_that_breaks_a_rule_is_refused_naming_the_rule(
    inspector, department, enterprise, officers, item
):
    # given the department has already inspected the enterprise twice this year
    _two_visits_this_year(enterprise, department)
    client = client_for(inspector)
    body = _body(enterprise, officers, [item])

    # when a third routine inspection is registered, and the phone retries
    response = client.post("/api/visits/", body, format="json")
    retry = client.post("/api/visits/", body, format="json")

    # then it is refused with the rule named and the origins that would be allowed
    assert response.status_code == 409
    refused = response.json()
    assert [v["rule"] for v in refused["violations"]] == ["department_cap"]
    assert refused["violations"][0]["label"] == "本部门年度检查上限"
    assert "本部门年度检查上限" in refused["detail"]
    assert {"origin": "complaint", "label": "投诉举报"} in refused["exempt_origins"]
    # and the retry gets the same answer without counting a second refused attempt
    assert retry.status_code == 409
    assert retry.json() == refused
    assert VisitRefusal.objects.count() == 1
    assert Visit.objects.filter(client_id=body["client_id"]).count() == 0
    # and the refusal, its audit event and the kept answer were written together
    kept = ClientRequest.objects.get(client_id=body["client_id"])
    assert kept.response == refused and kept.status_code == 409
    assert AuditEvent.objects.filter(verb="visit.refuse").count() == 1


def test_the_refusal_answer_is_what_its_documented_serializer_gives(
    inspector, department, enterprise, officers, item
):
    from wurao.visits.apis_serializers import RefusedOutputSerializer

    _two_visits_this_year(enterprise, department)
    body = _body(enterprise, officers, [item])

    refused = client_for(inspector).post("/api/visits/", body, format="json").json()

    assert refused == RefusedOutputSerializer(refused).data
    assert set(refused["violations"][0]) == {"rule", "label", "message", "visits", "joinable"}


def test_a_complaint_is_registered_despite_the_cap(
    inspector, department, enterprise, officers, item
):
    _two_visits_this_year(enterprise, department)

    response = client_for(inspector).post(
        "/api/visits/", _body(enterprise, officers, [item], origin="complaint"), format="json"
    )

    assert response.status_code == 201
    assert response.json()["status"] == "registered"


def test_an_override_reason_registers_the_visit_pending_a_second_approver(
    inspector, department, enterprise, officers, item
):
    _two_visits_this_year(enterprise, department)
    body = _body(enterprise, officers, [item], override_reason="群众反映重大隐患，需立即核查")

    response = client_for(inspector).post("/api/visits/", body, format="json")

    assert response.status_code == 201
    assert response.json()["status"] == "pending_override"
    assert response.json()["override_reason"] == "群众反映重大隐患，需立即核查"
    assert [v["rule"] for v in response.json()["violations"]] == ["department_cap"]


def test_unknown_badges_items_and_credit_code_are_named(inspector, enterprise, officers, item):
    # given a credit code that is well formed but not in the registry
    stranger = credit_code_complete("91440300MA5F00001")
    body = _body(enterprise, officers, [item])
    body |= {
        "enterprise": stranger,
        "officers": [officers[0].badge_no, "44030999999"],
        "items": ["YJ-001", "NO-SUCH-ITEM"],
    }

    response = client_for(inspector).post("/api/visits/", body, format="json")

    assert response.status_code == 400
    errors = response.json()
    assert stranger in errors["enterprise"][0]
    assert "44030999999" in errors["officers"][0]
    assert officers[0].badge_no not in errors["officers"][0]
    assert "NO-SUCH-ITEM" in errors["items"][0]
    assert not Visit.objects.exists()


def test_bad_fields_get_chinese_messages_naming_them(inspector, enterprise, officers, item):
    body = _body(enterprise, officers, [item], kind="visit", date="2026/03/01")
    body["enterprise"] = enterprise.credit_code[:-1] + (
        "0" if enterprise.credit_code[-1] != "0" else "1"
    )
    del body["client_id"]

    errors = client_for(inspector).post("/api/visits/", body, format="json").json()

    assert "校验码" in errors["enterprise"][0]
    assert "入企类别" in errors["kind"][0]
    assert "YYYY-MM-DD" in errors["date"][0]
    assert "client_id" in errors["client_id"][0]


def test_one_request_s_bad_fields_never_carry_over_to_the_next(
    inspector, enterprise, officers, item
):
    # The registration's input fields are copied for each request (see its serializer).
    client = client_for(inspector)
    bad = _body(enterprise, officers, [item], kind="visit")
    bad |= {"items": ["X" * 41], "officers": "44030900001"}

    first = client.post("/api/visits/", bad, format="json")
    good = client.post("/api/visits/", _body(enterprise, officers, [item]), format="json")
    again = client.post("/api/visits/", bad | {"client_id": str(uuid.uuid4())}, format="json")

    assert first.status_code == again.status_code == 400
    assert set(first.json()) == {"kind", "items", "officers"}
    assert first.json() == again.json()
    assert good.status_code == 201


def test_the_service_rules_come_back_as_field_errors(inspector, enterprise, officers, item):
    # given one officer only and no approval
    body = _body(enterprise, officers[:1], [item], approver="", approval_ref="")

    errors = client_for(inspector).post("/api/visits/", body, format="json").json()

    assert "不得少于 2 人" in errors["officers"][0]
    assert "审批" in errors["approver"][0]


def test_registration_queries_do_not_grow_with_officers_and_items(inspector, department, street):
    # given two registrations, one with twice the officers and three times the items
    small = (
        InspectorFactory.create_batch(2, department=department),
        InspectionItemFactory.create_batch(1, department=department),
    )
    large = (
        InspectorFactory.create_batch(4, department=department),
        InspectionItemFactory.create_batch(3, department=department),
    )
    client = token_client(inspector)
    counts = []
    for officers, items in (small, large):
        enterprise = EnterpriseFactory(street=street)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                "/api/visits/", _body(enterprise, officers, items), format="json"
            )
        assert response.status_code == 201
        counts.append(len(queries))

    # then both take the same number of queries
    assert counts[0] == counts[1]


@pytest.mark.parametrize("role", [Role.JUSTICE, Role.STREET, Role.ENTERPRISE])
def test_only_a_departments_people_register_visits(role, street, enterprise, officers, item):
    user = UserFactory(role=role, street=street, enterprise=enterprise)

    response = client_for(user).post(
        "/api/visits/", _body(enterprise, officers, [item]), format="json"
    )

    assert response.status_code == 403
    assert "执法人员或部门管理员" in response.json()["detail"]
    assert not Visit.objects.exists()


def test_nobody_writes_without_signing_in(enterprise, officers, item):
    visit = VisitFactory(
        enterprise=enterprise, date=timezone.localdate(), status=VisitStatus.REGISTERED
    )
    anonymous = APIClient()
    writes = {
        "/api/visits/": _body(enterprise, officers, [item]),
        f"/api/visits/{visit.code}/check-in/": {
            "client_id": str(uuid.uuid4()),
            "method": "scan",
            "scanned": enterprise.credit_code,
        },
        f"/api/visits/{visit.code}/check-out/": {"client_id": str(uuid.uuid4())},
        f"/api/visits/{visit.code}/results/": {
            "client_id": str(uuid.uuid4()),
            "kind": "inspection",
        },
        f"/api/visits/{visit.code}/cancel/": {"client_id": str(uuid.uuid4()), "reason": "企业停产"},
    }

    statuses = {
        url: anonymous.post(url, body, format="json").status_code for url, body in writes.items()
    }

    assert set(statuses.values()) <= {401, 403}
    assert anonymous.get("/api/visits/").status_code in (401, 403)
    assert Visit.objects.count() == 1
    assert Visit.objects.get().status == VisitStatus.REGISTERED


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


# Public verification -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "days_from_today", "state", "may_enter"),
    [
        (VisitStatus.REGISTERED, 0, "valid", True),
        (VisitStatus.REGISTERED, 3, "not_yet", False),
        (VisitStatus.REGISTERED, -3, "expired", False),
        (VisitStatus.IN_PROGRESS, 0, "in_progress", True),
        (VisitStatus.COMPLETED, -3, "completed", False),
        (VisitStatus.CANCELLED, 0, "cancelled", False),
        (VisitStatus.PENDING_OVERRIDE, 0, "pending", False),
        (VisitStatus.REJECTED, 0, "cancelled", False),
    ],
)
def test_anyone_checks_a_visit_code_without_signing_in(
    status, days_from_today, state, may_enter, department, enterprise, officers, item
):
    visit = VisitFactory(
        enterprise=enterprise,
        department=department,
        status=status,
        date=timezone.localdate() + datetime.timedelta(days=days_from_today),
        officers=officers,
        items=[item],
    )

    response = APIClient().get(f"/api/public/visits/{visit.code}/")

    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["may_enter"]) == (state, may_enter)
    assert body["department_name"] == "区应急管理局"
    assert {o["badge_no"] for o in body["officers"]} == {o.badge_no for o in officers}
    assert body["officers"][0]["certificate_valid_until"] == "2099-12-31"
    assert body["items"][0]["legal_basis"] == "《中华人民共和国安全生产法》第六十五条"
    assert body["origin_display"] == "计划检查"
    assert body["approval_ref"] == "审批〔2020〕1号"
    # what only the signed-in department sees stays out
    assert "override_reason" not in body and "note" not in body


def test_an_unknown_code_is_a_plain_answer(db):
    response = APIClient().get("/api/public/visits/ZZZZ-2222/")

    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "unknown"
    assert body["state_display"] == "查无此码"
    assert body["may_enter"] is False
    assert body["code"] == "ZZZZ2222"
    assert body["officers"] == [] and body["department_name"] is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="on SQLite a transaction holds the whole database from its look-up on: no race",
)
@pytest.mark.parametrize("visits_before", [0, 1], ids=["allowed", "then-over-the-cap"])
def test_a_retry_racing_its_first_attempt_gets_the_first_attempt_s_visit(
    inspector, department, enterprise, officers, item, visits_before
):
    # given (with one visit before it, the first attempt reaches the department's cap, so
    # the rules would refuse the retry for it) the first attempt holding the enterprise's
    # lock, not yet committed
    today = timezone.localdate()
    for day in (datetime.date(today.year, 1, 2),)[:visits_before]:
        VisitFactory(enterprise=enterprise, department=department, date=day)
    body = _body(enterprise, officers, [item])
    locked, release, answers = threading.Event(), threading.Event(), []

    def first_attempt():
        with transaction.atomic():
            Enterprise.objects.select_for_update().get(pk=enterprise.pk)
            locked.set()
            release.wait(10)
            VisitFactory(
                enterprise=enterprise,
                department=department,
                date=today,
                status=VisitStatus.REGISTERED,
                client_id=body["client_id"],
                registered_by=inspector,
            )
        connection.close()

    def retry():
        answers.append(token_client(inspector).post("/api/visits/", body, format="json"))
        connection.close()

    first = threading.Thread(target=first_attempt)
    first.start()
    locked.wait(10)
    # when the retry arrives meanwhile and waits for the lock in its look-up
    second = threading.Thread(target=retry)
    second.start()
    waiting = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
    for _ in range(200):
        with connection.cursor() as cursor:
            cursor.execute(waiting)
            if cursor.fetchone()[0]:
                break
        time.sleep(0.05)
    release.set()
    first.join(10)
    second.join(10)

    # then the retry answers with the first attempt's visit; there is still one
    (answer,) = answers
    assert answer.status_code == 200
    visit = Visit.objects.get(client_id=body["client_id"])
    assert answer.json()["code"] == visit.code
    assert not VisitRefusal.objects.exists() and not ClientRequest.objects.exists()
