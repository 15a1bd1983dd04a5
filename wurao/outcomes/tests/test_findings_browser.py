"""The rectification path on a phone (390 px): an officer records a finding on an inspection and
issues the one-time notice; the enterprise sees it on its portal home and reports with a photo;
the officer closes it by a documentary check."""

import pytest
from playwright.sync_api import expect

from conftest import login
from wurao.outcomes.models import Rectification
from wurao.outcomes.tests.test_findings_support import JPEG, inspection, officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _phone(browser, live_server, username):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    login(tab, live_server, username)
    return context, tab


def _fits(tab) -> None:
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_finding_is_ordered_reported_on_the_portal_and_closed_on_a_phone(
    browser, live_server, settings, tmp_path, department, enterprise, enterprise_user
):
    # given an inspection of one item by the officer's department
    settings.MEDIA_ROOT = tmp_path
    user = officer(department, username="yj_inspector")
    action = inspection(department, enterprise, items=1)
    item = action.items.get()
    staff, desk = _phone(browser, live_server, user.username)

    # when the officer records the item as a finding with a hazard and a photo
    desk.goto(f"{live_server.url}/outcomes/actions/{action.pk}/")
    _fits(desk)
    desk.locator(f"#checks-form label[for='id_result_{item.pk}_1']").click()
    desk.fill(f"#id_description_{item.pk}", "二楼安全出口堆放杂物")
    desk.select_option(f"#id_hazard_{item.pk}", "1")
    desk.set_input_files(
        f"#id_photos_{item.pk}", {"name": "出口.jpg", "mimeType": "image/jpeg", "buffer": JPEG}
    )
    desk.click("#checks-save")
    expect(desk.locator("#notice-form")).to_be_visible()

    # and issues the notice: what to put right, by when (the proposed deadline), on what topic
    check = action.checks.get()
    desk.fill(f"#id_requirement_{check.pk}", "清理二楼安全出口杂物，保持畅通")
    desk.select_option(f"#id_topic_{check.pk}", "fire")
    desk.click("#notice-issue")
    expect(desk.locator("#notice-rectifications")).to_be_visible()
    _fits(desk)
    rectification = Rectification.objects.get()

    # then the enterprise, on its phone, finds it on its portal home and reports with a photo
    ent, phone = _phone(browser, live_server, enterprise_user.username)
    phone.goto(f"{live_server.url}/portal/")
    card = phone.locator("#portal-rectifications")
    expect(card).to_contain_text("待整改的问题")
    card.get_by_role("link", name=item.name).click()
    expect(phone.locator("#requirement")).to_have_text("清理二楼安全出口杂物，保持畅通")
    _fits(phone)
    phone.fill("#id_text", "已清理杂物，安全出口畅通")
    phone.set_input_files(
        "#id_files", {"name": "整改后.jpg", "mimeType": "image/jpeg", "buffer": JPEG}
    )
    phone.click("#report-submit")
    expect(phone.locator("#rectification-status")).to_contain_text("企业已报告整改")
    _fits(phone)
    ent.close()

    # and the officer reads the report and closes the rectification by a documentary check
    desk.goto(f"{live_server.url}/outcomes/rectifications/{rectification.pk}/")
    expect(desk.locator("#reports")).to_contain_text("已清理杂物")
    _fits(desk)
    desk.fill("#documentary_note", "整改后照片显示安全出口已畅通")
    desk.click("#close-documentary")
    expect(desk.locator("#closed-info")).to_contain_text("书面核查")
    _fits(desk)
    staff.close()
    rectification.refresh_from_db()
    assert (rectification.status, rectification.closed_how) == ("closed", "documentary")
