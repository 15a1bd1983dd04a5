"""What a request's body may name ([hardening]): a department registers, joins and records
results with its own officers and its own items only, on the page, in the API and in the
services alike; and a client id sent again with another body is a 409, not the first answer."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.enforcement.choices import ActionKind, Finding
from wurao.enforcement.models import EnforcementAction
from wurao.registry.tests.factories import DepartmentFactory, InspectorFactory
from wurao.visits import services
from wurao.visits.choices import VisitPurpose, VisitStatus
from wurao.visits.models import Visit, VisitRefusal
from wurao.visits.tests.factories import VisitFactory
from wurao.visits.tests.support import VALID_UNTIL, _body, _reg, _started, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    """Another department, with its officers, its list and its admin."""
    department = DepartmentFactory(name="区市场监管局", code="SJ")
    return {
        "department": department,
        "officers": [
            InspectorFactory(department=department, name=name, certificate_valid_until=VALID_UNTIL)
            for name in ("赵强", "钱敏")
        ],
        "item": InspectionItemFactory(department=department, code="SJ-001"),
        "admin": UserFactory(username="sj_admin", role=Role.DEPT_ADMIN, department=department),
    }


def _nothing_written():
    assert not Visit.objects.exists()
    assert not VisitRefusal.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="visit.").exists()


# Registration: the API -----------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.DEPT_ADMIN])
def test_the_api_refuses_a_registration_naming_another_departments_officer(
    role, department, enterprise, officers, item, market
):
    # given a department's inspector (or admin) on the phone
    client = token_client(UserFactory(role=role, department=department))
    stranger = market["officers"][0]

    # when the registration names an officer of another department among its own
    body = _body(enterprise, [*officers, stranger], [item])
    response = client.post("/api/visits/", body, format="json")

    # then it is a 400 at the officers field, naming the officer, and nothing is written
    assert response.status_code == 400
    assert list(response.json()) == ["officers"]
    message = response.json()["officers"][0]
    assert f"赵强（{stranger.badge_no}）" in message and "不属于本部门（区应急管理局）" in message
    _nothing_written()

    # and the other department, not made a participant, registers its own visit as usual
    own = _body(enterprise, market["officers"], [market["item"]])
    accepted = token_client(market["admin"]).post("/api/visits/", own, format="json")
    assert accepted.status_code == 201
    assert [d["name"] for d in accepted.json()["departments"]] == ["区市场监管局"]


def test_the_api_refuses_a_registration_naming_another_departments_item(
    inspector, enterprise, officers, item, market
):
    body = _body(enterprise, officers, [item, market["item"]])

    response = token_client(inspector).post("/api/visits/", body, format="json")

    assert response.status_code == 400
    assert "检查事项 SJ-001 不在入企部门公布的有效检查事项清单内" in response.json()["items"][0]
    _nothing_written()


def test_a_joint_visit_s_quiet_period_is_not_started_in_another_departments_name(
    inspector, enterprise, officers, item, market
):
    # given a registration that names the other department's two officers with our own
    body = _body(enterprise, [*officers, *market["officers"]], [item])
    refused = token_client(inspector).post("/api/visits/", body, format="json")

    # then nothing is registered, and the other department's registration for tomorrow (which
    # a joint visit today would have put in the quiet period) goes through
    assert refused.status_code == 400
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    own = _body(enterprise, market["officers"], [market["item"]], date=tomorrow)
    accepted = token_client(market["admin"]).post("/api/visits/", own, format="json")
    assert accepted.status_code == 201, accepted.json()


def test_a_non_enforcement_visit_names_no_other_departments_officers(enterprise, market):
    union = DepartmentFactory(name="区总工会", is_enforcement=False)
    clerk = UserFactory(role=Role.INSPECTOR, department=union)
    body = {
        "client_id": str(uuid.uuid4()),
        "enterprise": enterprise.credit_code,
        "kind": "non_enforcement",
        "purpose": VisitPurpose.UNION,
        "note": "职工之家走访",
        "date": timezone.localdate().isoformat(),
        "officers": [market["officers"][0].badge_no],
    }

    response = token_client(clerk).post("/api/visits/", body, format="json")

    assert response.status_code == 400
    assert "不属于本部门（区总工会）" in response.json()["officers"][0]
    _nothing_written()


# Registration: the service (for callers other than the page and the API) ---------------------


def test_the_service_refuses_to_register_in_another_departments_name(
    dept_admin, enterprise, market
):
    with pytest.raises(PermissionDenied, match="只有“区市场监管局”的人员"):
        services.visit_register(
            actor=dept_admin,
            reg=_reg(
                enterprise,
                market["department"],
                officers=market["officers"],
                items=[market["item"]],
            ),
        )

    _nothing_written()


def test_the_service_puts_another_departments_officers_at_the_field(
    dept_admin, department, enterprise, officers, item, market
):
    reg = _reg(enterprise, department, officers=[*officers, market["officers"][1]], items=[item])

    with pytest.raises(ValidationError) as refused:
        services.visit_register(actor=dept_admin, reg=reg)

    assert "钱敏" in refused.value.message_dict["officers"][0]
    _nothing_written()


def test_the_bureau_may_still_register_a_joint_inspection_through_the_service(
    justice_user, department, enterprise, officers, item, market
):
    reg = _reg(enterprise, department, officers=[*officers, *market["officers"]], items=[item])

    visit = services.visit_register(actor=justice_user, reg=reg)

    assert {d.name for d in visit.departments.all()} == {"区应急管理局", "区市场监管局"}


# Joining a visit and recording results ------------------------------------------------------


def test_joining_a_visit_with_another_departments_officers_or_items_is_refused(
    dept_admin, department, enterprise, officers, item, market
):
    # given our registered visit, which the market department joins
    visit = services.visit_register(
        actor=dept_admin, reg=_reg(enterprise, department, officers=officers, items=[item])
    )
    events = AuditEvent.objects.count()

    # when it names our officers and our item besides its own
    with pytest.raises(ValidationError) as refused:
        services.visit_join(
            actor=market["admin"],
            visit=visit,
            department=market["department"],
            officers=[*market["officers"], *officers],
            items=[market["item"], item],
        )

    # then both fields are refused and the visit stays ours alone
    assert set(refused.value.message_dict) >= {"officers", "items"}
    assert "不是区市场监管局的执法人员" in refused.value.message_dict["officers"][0]
    assert list(visit.departments.all()) == [department]
    assert AuditEvent.objects.count() == events


@pytest.fixture
def joint_visit_today(department, enterprise, officers, item, market):
    """Today's joint visit of both departments, checked in."""
    visit = VisitFactory(
        enterprise=enterprise,
        department=department,
        departments=[department, market["department"]],
        date=timezone.localdate(),
        status=VisitStatus.REGISTERED,
        officers=[*officers, *market["officers"]],
        items=[item, market["item"]],
    )
    return visit


def test_the_api_refuses_results_citing_another_departments_items_or_badges(
    inspector, joint_visit_today, market
):
    # given the joint visit checked in
    _started(joint_visit_today, inspector)
    client = token_client(inspector)
    url = f"/api/visits/{joint_visit_today.code}/results/"
    base = {"kind": "inspection", "finding": "clean", "summary": "未发现问题"}

    # when our inspector records our result citing the other department's item, or its officer
    by_item = client.post(
        url, {**base, "client_id": str(uuid.uuid4()), "items": ["SJ-001"]}, format="json"
    )
    badge = market["officers"][0].badge_no
    by_badge = client.post(
        url, {**base, "client_id": str(uuid.uuid4()), "officers": [badge]}, format="json"
    )

    # then each is a 400 at its field, and no action is recorded
    assert by_item.status_code == 400 and "SJ-001" in by_item.json()["items"][0]
    assert by_badge.status_code == 400 and badge in by_badge.json()["officers"][0]
    assert not EnforcementAction.objects.exists()


def test_the_result_service_refuses_another_departments_items_before_writing(
    inspector, department, joint_visit_today, market
):
    visit = _started(joint_visit_today, inspector)
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as refused:
        services.visit_result_record(
            actor=inspector,
            visit=visit,
            department=department,
            kind=ActionKind.INSPECTION,
            items=[market["item"]],
            officers=market["officers"],
            finding=Finding.CLEAN,
        )

    assert set(refused.value.message_dict) == {"items", "officers"}
    assert not EnforcementAction.objects.exists()
    assert AuditEvent.objects.count() == events


# The same client id with another body --------------------------------------------------------


def test_a_registration_retried_with_another_body_is_a_409_naming_the_client_id(
    inspector, enterprise, officers, item
):
    # given a registration, and its retry with the same body (keys in another order)
    client = token_client(inspector)
    body = _body(enterprise, officers, [item])
    first = client.post("/api/visits/", body, format="json")
    same = client.post("/api/visits/", dict(reversed(list(body.items()))), format="json")

    # when the same client id comes with another body (another day)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    other = client.post("/api/visits/", {**body, "date": tomorrow}, format="json")

    # then the retry gets the first visit, the other body a 409 naming the client id
    assert first.status_code == 201
    assert same.status_code == 200 and same.json()["code"] == first.json()["code"]
    assert other.status_code == 409
    assert other.json() == {
        "detail": "该 client_id 已用于内容不同的登记入企：重试须发送与第一次完全相同的内容；"
        "内容有改动即是新的操作，请生成新的 client_id"
    }
    assert Visit.objects.get().date == timezone.localdate()
    assert AuditEvent.objects.filter(verb="visit.register").count() == 1


def test_a_refused_registration_retried_with_another_body_is_a_409_too(
    inspector, department, enterprise, officers, item
):
    # given a registration the rules refused (the department's yearly cap reached)
    year = timezone.localdate().year
    for day in (datetime.date(year, 1, 2), datetime.date(year, 1, 3)):
        VisitFactory(enterprise=enterprise, department=department, date=day)
    client = token_client(inspector)
    body = _body(enterprise, officers, [item])
    refused = client.post("/api/visits/", body, format="json")

    # when it is sent again with an override reason under the same client id
    other = client.post("/api/visits/", {**body, "override_reason": "上级交办"}, format="json")

    # then that is another operation: a 409 saying so, not the refusal again, nothing written
    assert refused.status_code == 409 and refused.json()["violations"]
    assert other.status_code == 409 and "内容不同" in other.json()["detail"]
    assert not Visit.objects.filter(status=VisitStatus.PENDING_OVERRIDE).exists()
    assert VisitRefusal.objects.count() == 1


def test_results_retried_with_another_body_are_a_409_and_recorded_once(
    inspector, department, enterprise, officers, item
):
    # given a visit checked in, and its result sent
    visit = VisitFactory(
        enterprise=enterprise,
        department=department,
        date=timezone.localdate(),
        status=VisitStatus.REGISTERED,
        officers=officers,
        items=[item],
    )
    _started(visit, inspector)
    client = token_client(inspector)
    url = f"/api/visits/{visit.code}/results/"
    body = {"client_id": str(uuid.uuid4()), "kind": "inspection", "finding": "clean"}
    first = client.post(url, body, format="json")

    # when the same client id comes with another finding
    other = client.post(
        url, {**body, "finding": "problems", "summary": "消防通道堵塞"}, format="json"
    )

    # then it is a 409 naming the client id and the visit, and the first result stands alone
    assert first.status_code == 201
    assert other.status_code == 409
    detail = other.json()["detail"]
    assert "client_id" in detail and f"内容不同的录入检查结果（入企码 {visit.code}）" in detail
    assert EnforcementAction.objects.get().finding == Finding.CLEAN


def test_a_check_in_retried_with_another_body_is_a_409(
    inspector, department, enterprise, officers, item
):
    visit = VisitFactory(
        enterprise=enterprise,
        department=department,
        date=timezone.localdate(),
        status=VisitStatus.REGISTERED,
        officers=officers,
        items=[item],
    )
    client = token_client(inspector)
    url = f"/api/visits/{visit.code}/check-in/"
    body = {"client_id": str(uuid.uuid4()), "method": "scan", "scanned": enterprise.credit_code}
    first = client.post(url, body, format="json")
    same = client.post(url, body, format="json")

    other = client.post(url, {**body, "method": "credit_code"}, format="json")

    assert first.status_code == 200 and same.json() == first.json()
    assert other.status_code == 409 and "内容不同的签到" in other.json()["detail"]
    visit.refresh_from_db()
    assert visit.check_in_method == "scan"
    assert AuditEvent.objects.filter(verb="visit.check_in").count() == 1
