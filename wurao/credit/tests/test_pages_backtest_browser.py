"""The backtest page in a real browser on a 390 px phone: the bureau runs a backtest and a
calibration from the table versions' list; the list, the figures, the chart and the draft's report
fit the screen, and no table squeezes its text to a few characters a line (the checks of
wurao/web/tests/test_phone_layout.py)."""

import pytest

from conftest import login
from wurao.credit.tests.backtest_support import history_build
from wurao.web.tests.test_phone_tables import _SQUEEZED, MIN_CHARACTERS_A_LINE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits(page) -> dict:
    return {
        "wider than the phone": page.evaluate("document.documentElement.scrollWidth")
        - PHONE["width"],
        "squeezed": page.evaluate(_SQUEEZED, ["main table", MIN_CHARACTERS_A_LINE]),
    }


def test_the_bureau_backtests_and_calibrates_on_a_phone(
    browser, live_server, justice_user, street, department, tmp_path
):
    # given two years of inspections, and the bureau on a phone
    history_build(street=street, department=department, actor=justice_user)
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    login(page, live_server, justice_user.username)

    # when it opens the page from the table versions and runs the backtest as prefilled
    page.goto(f"{live_server.url}/credit/tables/")
    assert _fits(page) == {"wider than the phone": 0, "squeezed": []}  # versions as cards
    page.click("#table-backtest")
    page.click("#backtest-submit")
    page.locator("#backtest-result").wait_for()

    # then both tables' figures and the chart are there, and the page fits the phone
    assert page.locator("#backtest-measures tbody tr").count() == 12
    page.locator("#backtest-grade-chart svg").wait_for()
    page.screenshot(path=str(tmp_path / "backtest-phone.png"), full_page=True)
    assert _fits(page) == {"wider than the phone": 0, "squeezed": []}

    # when it calibrates, the draft's report shows and fits too
    page.click("#calibrate-submit")
    page.locator("#draft-report").wait_for()
    page.locator("#draft-grade-chart svg").wait_for()
    assert page.locator("#draft-kinds tbody tr").count() > 0
    assert page.locator("#draft-table tbody tr").count() == 1
    page.screenshot(path=str(tmp_path / "calibration-phone.png"), full_page=True)
    assert _fits(page) == {"wider than the phone": 0, "squeezed": []}

    # and adopting it opens the editor of a new version
    page.click("#adopt-draft")
    assert page.locator("#table-form").count() == 1
    context.close()
