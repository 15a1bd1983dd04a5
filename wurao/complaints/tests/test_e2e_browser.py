"""A frightened person on a phone (390 px): files an anonymous complaint without signing in,
writes down the receipt and secret, and later follows the case and rates the answer."""

import pytest

from conftest import login
from wurao.complaints import services
from wurao.complaints.choices import Finding
from wurao.complaints.models import Complaint
from wurao.registry.tests.factories import InspectorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _phone(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    return context


def _no_sideways_scroll(tab) -> None:
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_an_anonymous_complaint_filed_on_a_phone_is_followed_by_its_receipt(
    browser, live_server, justice_user
):
    officer = InspectorFactory()
    context = _phone(browser)
    try:
        tab = context.new_page()
        # When anyone opens the public form on a phone and files anonymously
        tab.goto(f"{live_server.url}/complaints/new/")
        _no_sideways_scroll(tab)
        tab.select_option("#id_category", "bribery")
        tab.fill("#id_badge_no", officer.badge_no)
        tab.fill("#id_description", "检查时暗示要请吃饭。")
        tab.click("#complaint-new button[type=submit]")
        receipt = tab.locator("#receipt").inner_text().strip()
        secret = tab.locator("#secret").inner_text().strip()
        _no_sideways_scroll(tab)
        assert receipt.startswith("TS") and len(secret) == 12
    finally:
        context.close()
    # and the office accepts and answers
    complaint = Complaint.objects.get(receipt=receipt)
    assert complaint.anonymous and complaint.department == officer.department
    services.complaint_accept(actor=justice_user, complaint=complaint, accept=True)
    services.complaint_answer(
        actor=justice_user,
        complaint=complaint,
        finding=Finding.SUBSTANTIATED,
        answer="属实，已处理。",
    )
    # Then on another phone the receipt and secret open the case and its answer
    context = _phone(browser)
    try:
        tab = context.new_page()
        tab.goto(f"{live_server.url}/complaints/track/")
        tab.fill("#id_receipt", receipt.lower())
        tab.fill("#id_secret", secret)
        tab.click("#track button[type=submit]")
        assert "属实，已处理" in tab.locator("#answer").inner_text()
        _no_sideways_scroll(tab)
        # and the filer rates it
        tab.check("#rate input[value='4']")
        tab.click("#rate button[type=submit]")
        assert tab.locator("[data-status=closed]").count() == 1
    finally:
        context.close()


def test_the_office_queue_and_detail_fit_a_phone(browser, live_server, justice_user):
    services.complaint_file(
        category="attitude", description="态度差", officer=InspectorFactory(), anonymous=True
    )
    context = _phone(browser)
    try:
        tab = context.new_page()
        login(tab, live_server, justice_user.username)
        tab.goto(f"{live_server.url}/complaints/office/")
        _no_sideways_scroll(tab)
        tab.locator("#complaint-queue a").first.click()
        tab.wait_for_url("**/complaints/office/*/", wait_until="load")
        assert tab.locator("#office-detail").count() == 1
        _no_sideways_scroll(tab)
    finally:
        context.close()
