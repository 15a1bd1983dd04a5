"""Shared fixtures: one signed-in user per role, each anchored to its own department, street or enterprise."""

import datetime
import os

import pytest
import time_machine
from django.conf import settings
from django.utils import translation

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, StreetFactory

PASSWORD = "pass-12345"


def pytest_addoption(parser):
    parser.addoption(
        "--calendar-day",
        metavar="YYYY-MM-DD",
        help="run the suite as if today were this day (finds tests written for a fixed day)",
    )


def pytest_configure(config):
    day = config.getoption("--calendar-day")
    if day:
        _beijing_morning(datetime.date.fromisoformat(day)).start()


def _beijing_morning(day: datetime.date):
    """A clock that starts at 09:00 Beijing time on `day` and moves on."""
    start = datetime.datetime.combine(
        day, datetime.time(9), datetime.timezone(datetime.timedelta(hours=8))
    )
    return time_machine.travel(start, tick=True)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the platform's default language: a request in English (a test
    of the English pages) leaves its language active in the thread, and a form or service
    built outside a request afterwards would speak English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _written_for_day(request):
    """`@pytest.mark.today("2026-12-07")`: the test runs on that day, its clock moving from
    09:00 Beijing time. Tests that file next month's plans or name certificates valid until a
    fixed date were written for a day; without it they would start failing once the calendar
    passes their dates (a plan for March is locked after 25 February)."""
    marker = request.node.get_closest_marker("today")
    if marker is None:
        yield
        return
    with _beijing_morning(datetime.date.fromisoformat(marker.args[0])):
        yield


@pytest.fixture
def street():
    return StreetFactory(name="福城街道", code="440309005")


@pytest.fixture
def department():
    return DepartmentFactory(name="区应急管理局", code="YJ")


@pytest.fixture
def enterprise(street):
    return EnterpriseFactory(street=street)


@pytest.fixture
def justice_user(db):
    return UserFactory(username="sfj", role=Role.JUSTICE, first_name="司法局监督员")


@pytest.fixture
def dept_admin(department):
    return UserFactory(username="yj_admin", role=Role.DEPT_ADMIN, department=department)


@pytest.fixture
def street_user(street):
    return UserFactory(username="fc_street", role=Role.STREET, street=street)


@pytest.fixture
def enterprise_user(enterprise):
    return UserFactory(username="ent_user", role=Role.ENTERPRISE, enterprise=enterprise)


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# [hardening] deploy: every page a browser test opens is held to the Content-Security-Policy.
# Chromium reports each violation on the console ("... violates the following Content Security
# Policy directive ..."); the page's securitypolicyviolation event says it again, with where.
CSP_VIOLATIONS: list[str] = []
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", (e) => console.error(
  `Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
  + ` at ${e.sourceFile}:${e.lineNumber} on ${location.pathname}`));"""


class CspWatchingBrowser:
    """The browser, with every context it opens reporting CSP violations to CSP_VIOLATIONS."""

    def __init__(self, chromium):
        self._chromium = chromium

    def new_context(self, **options):
        context = self._chromium.new_context(**options)
        context.add_init_script(CSP_LISTENER)
        context.on("console", self._console)
        return context

    @staticmethod
    def _console(message) -> None:
        if "Content Security Policy" in message.text:
            CSP_VIOLATIONS.append(message.text)

    def __getattr__(self, name):
        return getattr(self._chromium, name)


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (Playwright's own browser download cannot run here)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, which trips Django's
    # async-safety guard for every ORM call the tests make afterwards; those calls are synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield CspWatchingBrowser(chromium)
        chromium.close()


@pytest.fixture(autouse=True)
def _no_csp_violations(request):
    """A browser test fails when any page it opened broke the Content-Security-Policy."""
    if "browser" not in request.fixturenames:
        yield
        return
    CSP_VIOLATIONS.clear()
    yield
    violations = list(dict.fromkeys(CSP_VIOLATIONS))
    CSP_VIOLATIONS.clear()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def login(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
