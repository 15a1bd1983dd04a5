"""/api/visits/ registration (apis.py) for the inspectors' mobile client: a visit and its code,
a retry with its client id done once, refusals naming the rule, fields named in Chinese, who
may write."""

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
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.common.credit_code import credit_code_complete
from wurao.registry.models import Enterprise
from wurao.registry.tests.factories import EnterpriseFactory, InspectorFactory
from wurao.visits.choices import VisitStatus
from wurao.visits.models import ClientRequest, Visit, VisitRefusal
from wurao.visits.tests.factories import VisitFactory
from wurao.visits.tests.support import _body, client_for, token_client

pytestmark = pytest.mark.django_db


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
