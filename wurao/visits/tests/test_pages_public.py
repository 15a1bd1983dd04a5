"""The public code check (/v/): anyone, without signing in, learns whether a visit code is good
today, who is coming and on what basis, and when the enterprise may refuse the visit."""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.registry.tests.factories import DepartmentFactory, InspectorFactory
from wurao.visits.choices import VisitStatus
from wurao.visits.tests.factories import NonEnforcementVisitFactory, VisitFactory

pytestmark = pytest.mark.django_db

REFUSE = "企业有权拒绝"


def _sentence(page: str) -> str:
    """The sentence under the state: what the person holding the phone reads first."""
    return re.search(r'id="code-sentence">(.*?)</p>', page, re.S).group(1)


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def _today():
    return timezone.localdate()


def _visit(**extra):
    department = extra.pop("department", None) or DepartmentFactory(name="区应急管理局")
    officers = extra.pop("officers", None) or [
        InspectorFactory(
            name="李明",
            badge_no="44030900011",
            department=department,
            certificate_valid_until=datetime.date(2030, 12, 31),
        ),
        InspectorFactory(
            name="陈静",
            badge_no="44030900012",
            department=department,
            certificate_valid_until=datetime.date(2030, 12, 31),
        ),
    ]
    items = [
        InspectionItemFactory(
            department=department,
            name="安全生产责任制落实情况",
            law="中华人民共和国安全生产法",
            article="第二十二条",
        )
    ]
    extra.setdefault("date", _today())
    extra.setdefault("status", VisitStatus.REGISTERED)
    return VisitFactory(
        code="ABCDEFGH",
        department=department,
        officers=officers,
        items=items,
        approver="张科长",
        approval_ref="龙应急审〔2026〕12号",
        **extra,
    )


def test_a_valid_code_shows_who_comes_for_what_on_whose_approval(client):
    # given a visit registered and approved for today
    visit = _visit(enterprise__name="深圳市福城精密制造有限公司")

    # when anyone opens its code's page, without signing in
    response = client.get("/v/ABCDEFGH/")

    # then the page says the code is valid, and shows the visit's facts
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-state="valid"' in page
    assert "请核对执法人员的执法证后配合检查" in _sentence(page)
    assert REFUSE not in _sentence(page)
    assert "深圳市福城精密制造有限公司" in page
    assert "区应急管理局" in page
    assert "李明" in page and "44030900011" in page and "有效期至 2030-12-31" in page
    assert "安全生产责任制落实情况" in page
    assert "《中华人民共和国安全生产法》第二十二条" in page
    assert "计划检查" in page
    assert "张科长" in page and "龙应急审〔2026〕12号" in page
    assert visit.date.isoformat() in page


@pytest.mark.parametrize(
    ("status", "days", "state", "sentence"),
    [
        (VisitStatus.REGISTERED, 3, "not_yet", "今天不是登记的日期，企业有权拒绝检查"),
        (VisitStatus.IN_PROGRESS, 0, "in_progress", "检查正在进行中"),
        (VisitStatus.COMPLETED, -1, "completed", "本次入企已经结束，该入企码不能再次使用"),
        (VisitStatus.REGISTERED, -2, "expired", "该入企码已过期"),
        (VisitStatus.CANCELLED, 0, "cancelled", "该入企码已撤销或未获批准，企业有权拒绝检查"),
        (VisitStatus.REJECTED, 0, "cancelled", "该入企码已撤销或未获批准，企业有权拒绝检查"),
        (VisitStatus.PENDING_OVERRIDE, 0, "pending", "尚未经第二审批人批准，企业有权拒绝检查"),
    ],
)
def test_each_code_state_says_plainly_what_the_enterprise_may_do(
    client, status, days, state, sentence
):
    # given a visit in some state
    _visit(status=status, date=_today() + datetime.timedelta(days=days))

    # when its code is checked
    page = client.get("/v/ABCDEFGH/").content.decode()

    # then the state and its sentence are shown
    assert f'data-state="{state}"' in page
    assert sentence in _sentence(page)


@pytest.mark.parametrize(
    ("status", "decided", "said"),
    [
        (VisitStatus.PENDING_OVERRIDE, False, "突破规则的申请尚待第二审批人审批"),
        (VisitStatus.REGISTERED, True, "已说明理由并经第二审批人批准"),
        (VisitStatus.REJECTED, True, "突破规则的申请未获第二审批人批准"),
    ],
)
def test_an_override_is_described_as_its_second_approver_decided(client, status, decided, said):
    # given a registration over the department cap whose override is pending, approved or refused
    _visit(
        status=status,
        violations=[
            {"rule": "department_cap", "label": "本部门年度检查上限", "message": "", "visits": []}
        ],
        override_reason="群众反映强烈",
        override_decided_at=timezone.now() if decided else None,
    )

    # when its code is checked
    approval = re.search(
        r'id="visit-override">(.*?)</p>', client.get("/v/ABCDEFGH/").content.decode()
    )

    # then the approval card says what the second approver did, and names the rule broken
    assert said in approval.group(1) and "本部门年度检查上限" in approval.group(1)


def test_a_joint_visit_without_its_officers_or_approval_may_be_refused(client):
    # given a joint visit today as the street confirmed it: no approval, no officers named
    department = DepartmentFactory(name="区应急管理局")
    VisitFactory(
        code="ABCDEFGH",
        department=department,
        departments=[department, DepartmentFactory(name="区市场监管局")],
        date=_today(),
        status=VisitStatus.REGISTERED,
        officers=[],
        approver="",
        approval_ref="",
        approved_on=None,
    )

    # when its code is checked
    page = client.get("/v/ABCDEFGH/").content.decode()

    # then the enterprise is told it may refuse, and why
    assert 'data-state="incomplete"' in page
    assert "尚未备齐执法人员或行政检查审批" in _sentence(page) and REFUSE in _sentence(page)


def test_an_unknown_code_says_the_enterprise_may_refuse_and_looks_the_same_for_any_code(client):
    # given a registered visit, and two codes that are not it
    _visit()

    # when unknown codes are checked
    first = client.get("/v/ZZZZZZZZ/")
    second = client.get("/v/QQQQ2222/")

    # then each says plainly the code is invalid, and the pages differ only by the code typed
    page = first.content.decode()
    assert first.status_code == 404
    assert "查无此码" in page
    assert "该入企码无效，企业有权拒绝检查" in _sentence(page)
    assert "区应急管理局" not in page
    assert _main(page).replace("ZZZZ-ZZZZ", "") == _main(second.content.decode()).replace(
        "QQQQ-2222", ""
    )


def test_a_code_typed_in_lower_case_with_a_dash_finds_the_visit(client):
    _visit()

    # when a person types the code as they read it
    response = client.get("/v/", {"code": " abcd-efgh "}, follow=True)

    # then they land on the code's page
    assert response.redirect_chain[-1][0] == "/v/ABCDEFGH/"
    assert 'data-state="valid"' in response.content.decode()


def test_a_scanned_address_pasted_into_the_form_finds_the_visit(client):
    _visit()

    response = client.get("/v/", {"code": "https://wurao.example/v/ABCDEFGH/"}, follow=True)

    assert response.redirect_chain[-1][0] == "/v/ABCDEFGH/"


def test_a_code_in_the_address_in_lower_case_is_normalised(client):
    _visit()

    response = client.get("/v/abcd-efgh/", follow=True)

    assert response.redirect_chain[-1][0] == "/v/ABCDEFGH/"


def test_an_empty_code_asks_for_one(client):
    page = client.get("/v/", {"code": " - "}).content.decode()

    assert 'data-field="code"' in page
    assert "请输入入企码" in page


def test_an_expired_certificate_is_flagged(client):
    department = DepartmentFactory()
    officers = [
        InspectorFactory(
            department=department,
            name="过期员",
            certificate_valid_until=_today() - datetime.timedelta(days=1),
        ),
        InspectorFactory(department=department, certificate_valid_until=None),
    ]
    _visit(department=department, officers=officers)

    page = client.get("/v/ABCDEFGH/").content.decode()

    assert "执法证已过期" in page
    assert "officer-expired" in page
    assert "未登记执法证有效期" in page


def test_a_non_enforcement_visit_says_it_is_not_an_inspection(client):
    NonEnforcementVisitFactory(code="NNNN2345", date=_today(), status=VisitStatus.REGISTERED)

    page = client.get("/v/NNNN2345/").content.decode()

    assert "本次为非执法入企，不是行政检查" in page
    assert "工会" in page


def test_the_qr_code_carries_the_code_page_address(client):
    _visit()

    response = client.get("/v/ABCDEFGH/qr.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<svg")


def test_check_in_and_check_out_times_are_shown(client):
    at = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30))
    _visit(
        status=VisitStatus.COMPLETED,
        checked_in_at=at,
        checked_out_at=at + datetime.timedelta(hours=2),
    )

    page = client.get("/v/ABCDEFGH/").content.decode()

    assert "2026-03-02 09:30" in page and "2026-03-02 11:30" in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_code_page_reads_on_a_phone(browser, live_server):
    # given a visit today, checked on a phone-sized screen
    _visit(enterprise__name="深圳市福城精密制造有限公司")
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=2
    )
    page = context.new_page()
    try:
        # when the enterprise types the code it was shown
        page.goto(f"{live_server.url}/v/")
        page.fill("#id_code", "abcd-efgh")
        page.click("#code-lookup button")
        page.wait_for_url("**/v/ABCDEFGH/")

        # then the state is big and the page fits the screen's width
        assert page.inner_text(".code-state-label") == "有效"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        if os.environ.get("WURAO_SCREENSHOTS"):
            Path("docs/screenshots").mkdir(parents=True, exist_ok=True)
            page.screenshot(path="docs/screenshots/visits-verify.png", full_page=True)
    finally:
        context.close()
