"""Every page each role and a visitor reach from the menu, on a 390 px phone, in a real browser
over the demo district at a small scale: none is wider than the screen, no table squeezes a
name or a reason to a few characters a line (its rows are cards, or it scrolls inside its box
with room for the text), the inspector's main action is one tap from home, and every menu
entry of every role is in sight or one tap away at 1280 px and on a phone, in Chinese and in
English.

Screenshots go to pytest's tmp_path (WURAO_PHONE_SHOTS=<dir> keeps them somewhere to look at).
"""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from conftest import login
from wurao.demo.data import DEMO_PASSWORD
from wurao.web.templatetags.wurao_menu import menu_for
from wurao.web.tests.test_phone_tables import _SQUEEZED, MIN_CHARACTERS_A_LINE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
ROLES = ("sfj", "yjj_admin", "yjj_inspector", "fucheng", "qiye")


def _context(browser, viewport):
    phone = viewport == PHONE
    context = browser.new_context(
        locale="zh-CN", viewport=viewport, is_mobile=phone, has_touch=phone
    )
    context.set_default_timeout(15_000)
    return context


def _overflow(page, viewport=PHONE) -> int:
    """How many pixels the page is wider than the screen (0 when nothing scrolls sideways).

    Measured against the device's width, not window.innerWidth: a phone (is_mobile) widens
    its layout viewport to fit a page that is too wide, and innerWidth grows with it."""
    return page.evaluate("document.documentElement.scrollWidth") - viewport["width"]


# What sticks out past the screen's right edge (not inside a box that scrolls), innermost
# first: for the failure message.
_WIDEST = """width => {
  const out = e => e.getBoundingClientRect().right > width + 1;
  const clipped = e => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  return [...document.querySelectorAll("body *")]
    .filter(e => out(e) && !clipped(e) && ![...e.children].some(out))
    .slice(0, 3)
    .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + "." + e.classList.value);
}"""


def _menu_urls(user) -> list[str]:
    return [e.url for g in menu_for(user) for e in g.entries]


def _slug(url: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "home"


def _open_each(page, live_server, username: str, urls: list[str], shots: Path) -> dict:
    """Open each page, keep a screenshot of it, and say which ones are wider than the phone
    (and what sticks out) or squeeze a table's text (the first few texts)."""
    misfits = {}
    for url in urls:
        response = page.goto(f"{live_server.url}{url}")
        assert response.status < 400, f"{username} {url}: {response.status}"
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(shots / f"{username}-{_slug(url)}.png"), full_page=True)
        if (extra := _overflow(page)) > 0:
            misfits[f"{username} {url}"] = (extra, page.evaluate(_WIDEST, PHONE["width"]))
        if squeezed := page.evaluate(_SQUEEZED, ["main table", MIN_CHARACTERS_A_LINE]):
            misfits[f"{username} {url} squeezed"] = squeezed
    return misfits


def test_every_page_of_an_enterprise_fits_a_phone(browser, live_server, district, shots):
    # given the demo district's enterprise liaison on a 390 px phone
    user = get_user_model().objects.get(username="qiye")
    context = _context(browser, PHONE)
    page = context.new_page()
    login(page, live_server, user.username, DEMO_PASSWORD)

    # when they open their home, each page their menu offers, and a visit's check page
    too_wide = _open_each(page, live_server, user.username, ["/", *_menu_urls(user)], shots)
    page.goto(f"{live_server.url}/visits/mine/")
    visit = page.locator("main a[href^='/v/']").first.get_attribute("href")
    too_wide |= _open_each(page, live_server, user.username, [visit], shots)

    # then none of them scrolls sideways or squeezes a table
    assert too_wide == {}
    context.close()


@pytest.mark.parametrize("username", ["sfj", "yjj_admin", "fucheng"])
def test_every_page_of_the_other_roles_fits_a_phone(
    browser, live_server, district, shots, username
):
    # given the justice bureau, a department's administrator or a street coordinator on a phone
    user = get_user_model().objects.get(username=username)
    context = _context(browser, PHONE)
    page = context.new_page()
    login(page, live_server, user.username, DEMO_PASSWORD)

    # when they open their home and each page their menu offers
    misfits = _open_each(page, live_server, user.username, ["/", *_menu_urls(user)], shots)

    # then none scrolls sideways or squeezes a table
    assert misfits == {}
    context.close()


def test_every_public_page_fits_a_phone(browser, live_server, district, shots):
    # given a visitor who has not logged in, on a 390 px phone
    context = _context(browser, PHONE)
    page = context.new_page()

    # when they open each page of the public menu
    misfits = _open_each(page, live_server, "visitor", _menu_urls(AnonymousUser()), shots)

    # then none scrolls sideways or squeezes a table
    assert misfits == {}
    context.close()


def test_an_inspector_on_a_phone_registers_one_tap_from_home(browser, live_server, district, shots):
    # given the demo inspector on a 390 px phone
    user = get_user_model().objects.get(username="yjj_inspector")
    context = _context(browser, PHONE)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, live_server, user.username, DEMO_PASSWORD)

    # when they open each page their menu offers and today's first visit, then none of them
    # scrolls sideways
    urls = _menu_urls(user)
    page.goto(f"{live_server.url}/visits/")
    urls.append(page.locator("#visit-table a.visit-code").first.get_attribute("href"))
    assert _open_each(page, live_server, user.username, urls, shots) == {}

    # when they come home, the recent records are cards
    page.goto(f"{live_server.url}/")
    recent = page.locator("#recent-actions tbody tr")
    assert recent.count() > 0
    assert recent.first.evaluate("r => getComputedStyle(r).display") == "flex"

    # and one tap on the big button opens the registration form
    page.click("#home-primary-action")
    page.wait_for_url("**/visits/new/", wait_until="load")
    assert _overflow(page) <= 0
    page.screenshot(path=str(shots / f"{user.username}-visits-new.png"), full_page=True)

    # where typing part of a name leaves only the officers who match
    officers = page.locator("#id_officers .officer-choice")
    wanted = officers.first.get_attribute("data-filter-text").split()[0]
    page.fill("#officer-filter", wanted)
    shown = [t for t in officers.all() if t.is_visible()]
    assert 0 < len(shown) < officers.count()
    assert all(wanted in row.get_attribute("data-filter-text") for row in shown)

    # and a day years ahead greys out every officer whose certificate ends before it
    page.fill("#officer-filter", "")
    page.fill("#id_day", "2099-12-31")
    page.dispatch_event("#id_day", "change")
    ending = page.locator("#id_officers input[data-valid-until]")
    assert ending.count() > 0
    assert all(box.is_disabled() for box in ending.all())
    assert page.locator("#id_officers .officer-expired:visible").count() == ending.count()

    # and a day in the past asks for the late reason, without an error in the console
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.fill("#id_day", yesterday.isoformat())
    page.dispatch_event("#id_day", "change")
    page.wait_for_selector("#id_late_reason")
    assert errors == []
    context.close()


def _out_of_reach(page, urls: list[str], *, phone: bool, shot: Path) -> list[str]:
    """The menu's links not in sight even after one tap: on a phone the menu button, which
    must show them all; at 1280 px the link's group, one group at a time."""
    links = {url: page.locator(f"#wurao-menu a[href='{url}']").first for url in urls}
    if phone:
        page.click("#menu-toggle")
        page.locator("#wurao-menu.show:not(.showing)").wait_for()
        # and until its slide-in has ended: on a busy machine Bootstrap's fallback timer can
        # mark it shown while the transition still moves it in from the side
        page.wait_for_function(_settled, arg="#wurao-menu")
        page.screenshot(path=str(shot))
        lost = [url for url, a in links.items() if not _in_sight(a)]
        page.click("#wurao-menu .btn-close")
        page.locator("#wurao-menu.show, #wurao-menu.hiding").wait_for(state="detached")
        return lost
    page.screenshot(path=str(shot))
    lost = []
    for url, link in links.items():
        if _in_sight(link):
            continue
        toggle = link.locator("xpath=ancestor::li[contains(@class,'dropdown')]/button")
        if toggle.count() != 1:
            lost.append(url)
            continue
        toggle.click()
        if not _in_sight(link):
            lost.append(url)
        page.keyboard.press("Escape")
    return lost


_settled = """selector => {
  const menu = document.querySelector(selector);
  return menu.getAnimations({subtree: true}).every(a => a.playState !== "running");
}"""


def _in_sight(link) -> bool:
    return link.count() == 1 and link.is_visible() and link.evaluate(_inside_the_screen)


_inside_the_screen = """a => {
  const box = a.getBoundingClientRect();
  return box.left >= 0 && box.right <= window.innerWidth && box.width > 0;
}"""


def _menu_rows(page) -> int:
    return page.evaluate(
        "new Set([...document.querySelectorAll('.wurao-menu > .nav-item')]"
        ".filter(li => li.offsetWidth > 0)"
        ".map(li => li.getBoundingClientRect().top)).size"
    )


def test_every_menu_entry_of_every_role_is_one_tap_away(browser, live_server, district, shots):
    # given each demo role, and a visitor who has not logged in, one browser each
    users = [get_user_model().objects.get(username=name) for name in ROLES]
    missing, too_wide = [], []
    for user in [*users, AnonymousUser()]:
        who = getattr(user, "username", "") or "visitor"
        context = _context(browser, DESKTOP)
        page = context.new_page()
        if user.is_authenticated:
            login(page, live_server, user.username, DEMO_PASSWORD)
        urls = _menu_urls(user)
        assert urls, f"{who} has an empty menu"
        for language in ("zh-hans", "en"):
            cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language}
            context.add_cookies([cookie | {"url": live_server.url}])
            for viewport in (DESKTOP, PHONE):
                # when they open a page everyone may open, in each language and at each width
                page.set_viewport_size(viewport)
                page.goto(f"{live_server.url}/v/")
                assert page.locator("html").get_attribute("lang") == language
                # then each entry of their menu is in sight or one tap away
                shot = shots / f"menu-{language}-{viewport['width']}-{who}.png"
                phone = viewport == PHONE
                for url in _out_of_reach(page, urls, phone=phone, shot=shot):
                    missing.append((language, viewport["width"], who, url))
                # and neither the page nor the menu bar is wider than the screen, nor does the
                # bar wrap onto a second line at 1280 px
                if _overflow(page, viewport) > 0 or (not phone and _menu_rows(page) != 1):
                    too_wide.append((language, viewport["width"], who))
        context.close()
    assert missing == []
    assert too_wide == []


def test_a_visitor_switches_the_language_on_a_public_page(browser, live_server):
    # given a visitor on the public draws page on a phone, in Chinese
    context = _context(browser, PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/public/draws/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"

    # when they tap "English"
    page.click(".language-switch button")

    # then the same page comes back in English, with the way back to Chinese
    assert page.url.endswith("/public/draws/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".language-switch button").inner_text().strip() == "中文"
    context.close()
