"""The public disclosure pages (/public/) on a 390 px phone and at 1366 px, in a real browser over
the demo district, for a visitor who has not logged in: no page scrolls sideways, no item, legal
basis or department is squeezed into a narrow column, and on a phone each published row is a card
whose cells say what they are.

Screenshots go to pytest's tmp_path (WURAO_PHONE_SHOTS=<dir> keeps them somewhere to look at).
"""

import re

import pytest

from wurao.web.tests.conftest import district, shots  # noqa: F401 (fixtures)
from wurao.web.tests.test_phone_tables import _SQUEEZED, MIN_CHARACTERS_A_LINE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PAGES = [
    "/public/",
    "/public/items/",
    "/public/inspectors/",
    "/public/campaigns/",
    "/public/joint/",
    "/public/figures/",
]
FITS = {"wider than the screen": 0, "squeezed": [], "rows not cards": [], "unnamed figures": 0}


def _slug(url: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "home"


def _read(page, live_server, url: str, viewport: dict, shots) -> dict:  # noqa: F811
    response = page.goto(f"{live_server.url}{url}")
    assert response.status == 200, f"{url}: {response.status}"
    page.screenshot(
        path=str(shots / f"public-{viewport['width']}-{_slug(url)}.png"), full_page=True
    )
    phone = viewport == PHONE
    rows = page.locator("[data-disclosure-table] tbody tr")
    displays = set(rows.evaluate_all("rs => rs.map(r => getComputedStyle(r).display)"))
    # On a phone the column headings are hidden: every figure shows its own.
    unnamed = page.evaluate(
        "[...document.querySelectorAll('[data-disclosure-table] td.stack-fig2')]"
        ".filter(td => !td.querySelector('.stack-label')?.offsetParent).length"
    )
    return {
        "wider than the screen": max(
            0, page.evaluate("document.documentElement.scrollWidth") - viewport["width"]
        ),
        "squeezed": page.evaluate(_SQUEEZED, ["main table", MIN_CHARACTERS_A_LINE]),
        "rows not cards": sorted(displays - {"flex"}) if phone else [],
        "unnamed figures": unnamed if phone else 0,
    }


def _first_link(page, prefix: str) -> str:
    return page.locator(f"[data-disclosure-table] a[href^='{prefix}']").first.get_attribute("href")


def test_a_visitor_reads_every_public_page_on_a_phone_and_a_laptop(
    browser,
    live_server,
    district,  # noqa: F811
    shots,  # noqa: F811
):
    misfits = {}
    for viewport in (PHONE, DESKTOP):
        # given a visitor who has not logged in, on a 390 px phone and at 1366 px
        phone = viewport == PHONE
        context = browser.new_context(
            locale="zh-CN", viewport=viewport, is_mobile=phone, has_touch=phone
        )
        context.set_default_timeout(20_000)
        page = context.new_page()

        # when they open each public page, a department's inspection items, and look up the
        # badge of a department's first inspector
        page.goto(f"{live_server.url}/public/items/")
        items_url = _first_link(page, "/public/items/")
        page.goto(f"{live_server.url}/public/inspectors/")
        people_url = _first_link(page, "/public/inspectors/")
        page.goto(f"{live_server.url}{people_url}")
        badge = page.locator("[data-disclosure-table] tbody tr td").first.inner_text().split()[-1]
        for url in [*PAGES, items_url, people_url, f"/public/inspectors/?badge={badge}"]:
            seen = _read(page, live_server, url, viewport, shots)
            if seen != FITS:
                misfits[f"{viewport['width']} {url}"] = seen
        context.close()

    # then none scrolls sideways, squeezes a name, or shows a figure without its heading
    assert misfits == {}
