"""Lists on a 390 px phone read a line at a time, not a few characters a line: the monthly plans
(a department's entries and the bureau's overview) and the departments list, in a real browser
over the demo district. A table either becomes cards or scrolls inside its box; either way no
name is squeezed into a narrow column and nothing scrolls the page sideways.

Screenshots go to pytest's tmp_path (WURAO_PHONE_SHOTS=<dir> keeps them somewhere to look at).
"""

from pathlib import Path

import pytest

from conftest import login
from wurao.demo.data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# A name wrapped at fewer characters a line than this is squeezed (区应/急管/理局).
MIN_CHARACTERS_A_LINE = 6
FITS = {"wider than the phone": 0, "squeezed": [], "template text shown": False}

# Each run of text of at least that length in the table, and how many lines it takes.
_SQUEEZED = """([selector, least]) => {
  const found = [];
  for (const table of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(table.tBodies[0] || table, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      if (text.length < least || !node.parentElement.offsetParent) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1 && text.length / tops.size < least) found.push(`${text} (${tops.size} 行)`);
    }
  }
  return found.slice(0, 5);
}"""


def _on_a_phone(browser, live_server, username: str):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    login(page, live_server, username, DEMO_PASSWORD)
    return context, page


def _look(page, live_server, url: str, table: str, shot: Path) -> dict:
    page.goto(f"{live_server.url}{url}")
    assert page.locator(f"{table} tbody tr").count() > 0, f"{url}: no rows to look at"
    page.screenshot(path=str(shot), full_page=True)
    return {
        "wider than the phone": page.evaluate("document.documentElement.scrollWidth")
        - PHONE["width"],
        "squeezed": page.evaluate(_SQUEEZED, [table, MIN_CHARACTERS_A_LINE]),
        "template text shown": "{#" in page.inner_text("main"),
    }


def test_a_departments_monthly_plan_reads_on_a_phone(browser, live_server, district, shots):
    # given the emergency bureau's plan administrator on a phone, next month's plan filed
    context, page = _on_a_phone(browser, live_server, "yjj_admin")

    # when they open their plan
    seen = _look(page, live_server, "/planning/plans/", "#entry-table", shots / "plans-dept.png")

    # then the enterprises and the items checked read a line at a time
    assert seen == FITS
    context.close()


def test_the_bureaus_plans_and_the_departments_list_read_on_a_phone(
    browser, live_server, district, shots
):
    # given the justice bureau on a phone
    context, page = _on_a_phone(browser, live_server, "sfj")

    # when it opens the plans of every department, and the list of departments
    plans = _look(page, live_server, "/planning/plans/", "#plan-table", shots / "plans-all.png")
    departments = _look(
        page, live_server, "/catalogue/departments/", "#department-table", shots / "departments.png"
    )

    # then each department's name reads a line at a time
    assert plans == FITS
    assert departments == FITS
    context.close()
