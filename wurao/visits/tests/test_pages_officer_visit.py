"""One visit's page (views_visit.py): check-in by credit code, check-out, results that land in
the enterprise's file, officers for a confirmed joint visit, corrections, cancelling; and the
enterprise's file showing its visits."""

import re

import pytest
from django.urls import reverse

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.enforcement.choices import ActionKind, Finding
from wurao.enforcement.models import EnforcementAction
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, InspectorFactory
from wurao.visits.choices import VisitOrigin, VisitStatus
from wurao.visits.models import Visit, VisitRating
from wurao.visits.tests.factories import VisitFactory
from wurao.visits.tests.support import NEW, _form

pytestmark = pytest.mark.django_db


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
    # and the officer is taken on to record each item's result (outcomes' page for the action)
    assert response.redirect_chain[-1][0] == reverse("findings:action", kwargs={"pk": action.pk})
    assert "已录入" in response.content.decode()
    body = admin_client.get(reverse("visits:detail", args=[code])).content.decode()
    assert "消防通道堵塞" in body
    assert f'href="{reverse("findings:action", kwargs={"pk": action.pk})}"' in body
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
