"""On a phone (390 px): an enterprise books a check-up and finds it in its bookings."""

import pytest

from conftest import login
from wurao.bookings.tests.factories import SlotFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_enterprise_books_a_check_up_on_a_phone(browser, live_server, enterprise_user, team):
    # Given a check-up slot of the district's safety team
    slot = SlotFactory(team=team, topic="仓储企业消防隐患体检", capacity=3)
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        login(page, live_server, enterprise_user.username)

        # When it filters the slots to check-ups and books one
        page.goto(f"{live_server.url}/bookings/?kind=checkup")
        assert "不作为处罚或信用扣分的依据" in page.locator("#not-an-inspection").inner_text()
        card = page.locator(f'#slot-list [data-slot="{slot.pk}"]')
        card.get_by_role("link", name="预约").click()
        page.fill("#id_note", "仓库消防通道和电气线路")
        page.fill("#id_people", "2")
        page.click("#book-submit")
        assert "待确认" in page.locator("[data-status]").first.inner_text()

        # Then its bookings show it among the upcoming ones, and nothing overflows the phone
        page.goto(f"{live_server.url}/bookings/mine/")
        row = page.locator("#upcoming .booking-row[data-kind=checkup]")
        assert row.count() == 1 and "仓储企业消防隐患体检" in row.inner_text()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
    finally:
        context.close()
