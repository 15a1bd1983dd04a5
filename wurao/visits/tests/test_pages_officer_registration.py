"""The officers' visit list and registration pages (views.py): the list as far as each role may
see, registering with errors named beside the fields, refusals naming the rule, the override
path with a second approver."""

import datetime

import pytest
from django.urls import reverse

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.common.credit_code import credit_code_complete
from wurao.registry.choices import Level
from wurao.registry.tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    InspectorFactory,
    StreetFactory,
)
from wurao.visits.choices import VisitKind, VisitOrigin, VisitStatus
from wurao.visits.models import Visit, VisitRefusal
from wurao.visits.tests.factories import VisitFactory
from wurao.visits.tests.support import NEW, _form

pytestmark = pytest.mark.django_db


def _two_visits_this_year(enterprise, department, today):
    return [
        VisitFactory(enterprise=enterprise, department=department, date=day)
        for day in (datetime.date(today.year, 1, 1), today)
    ]


# ---------------------------------------------------------------- scope


def test_a_department_lists_the_visits_it_took_part_in_only(
    admin_client, department, enterprise, today
):
    # given a visit by the department and one by another department
    own = VisitFactory(enterprise=enterprise, department=department, date=today)
    other = VisitFactory(enterprise=enterprise, date=today)

    # when the department admin opens the list
    body = admin_client.get("/visits/").content.decode()

    # then only its own visit is listed, linked by code, with the button to register
    assert reverse("visits:detail", args=[own.code]) in body
    assert other.code_display not in body
    assert "登记入企" in body


def test_the_list_filters_by_kind_origin_status_and_dates(admin_client, department, today):
    plan = VisitFactory(department=department, date=today, origin=VisitOrigin.PLAN)
    complaint = VisitFactory(
        department=department, date=today - datetime.timedelta(days=40), origin="complaint"
    )

    by_origin = admin_client.get("/visits/", {"origin": "complaint"}).content.decode()
    by_date = admin_client.get(
        "/visits/", {"date_from": (today - datetime.timedelta(days=5)).isoformat()}
    ).content.decode()

    assert complaint.code_display in by_origin and plan.code_display not in by_origin
    assert plan.code_display in by_date and complaint.code_display not in by_date


def test_a_visit_of_another_department_looks_missing(admin_client, enterprise, today):
    other = VisitFactory(enterprise=enterprise, date=today)

    response = admin_client.get(reverse("visits:detail", args=[other.code]))

    assert response.status_code == 404


def test_a_street_sees_the_visits_in_its_area_only(client, street_user, enterprise, today):
    # given a visit in the street's area and one elsewhere
    inside = VisitFactory(enterprise=enterprise, date=today)
    outside = VisitFactory(enterprise=EnterpriseFactory(street=StreetFactory()), date=today)
    client.force_login(street_user)

    # then the street sees the first and not the second, and cannot register
    body = client.get("/visits/").content.decode()
    assert inside.code_display in body and outside.code_display not in body
    assert 'id="register-link"' not in body
    assert client.get(reverse("visits:detail", args=[inside.code])).status_code == 200
    assert client.get(reverse("visits:detail", args=[outside.code])).status_code == 404
    assert client.get(NEW).status_code == 403


def test_an_enterprise_user_does_not_open_the_officers_pages(client, enterprise_user, enterprise):
    visit = VisitFactory(enterprise=enterprise)
    client.force_login(enterprise_user)

    assert client.get("/visits/").status_code == 403
    assert client.get(reverse("visits:detail", args=[visit.code])).status_code == 403


# ---------------------------------------------------------------- registration


def test_the_form_offers_only_the_departments_active_items_and_officers(
    admin_client, department, officers, item
):
    # given another department's item and inspector, and an inactive item and officer
    foreign = InspectionItemFactory(name="别的部门的事项")
    InspectorFactory(name="外部门人员")
    InspectionItemFactory(department=department, name="已废止事项", active=False)
    InspectorFactory(department=department, name="离岗人员", active=False)

    body = admin_client.get(NEW).content.decode()

    assert item.name in body and "李明" in body and "王芳" in body
    assert foreign.name not in body and "外部门人员" not in body
    assert "已废止事项" not in body and "离岗人员" not in body


def test_registering_an_inspection_gives_a_code_and_its_qr_code(
    admin_client, enterprise, officers, item, today
):
    response = admin_client.post(NEW, _form(enterprise, officers, [item], today), follow=True)

    visit = Visit.objects.get(enterprise=enterprise)
    body = response.content.decode()
    assert visit.status == VisitStatus.REGISTERED
    assert f"已登记入企，入企码 {visit.code_display}" in body
    assert "<svg" in body and f"/v/{visit.code}/" in body
    assert "李明" in body and "执法证" in body and "有效至 2099-12-31" in body
    assert item.name in body and "中华人民共和国安全生产法第六十五条" in body


def test_an_enterprise_is_found_by_its_exact_name_too(
    admin_client, enterprise, officers, item, today
):
    admin_client.post(NEW, _form(enterprise, officers, [item], today, enterprise=enterprise.name))

    assert Visit.objects.filter(enterprise=enterprise).exists()


def test_missing_fields_are_named_beside_the_fields_in_chinese(
    admin_client, enterprise, officers, item, today
):
    # when the officer forgets the enterprise, sends one officer, no item and no approval
    data = _form(enterprise, officers[:1], [], today, enterprise="", approver="", approval_ref="")
    response = admin_client.post(NEW, data)

    # then the form comes back with every problem at its field at once, and nothing is stored
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-field="enterprise"' in body and "请选择企业" in body
    assert 'data-field="items"' in body and "清单之外无事项" in body
    assert 'data-field="officers"' in body and "不得少于 2 人" in body
    assert 'data-field="approver"' in body and "部门负责人审批" in body
    assert not Visit.objects.exists()

    # and an empty form names the enterprise, the day, the origin, the items, the officers and
    # the approval in one answer
    body = admin_client.post(NEW, {"kind": VisitKind.INSPECTION}).content.decode()
    for field in ("enterprise", "day", "origin", "items", "officers", "approver"):
        assert f'data-field="{field}"' in body, field


def test_an_unknown_credit_code_is_refused_at_the_enterprise_field(
    admin_client, officers, item, today, enterprise
):
    unknown = credit_code_complete("91440300MA5DQ7R2L")  # well formed, in nobody's registry
    data = _form(enterprise, officers, [item], today, enterprise=unknown)

    body = admin_client.post(NEW, data).content.decode()

    assert f"找不到“{unknown}”" in body
    assert not Visit.objects.exists()


def test_a_past_date_asks_for_the_reason_of_the_late_registration(
    admin_client, enterprise, officers, item, today
):
    past = today - datetime.timedelta(days=3)

    # the reason field appears as soon as a past date is entered
    slot = admin_client.get("/visits/new/late-reason/", {"day": past.isoformat()})
    assert "事后补登理由" in slot.content.decode()
    assert (
        "事后补登理由"
        not in admin_client.get(
            "/visits/new/late-reason/", {"day": today.isoformat()}
        ).content.decode()
    )

    # and without it the registration is refused at that field
    body = admin_client.post(NEW, _form(enterprise, officers, [item], past)).content.decode()
    assert 'data-field="late_reason"' in body and "事后补登" in body

    # with it the visit is registered after the fact, already completed: results are next
    body = admin_client.post(
        NEW,
        _form(enterprise, officers, [item], past, late_reason="夜间突发险情，紧急处置"),
        follow=True,
    ).content.decode()
    assert Visit.objects.get(enterprise=enterprise).after_the_fact
    assert "已事后补登入企" in body and "出示二维码" not in body


def test_a_non_enforcement_visit_needs_a_purpose_and_a_note(admin_client, enterprise, today):
    data = {"kind": VisitKind.NON_ENFORCEMENT, "enterprise": enterprise.credit_code}
    data["day"] = today.isoformat()

    body = admin_client.post(NEW, data).content.decode()
    assert 'data-field="purpose"' in body and 'data-field="note"' in body

    admin_client.post(NEW, {**data, "purpose": "policy", "note": "宣传安全生产月活动"})
    visit = Visit.objects.get(enterprise=enterprise)
    assert visit.kind == VisitKind.NON_ENFORCEMENT and visit.items.count() == 0


def test_the_enterprise_lookup_finds_by_credit_code_and_by_name(admin_client, enterprise):
    by_name = admin_client.get("/visits/new/enterprises/", {"enterprise": enterprise.name[:6]})
    by_code = admin_client.get("/visits/new/enterprises/", {"enterprise": enterprise.credit_code})
    picked = admin_client.get(
        "/visits/new/enterprises/", {"enterprise": enterprise.credit_code, "pick": "1"}
    )

    assert enterprise.credit_code in by_name.content.decode()
    assert "已选择" in by_code.content.decode()
    assert f'value="{enterprise.credit_code}"' in picked.content.decode()


# ---------------------------------------------------------------- refusal and override


def test_a_refusal_names_the_rule_the_visits_and_the_exempt_origins(
    admin_client, department, enterprise, officers, item, today
):
    # given two inspections by the department this year (ungraded: cap 2)
    earlier = _two_visits_this_year(enterprise, department, today)

    # when a third routine inspection is registered
    response = admin_client.post(NEW, _form(enterprise, officers, [item], today))

    # then the page shows the refusal with the rule, the visits that make it bite, the exempt
    # origins and the way to ask for an override; the refusal is kept
    body = response.content.decode()
    assert 'id="refusal"' in body
    assert "本部门年度检查上限" in body and "年度上限 2 次" in body
    assert all(v.code in body for v in earlier)
    assert "投诉举报" in body and "整改复查" in body
    assert "申请突破规则" in body
    assert VisitRefusal.objects.filter(enterprise=enterprise).count() == 1
    assert Visit.objects.filter(enterprise=enterprise).count() == 2


def test_choosing_an_exempt_origin_lets_the_visit_through(
    admin_client, department, enterprise, officers, item, today
):
    _two_visits_this_year(enterprise, department, today)

    admin_client.post(
        NEW, _form(enterprise, officers, [item], today, origin="complaint", note="投诉 2026-118")
    )

    assert Visit.objects.filter(enterprise=enterprise, origin="complaint").exists()


def test_an_override_without_a_reason_asks_for_one(
    admin_client, department, enterprise, officers, item, today
):
    _two_visits_this_year(enterprise, department, today)

    body = admin_client.post(
        NEW, _form(enterprise, officers, [item], today, override="1", override_reason=" ")
    ).content.decode()

    assert 'data-field="override_reason"' in body and "须说明理由" in body
    assert "本部门年度检查上限" in body
    assert Visit.objects.filter(enterprise=enterprise).count() == 2


def test_an_override_waits_for_a_second_approver(
    client, dept_admin, department, enterprise, officers, item, today
):
    # given a registration refused by the department cap
    _two_visits_this_year(enterprise, department, today)
    client.force_login(dept_admin)

    # when the registrant asks to override it with a reason
    response = client.post(
        NEW,
        _form(
            enterprise, officers, [item], today, override="1", override_reason="重大事故隐患线索"
        ),
        follow=True,
    )

    # then the visit waits, its page says so, and it is in the queue with the rule and reason
    visit = Visit.objects.get(status=VisitStatus.PENDING_OVERRIDE)
    assert "须由部门负责人或司法局第二人审批" in response.content.decode()
    queue = client.get("/visits/overrides/").content.decode()
    assert visit.code_display in queue and "本部门年度检查上限" in queue
    assert "重大事故隐患线索" in queue

    # when the registrant tries to approve it, the service's message is shown
    decide = reverse("visits:override-decide", args=[visit.code])
    own = client.post(decide, {"from": "queue", f"o{visit.pk}-decision": "approve"})
    assert "须由登记人以外的第二人审批" in own.content.decode()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PENDING_OVERRIDE

    # when another admin of the department approves it, the code is valid
    head = UserFactory(role=Role.DEPT_ADMIN, department=department, first_name="赵局长")
    client.force_login(head)
    client.post(decide, {"from": "queue", f"o{visit.pk}-decision": "approve"})
    visit.refresh_from_db()
    assert visit.status == VisitStatus.REGISTERED
    assert visit.override_approved_by == head
    assert f'id="override-{visit.code}"' not in client.get("/visits/overrides/").content.decode()


def test_rejecting_an_override_needs_a_reason(
    client, department, enterprise, officers, item, today, justice_user, dept_admin
):
    _two_visits_this_year(enterprise, department, today)
    client.force_login(dept_admin)
    client.post(
        NEW,
        _form(enterprise, officers, [item], today, override="1", override_reason="专项整治需要"),
    )
    visit = Visit.objects.get(status=VisitStatus.PENDING_OVERRIDE)
    client.force_login(justice_user)
    decide = reverse("visits:override-decide", args=[visit.code])

    # from the visit's page: no reason, no rejection
    body = client.post(decide, {"decision": "reject"}).content.decode()
    assert "不批准时请说明理由" in body

    client.post(decide, {"decision": "reject", "note": "理由不足，按计划安排"})
    visit.refresh_from_db()
    assert visit.status == VisitStatus.REJECTED
    page = client.get(reverse("visits:detail", args=[visit.code])).content.decode()
    assert "理由不足，按计划安排" in page


def test_an_inspector_has_no_override_queue(client, department):
    inspector = UserFactory(role=Role.INSPECTOR, department=department)
    client.force_login(inspector)

    assert client.get("/visits/overrides/").status_code == 403


def test_a_cross_level_duplicate_offers_to_join_the_open_visit(
    admin_client, department, enterprise, officers, item, today
):
    # given the street's open inspection of the same matter (same legal basis) today
    street_department = DepartmentFactory(level=Level.STREET, name="福城街道综合执法队")
    street_item = InspectionItemFactory(department=street_department)
    open_visit = VisitFactory(
        enterprise=enterprise,
        department=street_department,
        date=today,
        status=VisitStatus.REGISTERED,
        items=[street_item],
    )

    # when the district department registers the same matter
    body = admin_client.post(NEW, _form(enterprise, officers, [item], today)).content.decode()

    # then it is refused as a duplicate with a button to join the open visit
    assert "跨层级重复检查" in body
    join = reverse("visits:join", args=[open_visit.code])
    assert f'formaction="{join}"' in body

    # and joining adds the department, its officers and item to that visit
    response = admin_client.post(join, _form(enterprise, officers, [item], today), follow=True)
    assert "已加入入企码" in response.content.decode()
    assert set(open_visit.departments.all()) == {street_department, department}
    assert item in open_visit.items.all()
    assert Visit.objects.filter(enterprise=enterprise).count() == 1
