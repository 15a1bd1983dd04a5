"""An enterprise completes a short self-inspection on a phone (390 px), item by item."""

import pytest
from playwright.sync_api import expect

from conftest import login
from wurao.selfcheck.models import SelfInspection
from wurao.selfcheck.tests.factories import items_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_enterprise_completes_a_self_inspection_on_a_phone(
    page, live_server, settings, tmp_path, enterprise_user, department
):
    # given three items that apply, and an enterprise user on a phone
    settings.MEDIA_ROOT = tmp_path
    items_for(department, 3, check_points="安全出口畅通\n灭火器在有效期内")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, enterprise_user.username)

    # when it starts a self-inspection of every item
    page.goto(f"{live_server.url}/selfcheck/")
    page.click("#start-link")
    page.get_by_role("button", name="生成自查清单").click()
    assert page.locator("#progress-count").inner_text() == "0/3"
    page.click("#next-link")

    # and answers item by item: a problem with a fix and a photo, then two compliant
    assert "灭火器在有效期内" in page.inner_text("body")
    # (the page's script hides the fix's fields once it has run: wait for it)
    expect(page.locator("#fix-fields")).to_be_hidden()
    page.locator("label", has_text="发现问题").click()
    expect(page.locator("#fix-fields")).to_be_visible()
    page.fill("#id_note", "一具灭火器过期")
    page.fill("#id_fix_action", "已更换")
    page.set_input_files(
        "#id_photos",
        {"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff\xe0" + b"\0" * 64},
    )
    page.click("#save-button")
    for _ in range(2):
        page.locator("label", has_text="符合").first.click()
        page.click("#save-button")

    # then the checklist shows 3/3 and it completes it
    assert page.locator("#progress-count").inner_text() == "3/3"
    page.click("#complete-button")
    assert "自查已完成" in page.inner_text("body")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    inspection = SelfInspection.objects.get()
    assert inspection.status == "completed"
    assert inspection.entries.filter(result="problem").get().photos.count() == 1
