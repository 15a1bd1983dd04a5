"""The supervision dashboard's tabs on a 390 px phone and at 1366 px, in a real browser over the
demo district, as the justice bureau, a department's administrator and a street: no page scrolls
sideways, no name or reason is squeezed into a narrow column, the long lists are cards on a phone
(a refusal, an override, an alert, a record, a department a card each), the charts fit the
screen, and no page runs to dozens of screens (the rule tab was 25,000 px tall on a phone).

Screenshots go to pytest's tmp_path (WURAO_PHONE_SHOTS=<dir> keeps them somewhere to look at).
"""

import re

import pytest

from conftest import login
from wurao.demo.data import DEMO_PASSWORD
from wurao.web.tests.conftest import district, shots  # noqa: F401 (fixtures)
from wurao.web.tests.test_phone_tables import _SQUEEZED, MIN_CHARACTERS_A_LINE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
# A tab longer than this many phone screens is a wall to scroll past.
MOST_SCREENS = 12
TABS = [
    "/oversight/",
    "/oversight/burden/",
    "/oversight/records/",
    "/oversight/rules/",
    "/oversight/grades/",
    "/oversight/departments/",
]
# The lists that are cards on a phone: a row shown as a flex box, not a table row.
CARDS = {
    "/oversight/burden/": "#top-enterprises",
    "/oversight/records/": "#records",
    "/oversight/rules/": "#refusal-table, #override-table, #alert-table",
    "/oversight/grades/": "#grade-contacts, #change-table",
    "/oversight/departments/": "#department-table",
}


def _slug(url: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-")


def _read(page, live_server, url: str, viewport: dict, shot) -> dict:
    """What a reader of the page notices: how far it scrolls sideways, which texts are squeezed,
    whether a chart sticks out, whether the lists are cards, and how many screens it takes."""
    response = page.goto(f"{live_server.url}{url}")
    assert response.status == 200, f"{url}: {response.status}"
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(shot), full_page=True)
    phone = viewport == PHONE
    charts = page.evaluate(
        "[...document.querySelectorAll('main .chart, main .panel-chart')]"
        ".map(c => Math.round(c.getBoundingClientRect().right))"
    )
    rows = None
    if phone and url in CARDS:
        rows = page.locator(", ".join(f"{table} tbody tr" for table in CARDS[url].split(", ")))
    displays = (
        set(rows.evaluate_all("rs => rs.map(r => getComputedStyle(r).display)")) if rows else set()
    )
    return {
        "wider than the screen": max(
            0, page.evaluate("document.documentElement.scrollWidth") - viewport["width"]
        ),
        "squeezed": page.evaluate(
            _SQUEEZED,
            ["main table", MIN_CHARACTERS_A_LINE],
        ),
        "charts past the edge": [r for r in charts if r > viewport["width"]],
        "rows not cards": sorted(displays - {"flex", "none"}),
        "too long": phone
        and page.evaluate("document.documentElement.scrollHeight")
        > MOST_SCREENS * viewport["height"],
    }


FITS = {
    "wider than the screen": 0,
    "squeezed": [],
    "charts past the edge": [],
    "rows not cards": [],
    "too long": False,
}


def _every_tab(browser, live_server, username: str, urls: list[str], shots) -> dict:  # noqa: F811
    misfits = {}
    for viewport in (PHONE, DESKTOP):
        phone = viewport == PHONE
        context = browser.new_context(
            locale="zh-CN", viewport=viewport, is_mobile=phone, has_touch=phone
        )
        context.set_default_timeout(20_000)
        page = context.new_page()
        login(page, live_server, username, DEMO_PASSWORD)
        for url in urls:
            shot = shots / f"oversight-{username}-{viewport['width']}-{_slug(url)}.png"
            seen = _read(page, live_server, url, viewport, shot)
            if seen != FITS:
                misfits[f"{username} {viewport['width']} {url}"] = seen
        context.close()
    return misfits


def test_the_bureau_reads_every_oversight_tab_on_a_phone_and_a_laptop(
    browser,
    live_server,
    district,  # noqa: F811
    shots,  # noqa: F811
):
    # given the justice bureau, on a 390 px phone and at 1366 px
    # when it opens each tab of the dashboard and the simulator's form
    misfits = _every_tab(browser, live_server, "sfj", [*TABS, "/oversight/simulator/"], shots)

    # then each reads without sideways scrolling, squeezed names or a wall of rows
    assert misfits == {}


def test_a_department_and_a_street_read_their_oversight_tabs_on_a_phone(
    browser,
    live_server,
    district,  # noqa: F811
    shots,  # noqa: F811
):
    # given the emergency bureau's administrator and the street of Fucheng
    # when each opens the tabs of their own slice of the records
    misfits = {}
    for username in ("yjj_admin", "fucheng"):
        misfits |= _every_tab(browser, live_server, username, TABS, shots)

    # then each reads as well as the bureau's
    assert misfits == {}
