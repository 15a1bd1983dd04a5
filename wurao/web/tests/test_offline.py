"""Works offline: on a government intranet nothing outside the platform is reachable, so no page
may ask another host for anything (a CDN script, a web font, a map tile). Each role opens its
representative pages in a real browser that records every request the page makes; any request
to a host other than the platform's fails the test. The API docs must also actually render (a
blank page, as a CDN-loaded Redoc gives offline, fails)."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from conftest import PASSWORD, login
from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.enforcement.choices import ActionKind, Origin
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.visits.choices import VisitStatus
from wurao.visits.tests.factories import VisitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    "/",
    "/login/",
    "/public/draws/",
    "/public/planning/",
    "/public/planning/park-days/",
]
COORDINATION_PAGES = ["/planning/schedule/", "/planning/park-days/"]


class Outside:
    """Every request a browser context makes to a host that is not the live server (and, to
    show the pages loaded what they should, the paths it asked of the live server)."""

    def __init__(self, context, live_server_url: str):
        self.home = urlsplit(live_server_url).netloc
        self.requests: list[str] = []
        self.local: list[str] = []
        context.on("request", self._seen)

    def _seen(self, request) -> None:
        url = urlsplit(request.url)
        # data: and blob: URLs are made inside the page; everything else goes over the network.
        if url.scheme in ("data", "blob") or url.netloc == self.home:
            self.local.append(url.path)
        else:
            self.requests.append(f"{request.resource_type} {request.url}")


def _browse(browser, live_server, paths: list[str], *, username: str | None = None) -> Outside:
    """Open each page as `username` (anonymous when None) and wait for it to settle: what the
    browser asked for, off the platform and on it."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(20_000)
    outside = Outside(context, live_server.url)
    try:
        page = context.new_page()
        if username:
            login(page, live_server, username, PASSWORD)
        for path in paths:
            response = page.goto(f"{live_server.url}{path}", wait_until="networkidle")
            assert response.status == 200, f"{path} answered {response.status}"
    finally:
        context.close()
    return outside


def test_the_api_docs_render_their_operations_from_the_platform_alone(browser, live_server):
    # given a browser that records every request
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    outside = Outside(context, live_server.url)
    try:
        page = context.new_page()

        # when anyone opens the API docs
        page.goto(f"{live_server.url}/api/docs/", wait_until="networkidle")

        # then Redoc renders the operations, and nothing was asked of another host
        page.wait_for_selector("[data-section-id^='operation/']")
        operations = page.locator("[data-section-id^='operation/']").count()
        title = page.locator("h1").first.inner_text()
    finally:
        context.close()
    assert operations > 10
    assert "wurao" in title
    assert outside.requests == []


def test_no_page_of_any_role_asks_another_host_for_anything(
    browser, live_server, justice_user, dept_admin, street_user, enterprise_user, enterprise
):
    # given a year on the dashboard, and a visit today whose page offers the QR scanner
    EnforcementActionFactory.create_batch(
        3,
        enterprise=enterprise,
        department=dept_admin.department,
        kind=ActionKind.INSPECTION,
        date=datetime.date(2020, 5, 6),
        origin=Origin.PLAN,
    )
    visit = VisitFactory(
        enterprise=enterprise,
        department=dept_admin.department,
        date=timezone.localdate(),
        status=VisitStatus.REGISTERED,
    )
    UserFactory(username="yj_inspector", role=Role.INSPECTOR, department=dept_admin.department)

    # when each role opens its pages
    outside = {
        "public": _browse(browser, live_server, [*PUBLIC_PAGES, f"/v/{visit.code}/"]),
        "justice": _browse(
            browser,
            live_server,
            ["/oversight/?year=2020", "/visits/", "/planning/plans/", *COORDINATION_PAGES],
            username=justice_user.username,
        ),
        "department": _browse(
            browser,
            live_server,
            [
                f"/visits/{visit.code}/",
                "/visits/new/",
                "/planning/plans/",
                "/planning/assignments/",
            ],
            username=dept_admin.username,
        ),
        "street": _browse(browser, live_server, COORDINATION_PAGES, username=street_user.username),
        "enterprise": _browse(
            browser,
            live_server,
            ["/visits/mine/", "/planning/mine/", "/planning/slots/"],
            username=enterprise_user.username,
        ),
    }

    # then none of them asked anything of another host
    assert {role: seen.requests for role, seen in outside.items() if seen.requests} == {}
    # and the pages' scripts (charts, the QR scanner, HTMX) came from the platform
    loaded = [path for seen in outside.values() for path in seen.local]
    for script in ("vendor/echarts/echarts.min.js", "vendor/jsqr/jsQR.js", "vendor/htmx/"):
        assert any(script in path for path in loaded), script
