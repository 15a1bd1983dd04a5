"""The officers' visit pages: the list as far as each role may see, registering with errors
named beside the fields, refusals naming the rule, the override path with a second approver,
check-in by credit code, check-out and results that land in the enterprise's file."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.common.credit_code import credit_code_complete
from wurao.enforcement.choices import ActionKind, Finding
from wurao.enforcement.models import EnforcementAction
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.choices import Level
from wurao.registry.tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    InspectorFactory,
    StreetFactory,
)
from wurao.visits.choices import VisitKind, VisitOrigin, VisitStatus
from wurao.visits.models import Visit, VisitRating, VisitRefusal
from wurao.visits.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db

NEW = "/visits/new/"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def officers(department):
    far = datetime.date(2099, 12, 31)
    return [
        InspectorFactory(department=department, name="李明", certificate_valid_until=far),
        InspectorFactory(department=department, name="王芳", certificate_valid_until=far),
    ]


@pytest.fixture
def item(department):
    return InspectionItemFactory(department=department, name="安全生产责任制落实情况")


@pytest.fixture
def admin_client(client, dept_admin):
    client.force_login(dept_admin)
    return client


def _form(firm, officers, items, day, **changes):
    data = {
        "kind": VisitKind.INSPECTION,
        "enterprise": firm.credit_code,
        "day": day.isoformat(),
        "origin": VisitOrigin.PLAN,
        "items": [i.pk for i in items],
        "officers": [o.pk for o in officers],
        "approver": "张科长",
        "approval_ref": "龙应急审〔2026〕12号",
        "approved_on": day.isoformat(),
        "note": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


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


# ---------------------------------------------------------------- on site


@pytest.fixture
def registered(admin_client, enterprise, officers, item, today):
    admin_client.post(NEW, _form(enterprise, officers, [item], today))
    return Visit.objects.get(enterprise=enterprise)


def test_check_in_with_the_wrong_credit_code_is_refused(admin_client, registered):
    other = EnterpriseFactory()
    url = reverse("visits:check-in", args=[registered.code])

    body = admin_client.post(
        url, {"method": "credit_code", "scanned": other.credit_code}
    ).content.decode()

    assert "不是登记的企业" in body and 'data-field="scanned"' in body
    registered.refresh_from_db()
    assert registered.status == VisitStatus.REGISTERED


def test_check_in_check_out_and_results_make_an_action_in_the_file(
    admin_client, registered, enterprise, department
):
    code = registered.code
    # when the officer checks in with the enterprise's credit code (lower case, as typed)
    admin_client.post(
        reverse("visits:check-in", args=[code]),
        {"method": "credit_code", "scanned": enterprise.credit_code.lower()},
    )
    registered.refresh_from_db()
    assert registered.status == VisitStatus.IN_PROGRESS

    # and checks out, then records the department's result
    admin_client.post(reverse("visits:check-out", args=[code]))
    response = admin_client.post(
        reverse("visits:result", args=[code]),
        {"kind": ActionKind.INSPECTION, "finding": Finding.PROBLEMS, "summary": "消防通道堵塞"},
        follow=True,
    )

    # then the result is an enforcement action linked to the visit, listed on its page
    action = EnforcementAction.objects.get(visit=registered)
    assert action.department == department and action.finding == Finding.PROBLEMS
    assert action.items.count() == 1 and action.officers.count() == 2
    body = response.content.decode()
    assert "已录入" in body and "消防通道堵塞" in body
    registered.refresh_from_db()
    assert registered.status == VisitStatus.COMPLETED


def test_a_result_with_problems_needs_a_summary_and_a_penalty_a_severity(
    admin_client, registered, enterprise
):
    code = registered.code
    admin_client.post(
        reverse("visits:check-in", args=[code]),
        {"method": "scan", "scanned": enterprise.credit_code},
    )

    body = admin_client.post(
        reverse("visits:result", args=[code]), {"kind": ActionKind.PENALTY, "finding": "problems"}
    ).content.decode()

    assert "须选择情节档次" in body and "请写明问题摘要" in body
    assert not EnforcementAction.objects.exists()


def test_a_department_names_its_officers_and_the_approval_for_a_confirmed_joint_visit(
    admin_client, enterprise, department, officers, today
):
    # given a joint visit today, as the street confirmed it: our department leads, no one named
    market = DepartmentFactory(name="区市场监管局")
    visit = VisitFactory(
        enterprise=enterprise,
        department=department,
        departments=[department, market],
        origin=VisitOrigin.JOINT,
        date=today,
        status=VisitStatus.REGISTERED,
        officers=InspectorFactory.create_batch(2, department=market),
        approver="",
        approval_ref="",
        approved_on=None,
    )
    page = reverse("visits:detail", args=[visit.code])
    staff = reverse("visits:staff", args=[visit.code])

    # then the list marks it, and its page asks for our officers and the approval, and offers
    # no check-in yet
    assert 'data-unready="1"' in admin_client.get("/visits/").content.decode()
    body = admin_client.get(page).content.decode()
    assert 'id="unready"' in body and 'id="check-in-submit"' not in body
    assert f"{department.name}尚未指派执法人员" in body and 'name="approval_ref"' in body

    # when one officer is sent without the approval, each missing field is named
    body = admin_client.post(staff, {"officers": [officers[0].pk]}).content.decode()
    assert 'data-field="officers"' in body and "不得少于 2 人" in body
    assert 'data-field="approver"' in body and "部门负责人审批" in body

    # when both officers and the approval are sent, the visit is ready for check-in
    body = admin_client.post(
        staff,
        {
            "officers": [o.pk for o in officers],
            "approver": "张科长",
            "approval_ref": "龙应急审〔2026〕31号",
            "approved_on": today.isoformat(),
        },
        follow=True,
    ).content.decode()
    assert "已保存" in body and 'id="check-in-submit"' in body and 'id="unready"' not in body
    assert 'data-unready="1"' not in admin_client.get("/visits/").content.decode()
    assert "李明" in body and "龙应急审〔2026〕31号" in body


def test_a_department_corrects_its_result_on_the_visit_page_with_a_reason(
    admin_client, registered, enterprise
):
    # given the department's result, entered with the wrong finding
    code = registered.code
    admin_client.post(
        reverse("visits:check-in", args=[code]),
        {"method": "credit_code", "scanned": enterprise.credit_code},
    )
    admin_client.post(
        reverse("visits:result", args=[code]),
        {"kind": ActionKind.INSPECTION, "finding": Finding.PROBLEMS, "summary": "消防通道堵塞"},
    )
    action = EnforcementAction.objects.get(visit=registered)
    url = reverse("visits:result-correct", args=[code, action.pk])
    prefix = f"a{action.pk}-"

    # a second inspection result is refused at the kind, naming the first
    body = admin_client.post(
        reverse("visits:result", args=[code]),
        {"kind": ActionKind.INSPECTION, "finding": Finding.CLEAN},
    ).content.decode()
    assert 'data-field="kind"' in body and "不能再录一次" in body

    # a correction without a reason is refused at the reason
    body = admin_client.post(url, {prefix + "finding": Finding.CLEAN}).content.decode()
    assert f'id="correct-{action.pk}" open' in body and "请说明更正的理由" in body

    # with the reason, the action takes the new finding; still one action
    body = admin_client.post(
        url, {prefix + "finding": Finding.CLEAN, prefix + "reason": "录入时选错结果"}, follow=True
    ).content.decode()
    assert "已更正" in body
    action.refresh_from_db()
    assert action.finding == Finding.CLEAN
    assert EnforcementAction.objects.filter(visit=registered).count() == 1


def test_a_visit_is_cancelled_with_a_reason(admin_client, registered):
    url = reverse("visits:cancel", args=[registered.code])

    assert "请说明撤销理由" in admin_client.post(url, {"reason": ""}).content.decode()
    admin_client.post(url, {"reason": "企业停产，改期检查"})

    registered.refresh_from_db()
    assert registered.status == VisitStatus.CANCELLED
    assert registered.cancel_reason == "企业停产，改期检查"


def test_another_department_cannot_check_in(client, registered, enterprise):
    # the justice bureau sees the visit but does not take part in it
    client.force_login(UserFactory(role=Role.JUSTICE))
    url = reverse("visits:check-in", args=[registered.code])

    assert client.get(reverse("visits:detail", args=[registered.code])).status_code == 200
    assert (
        client.post(url, {"method": "scan", "scanned": enterprise.credit_code}).status_code == 403
    )


# ---------------------------------------------------------------- the enterprise's file


def test_the_enterprise_file_shows_each_visit_with_code_origin_and_rating(
    client, justice_user, enterprise, department, today
):
    visit = VisitFactory(enterprise=enterprise, department=department, origin="complaint")
    VisitRating.objects.create(visit=visit, score=4, rated_on=today)
    client.force_login(justice_user)

    body = client.get(f"/registry/enterprises/{enterprise.pk}/").content.decode()

    assert f"入企码 {visit.code}" in body
    assert reverse("visits:detail", args=[visit.code]) in body
    assert "投诉举报" in body and "评价 4/5" in body


def test_the_enterprise_file_counts_a_joint_visit_once_and_once_for_each_department(
    client, justice_user, enterprise, department
):
    # given in 2020 a joint visit of two departments, each recording its action on it,
    # and an action of the study's time taken without a registered visit
    market = DepartmentFactory(name="区市场监管局")
    joint = VisitFactory(
        enterprise=enterprise, department=department, departments=[department, market]
    )
    for each in (department, market):
        EnforcementActionFactory(
            enterprise=enterprise, department=each, visit=joint, date=joint.date
        )
    EnforcementActionFactory(enterprise=enterprise, department=market, date=joint.date)
    # a registration waiting for its override is listed but not counted
    VisitFactory(enterprise=enterprise, department=market, status=VisitStatus.PENDING_OVERRIDE)
    client.force_login(justice_user)

    # when the justice bureau opens the enterprise's file
    body = client.get(f"/registry/enterprises/{enterprise.pk}/").content.decode()

    # then the year shows two visits; each department shows the joint visit once
    year = re.search(r'id="counts-by-year">.*?<tbody>(.*?)</tbody>', body, re.S).group(1)
    assert _cells(year) == [["2020", "2", "0", "2"]]
    units = re.search(r'id="counts-by-organisation">.*?<tbody>(.*?)</tbody>', body, re.S).group(1)
    assert _cells(units) == [["区市场监管局", "2", "0", "2"], [department.name, "1", "0", "1"]]
    # and the timeline's year heading gives the same number
    assert "2020 年 · 2 次" in body


def _cells(tbody: str) -> list[list[str]]:
    return [
        re.findall(r"<td[^>]*>(.*?)</td>", row)
        for row in re.findall(r"<tr>(.*?)</tr>", tbody, re.S)
    ]
