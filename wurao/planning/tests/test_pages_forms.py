"""The consolidated form page (一表通查): who may see it, what it shows, and each department's
results entered per item with errors named per row."""

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.enforcement.models import EnforcementAction
from wurao.outcomes.models import FindingNotice, ItemCheck, Rectification
from wurao.planning import services, services_coordination
from wurao.planning.choices import ItemResult
from wurao.planning.models import JointVisit
from wurao.registry.choices import SizeClass
from wurao.registry.tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    InspectorFactory,
    StreetFactory,
)
from wurao.visits.choices import VisitStatus

# Plans for March 2027 are filed ahead: written for a day before their deadline (25 February).
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-07")]

MONTH = datetime.date(2027, 3, 1)  # plans are filed ahead, so nothing is locked yet
ENTERPRISE = "深圳市福城精密电子有限公司"
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


@dataclass
class Part:
    department: object
    admin: object
    item: object


@dataclass
class Joint:
    visit: JointVisit
    market: Part
    environment: Part
    enterprise: object


def joint_visit_build(street, *, confirm: bool = True, start: bool = True) -> Joint:
    """Two departments plan the same enterprise; the street schedules the month and, if asked,
    confirms the one visit; officers check in (the Visit is in progress) if asked."""
    enterprise = EnterpriseFactory(
        street=street,
        name=ENTERPRISE,
        address="龙华区福城街道福民路 8 号",
        size_class=SizeClass.MEDIUM,
    )
    parts = []
    for code, name, item_name, points in (
        (
            "SCJG",
            "区市场监督管理局",
            "特种设备安全管理情况",
            "查看特种设备使用登记证、定期检验报告",
        ),
        ("STHJ", "区生态环境局", "排污许可执行情况", "核对排污许可证载明的排放口与排放浓度"),
    ):
        department = DepartmentFactory(code=code, name=name)
        admin = UserFactory(
            role=Role.DEPT_ADMIN, department=department, username=f"{code.lower()}_admin"
        )
        item = InspectionItemFactory(
            department=department,
            name=item_name,
            law=f"{name}主管条例",
            article="第十条",
            check_points=points,
        )
        services.plan_entry_add(
            actor=admin,
            department=department,
            month=MONTH,
            enterprise=enterprise,
            items=[item],
            earliest=datetime.date(2027, 3, 8),
            latest=datetime.date(2027, 3, 12),
        )
        parts.append(Part(department, admin, item))
    coordinator = UserFactory(role=Role.STREET, street=street, username=f"coord_{street.code}")
    services.schedule_run(actor=coordinator, month=MONTH, time_limit=5, deterministic=True)
    visit = JointVisit.objects.get(enterprise=enterprise)
    if confirm:
        visit = services_coordination.joint_visit_confirm(actor=coordinator, visit=visit)
        for part, names in zip(parts, (("李明", "王芳"), ("陈静", "赵强")), strict=True):
            visit.visit.officers.add(
                *(InspectorFactory(department=part.department, name=n) for n in names)
            )
        if start:
            visit.visit.status = VisitStatus.IN_PROGRESS
            visit.visit.save(update_fields=["status"])
    return Joint(visit=visit, market=parts[0], environment=parts[1], enterprise=enterprise)


def form_url(joint: Joint, suffix: str = "") -> str:
    return f"/planning/forms/{joint.visit.pk}/{suffix}"


def _row(item, result="", finding="", rectification="", rectify_by=""):
    prefix = f"item-{item.pk}-"
    return {
        prefix + "result": result,
        prefix + "finding": finding,
        prefix + "rectification": rectification,
        prefix + "rectify_by": rectify_by,
    }


@pytest.fixture
def joint(street):
    return joint_visit_build(street)


# ---------------------------------------------------------------- who sees the form


def test_the_form_shows_header_departments_officers_and_every_item_with_its_basis(client, joint):
    # given a confirmed joint visit of two departments
    client.force_login(joint.market.admin)

    # when a department on it opens the form
    page = client.get(form_url(joint)).content.decode()

    # then the header, both departments, the officers and each item's basis and content are there
    assert ENTERPRISE in page and joint.enterprise.credit_code in page
    assert "龙华区福城街道福民路 8 号" in page and "福城街道" in page
    assert joint.visit.visit.code_display in page and "<svg" in page
    assert f"/v/{joint.visit.visit.code}/" in page
    assert "区市场监督管理局" in page and "区生态环境局" in page
    assert "李明" in page and "赵强" in page
    assert "特种设备安全管理情况" in page and "《区市场监督管理局主管条例》第十条" in page
    assert "核对排污许可证载明的排放口与排放浓度" in page
    assert "检查人员（签名）" in page and "企业负责人（签名）" in page
    assert "@media print" in page


@pytest.mark.parametrize("who", ["market", "coordinator", "enterprise", "justice"])
def test_the_form_opens_for_the_departments_street_enterprise_and_justice(
    client, joint, street, justice_user, who
):
    user = {
        "market": joint.market.admin,
        "coordinator": UserFactory(role=Role.STREET, street=street),
        "enterprise": UserFactory(role=Role.ENTERPRISE, enterprise=joint.enterprise),
        "justice": justice_user,
    }[who]
    client.force_login(user)

    assert client.get(form_url(joint)).status_code == 200


@pytest.mark.parametrize("who", ["other_department", "other_street", "other_enterprise"])
def test_the_form_looks_missing_to_everyone_else(client, joint, who):
    user = {
        "other_department": UserFactory(role=Role.DEPT_ADMIN, department=DepartmentFactory()),
        "other_street": UserFactory(role=Role.STREET, street=StreetFactory()),
        "other_enterprise": UserFactory(role=Role.ENTERPRISE, enterprise=EnterpriseFactory()),
    }[who]
    client.force_login(user)

    for suffix in ("", "pdf/", "xlsx/"):
        assert client.get(form_url(joint, suffix)).status_code == 404


def test_signing_in_is_needed(client, joint):
    response = client.get(form_url(joint))

    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_proposal_shows_as_pending_without_results_entry(client, street):
    # given a proposed visit not yet confirmed by the street
    joint = joint_visit_build(street, confirm=False)
    client.force_login(joint.market.admin)

    # when the department opens its form
    page = client.get(form_url(joint)).content.decode()

    # then it is marked 待确认 and offers no results entry
    assert "待确认" in page and 'id="form-pending"' in page
    assert "特种设备安全管理情况" in page
    assert 'id="results-submit"' not in page
    assert "入企经街道确认后，才能录入本部门的检查结果" in page


# ---------------------------------------------------------------- results entry


def test_results_wait_until_officers_check_in(client, street):
    joint = joint_visit_build(street, start=False)
    client.force_login(joint.market.admin)

    page = client.get(form_url(joint)).content.decode()
    posted = client.post(
        form_url(joint, "results/"), _row(joint.market.item, ItemResult.PASS), follow=True
    )

    assert 'id="results-submit"' not in page and "签到、开始检查后" in page
    assert "签到、开始检查后" in posted.content.decode()
    assert not ItemCheck.objects.exists()


def test_a_department_sees_a_row_only_for_its_own_items(client, joint):
    client.force_login(joint.market.admin)

    page = client.get(form_url(joint)).content.decode()

    assert f'name="item-{joint.market.item.pk}-result"' in page
    assert f'name="item-{joint.environment.item.pk}-result"' not in page


def test_a_failing_item_needs_a_rectification_and_a_deadline(client, joint):
    # given the environment department's officer on the form
    client.force_login(joint.environment.admin)

    # when the item is marked failing without saying what must be put right
    response = client.post(
        form_url(joint, "results/"), _row(joint.environment.item, ItemResult.FAIL)
    )

    # then both are asked for beside the row, named with the item, and nothing is stored
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="results-errors"' in page
    assert "第 2 行“排污许可执行情况”整改要求：不符合的事项须写明整改要求" in page
    assert "不符合的事项须写明整改期限" in page and "不符合的事项须写明检查情况" in page
    assert not ItemCheck.objects.exists()
    assert not EnforcementAction.objects.exists()


def test_a_row_without_a_result_and_a_deadline_before_the_visit_are_refused(client, joint):
    client.force_login(joint.market.admin)
    before = (joint.visit.date - datetime.timedelta(days=1)).isoformat()

    missing = client.post(form_url(joint, "results/"), _row(joint.market.item)).content.decode()
    early = client.post(
        form_url(joint, "results/"),
        _row(joint.market.item, ItemResult.FAIL, rectification="更换安全阀", rectify_by=before),
    ).content.decode()
    garbled = client.post(
        form_url(joint, "results/"),
        _row(joint.market.item, ItemResult.FAIL, rectification="更换安全阀", rectify_by="下周"),
    ).content.decode()

    assert "检查结果：请选择检查结果" in missing
    assert f"整改期限不能早于检查日期 {joint.visit.date.isoformat()}" in early
    assert "请填写日期，如 2027-03-31" in garbled
    assert not ItemCheck.objects.exists()


def test_results_land_in_the_form_and_the_enterprise_file_once(client, joint):
    # given the market department on the visit after check-in
    client.force_login(joint.market.admin)
    deadline = (joint.visit.date + datetime.timedelta(days=15)).isoformat()

    # when it records a failing item with what to put right
    response = client.post(
        form_url(joint, "results/"),
        _row(
            joint.market.item,
            ItemResult.FAIL,
            finding="压力容器超期未检",
            rectification="十五日内完成定期检验",
            rectify_by=deadline,
        ),
        follow=True,
    )

    # then the form shows the result, and the enterprise's file has one action on the one visit
    page = response.content.decode()
    assert "已录入区市场监督管理局的检查结果" in page
    assert 'data-result="fail"' in page and "十五日内完成定期检验" in page and deadline in page
    assert "本部门的检查结果已录入" in page and 'id="results-submit"' not in page
    action = EnforcementAction.objects.get()
    assert action.visit == joint.visit.visit and action.department == joint.market.department
    check = ItemCheck.objects.get()
    assert (check.action, check.result, check.description) == (
        action,
        "finding",
        "压力容器超期未检",
    )
    order = check.rectification
    assert (order.requirement, order.deadline.isoformat()) == ("十五日内完成定期检验", deadline)
    assert (order.enterprise, order.department, order.topic) == (
        joint.enterprise,
        joint.market.department,
        "market",
    )
    assert order.notice.action == action and order.notice.issued_on == joint.visit.date


def test_the_visit_page_sends_the_departments_to_the_form_for_their_results(client, joint):
    # given the checked-in visit of a confirmed joint visit, opened by the market department
    client.force_login(joint.market.admin)

    # when it opens the visit's page
    page = client.get(f"/visits/{joint.visit.visit.code}/").content.decode()

    # then results are taken item by item on the consolidated form, not by the plain result form
    assert f'href="/planning/forms/{joint.visit.pk}/"' in page and 'id="joint-form-link"' in page
    assert 'id="result-form"' not in page


# ---------------------------------------------------------------- corrections


def _entered(client, joint, result=ItemResult.FAIL):
    """The market department's result entered through the page (a failing item by default)."""
    client.force_login(joint.market.admin)
    deadline = (joint.visit.date + datetime.timedelta(days=15)).isoformat()
    fail = result == ItemResult.FAIL
    client.post(
        form_url(joint, "results/"),
        _row(
            joint.market.item,
            result,
            finding="压力容器超期未检" if fail else "",
            rectification="十五日内完成定期检验" if fail else "",
            rectify_by=deadline if fail else "",
        ),
    )
    return EnforcementAction.objects.get()


def test_a_result_entered_wrongly_is_corrected_with_its_reason(client, joint):
    # given the market department entered "不符合" by mistake
    action = _entered(client, joint)
    assert action.finding == "problems"

    # when it corrects the item to "符合" and says why
    response = client.post(
        form_url(joint, "results/correct/"),
        {**_row(joint.market.item, ItemResult.PASS), "reason": "误选为不符合，现场核查为合格"},
        follow=True,
    )

    # then the form, the enterprise's file and the audit log all say so, and the visit still
    # has one action from the department
    page = response.content.decode()
    assert "已更正区市场监督管理局的 1 项检查结果" in page
    assert 'data-result="pass"' in page and "更正：误选为不符合，现场核查为合格" in page
    check = ItemCheck.objects.get()
    assert (check.result, check.correction_reason) == ("compliant", "误选为不符合，现场核查为合格")
    assert not Rectification.objects.exists()  # taken back: the enterprise had not reported
    assert FindingNotice.objects.filter(action=action).exists()  # the notice stays
    action.refresh_from_db()
    assert (action.finding, action.summary) == ("clean", "一表通查：所查事项均符合")
    assert EnforcementAction.objects.count() == 1
    event = AuditEvent.objects.filter(verb="joint_form.correct").get()
    before, after = (event.payload[k][str(joint.market.item.pk)] for k in ("before", "after"))
    assert before["result"] == "不符合" and before["rectification"] == "十五日内完成定期检验"
    assert after == {"result": "符合", "finding": "", "rectification": "", "rectify_by": None}
    assert event.payload["reason"] == "误选为不符合，现场核查为合格"
    assert AuditEvent.objects.filter(verb="enforcement_action.correct").count() == 1


def test_a_correction_needs_a_reason_and_a_change(client, joint):
    _entered(client, joint, ItemResult.PASS)

    without_reason = client.post(
        form_url(joint, "results/correct/"), _row(joint.market.item, ItemResult.PASS)
    ).content.decode()
    unchanged = client.post(
        form_url(joint, "results/correct/"),
        {**_row(joint.market.item, ItemResult.PASS), "reason": "复核"},
    ).content.decode()

    assert "请说明更正的理由" in without_reason
    assert "与已录入的结果相同，没有需要更正的内容" in unchanged
    assert ItemCheck.objects.get().corrected_at is None
    assert not AuditEvent.objects.filter(verb="joint_form.correct").exists()


def test_nothing_to_correct_before_results_are_entered(client, joint):
    client.force_login(joint.market.admin)

    page = client.get(form_url(joint)).content.decode()
    response = client.post(
        form_url(joint, "results/correct/"),
        {**_row(joint.market.item, ItemResult.PASS), "reason": "更正"},
        follow=True,
    )

    assert 'id="correct"' not in page
    assert "尚未录入，请先录入" in response.content.decode()
    assert not ItemCheck.objects.exists()


def test_another_department_cannot_correct_our_results(client, joint):
    _entered(client, joint)
    client.force_login(joint.environment.admin)

    response = client.post(
        form_url(joint, "results/correct/"),
        {**_row(joint.market.item, ItemResult.PASS), "reason": "代为更正"},
        follow=True,
    )

    assert ItemCheck.objects.get().result == "finding"
    assert "尚未录入" in response.content.decode()  # its own lines are still empty


def test_only_departments_on_the_visit_may_post_results(client, joint, street):
    client.force_login(UserFactory(role=Role.STREET, street=street))

    response = client.post(form_url(joint, "results/"), _row(joint.market.item, ItemResult.PASS))

    assert response.status_code == 403
    assert not ItemCheck.objects.exists()


# ---------------------------------------------------------------- in the browser


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_department_enters_its_results_in_the_browser(page, live_server, street):
    from conftest import login

    # given a checked-in joint visit and the environment department's officer signed in
    joint = joint_visit_build(street)
    login(page, live_server, joint.environment.admin.username)
    page.goto(f"{live_server.url}{form_url(joint)}")
    prefix = f"#id_item-{joint.environment.item.pk}"

    # when the item is marked failing without a rectification
    page.check(f"{prefix}-result_1")
    page.click("#results-submit")

    # then the row says what is missing
    page.wait_for_selector("#results-errors")
    assert "不符合的事项须写明整改要求" in page.inner_text("#results")
    if os.environ.get("WURAO_SCREENSHOTS"):
        page.screenshot(path=str(SCREENSHOTS / "joint-form-errors.png"), full_page=True)

    # when the rectification and deadline are added
    page.fill(f"{prefix}-finding", "排放口未设标识牌")
    page.fill(f"{prefix}-rectification", "十日内设置排放口标识并提交监测报告")
    page.fill(f"{prefix}-rectify_by", (joint.visit.date + datetime.timedelta(days=10)).isoformat())
    page.click("#results-submit")

    # then the form shows the result in the table
    page.wait_for_selector(".form-line[data-result='fail']")
    assert "十日内设置排放口标识并提交监测报告" in page.inner_text("#form-table")
    if os.environ.get("WURAO_SCREENSHOTS"):
        page.screenshot(path=str(SCREENSHOTS / "joint-form.png"), full_page=True)

    # when the department finds it marked the wrong result and corrects it with a reason
    page.click("#correct summary")
    page.check(f"{prefix}-result_0")
    page.fill(f"{prefix}-rectification", "")
    page.fill(f"{prefix}-rectify_by", "")
    page.click("#correct-submit")
    page.wait_for_selector("#correct-errors, #correct [data-field='reason']")
    assert "请说明更正的理由" in page.inner_text("#correct")
    page.fill("#id_reason", "排放口标识已设置，现场误判")
    page.click("#correct-submit")

    # then the table shows the corrected result with its date and reason
    page.wait_for_selector(".form-line[data-result='pass']")
    assert "更正：排放口标识已设置，现场误判" in page.inner_text("#form-table")
    if os.environ.get("WURAO_SCREENSHOTS"):
        page.screenshot(path=str(SCREENSHOTS / "joint-form-corrected.png"), full_page=True)
