"""The Content-Security-Policy: scripts only from the platform, none inline, no eval.

Every page carries the policy (in development too, so that the browser tests meet it), and
every browser test fails on a violation (the root conftest's browser). The behaviours the
inline handlers used to carry (submit on choosing a year, confirm before an irreversible
step, print) now come from web/static/web/wurao.js through data attributes; the tests below
use them in Chromium under the policy."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import CSP_VIOLATIONS, login
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.planning.tests.test_pages_forms import form_url, joint_visit_build
from wurao.registry.tests.factories import EnterpriseFactory, InspectorFactory
from wurao.sampling.choices import SizeMode, TaskStatus
from wurao.sampling.services_draft import ParticipantSpec, draw_task_create

WURAO = Path(__file__).resolve().parents[2]
TAG = re.compile(r"<[a-zA-Z][^>]*>", re.S)
SCRIPT = re.compile(r"<script\b([^>]*)>", re.S | re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def _templates():
    return sorted(WURAO.rglob("templates/**/*.html"))


def test_no_template_has_an_inline_script_or_event_handler():
    # given every template of the platform
    found = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(WURAO)
        # then a script element names its source (or is data: json_script's application/json)
        for attributes in SCRIPT.findall(text):
            if "src=" not in attributes and "application/json" not in attributes:
                found.append(f"{name}: <script{attributes}>")
        # and no element carries an on...= handler, a javascript: URL or HTMX's hx-on (eval)
        for tag in TAG.findall(text):
            if HANDLER.search(tag) or "javascript:" in tag or re.search(r"\shx-on", tag):
                found.append(f"{name}: {tag[:120]}")
    assert found == []


@pytest.mark.django_db
def test_every_page_carries_the_policy(client):
    # when anyone opens a page
    response = client.get("/v/")

    # then scripts may come from the platform alone, and nothing may frame the page
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]


@pytest.mark.django_db
def test_the_api_docs_may_start_a_worker_and_nothing_more(client):
    # when anyone opens the API docs (Redoc builds its search index in a blob: worker)
    response = client.get("/api/docs/")

    # then that is the one thing their policy adds; scripts are still the platform's only
    policy = _directives(response["Content-Security-Policy"])
    assert policy["worker-src"] == ["'self'", "blob:"]
    assert policy["script-src"] == ["'self'"]
    assert "<script>" not in response.content.decode()


# ---------------------------------------------------------------- in the browser


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_browser_tests_catch_an_inline_script(page, live_server):
    # given a page of the platform in the browser
    page.goto(f"{live_server.url}/v/")

    # when something puts an inline script into it
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'document.title = \"injected\"'; document.body.append(s); }"
    )
    page.wait_for_timeout(200)

    # then the browser refuses to run it and the tests hear of it
    assert page.title() != "injected"
    caught = list(CSP_VIOLATIONS)
    CSP_VIOLATIONS.clear()  # this test's violation is the point, not a failure
    assert any("script-src" in message for message in caught), caught


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_choosing_a_year_opens_that_year(page, live_server, justice_user):
    # given the bureau on the refused registrations of this year
    login(page, live_server, justice_user.username)
    page.goto(f"{live_server.url}/visits/refusals/")

    # when it chooses 2020 in the year list
    page.select_option("#id_year", "2020")

    # then the page for 2020 opens, with no button pressed
    page.wait_for_url("**year=2020**")
    assert "2020" in page.locator("h1").inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_list_filters_as_one_types_with_htmx_eval_off(page, live_server, justice_user, street):
    # given two enterprises, and HTMX configured to evaluate nothing
    EnterpriseFactory(street=street, name="福城精密电子有限公司")
    EnterpriseFactory(street=street, name="观澜食品加工厂")
    login(page, live_server, justice_user.username)
    page.goto(f"{live_server.url}/registry/enterprises/")
    assert page.evaluate("htmx.config.allowEval") is False
    assert page.locator("#results tbody tr").count() == 2

    # when the bureau types part of a name into the search box (no button pressed)
    page.fill("#id_q", "精密")

    # then the list shows the one that matches, and the address says what was asked
    page.wait_for_function("() => document.querySelectorAll('#results tbody tr').length === 1")
    assert "福城精密电子" in page.locator("#results").inner_text()
    page.wait_for_url("**q=**")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.today("2026-12-07")
def test_a_draft_is_committed_only_once_the_admin_confirms(
    page, live_server, dept_admin, department, street
):
    # given a draft draw task of the admin's department
    item = InspectionItemFactory(department=department)
    InspectorFactory.create_batch(
        3, department=department, certificate_valid_until=datetime.date(2027, 6, 30)
    )
    EnterpriseFactory.create_batch(8, street=street)
    task = draw_task_create(
        actor=dept_admin,
        title="确认后才承诺的抽查",
        lead_department=department,
        participants=[ParticipantSpec(department=department, items=[item])],
        scope={},
        size_mode=SizeMode.TOTAL,
        size_value=Decimal(2),
        window_start=datetime.date(2026, 12, 1),
        window_end=datetime.date(2026, 12, 31),
    )
    asked = []
    login(page, live_server, dept_admin.username)
    page.goto(f"{live_server.url}/draws/{task.pk}/")

    # when the admin presses "commit" and answers "cancel"
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("#task-commit")
    page.wait_for_timeout(300)

    # then nothing was committed
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAFT
    assert "确认承诺并公开" in asked[0]

    # when the admin presses it again and confirms
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#task-commit")
    page.wait_for_selector("#commitment")

    # then the task is committed
    task.refresh_from_db()
    assert task.status == TaskStatus.COMMITTED


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.today("2026-12-07")
def test_the_consolidated_form_prints_and_its_pdf_opens_under_the_policy(page, live_server, street):
    # given a confirmed joint visit's form, opened by one of its departments
    joint = joint_visit_build(street)
    page.add_init_script(
        "window.print = () => { document.documentElement.dataset.printed = 'yes'; }"
    )
    login(page, live_server, joint.market.admin.username)
    page.goto(f"{live_server.url}{form_url(joint)}")

    # when the department presses "print"
    page.click("[data-print]")

    # then the browser's print dialog was asked for
    page.wait_for_selector("html[data-printed=yes]")

    # and when it opens the PDF (served inline, under the same policy and X-Frame-Options)
    response = page.goto(f"{live_server.url}{form_url(joint, 'pdf/')}")
    assert response.headers["content-type"] == "application/pdf"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]

    # then Chromium's PDF viewer shows it
    viewer = None
    for _ in range(50):
        viewer = next((f for f in page.frames if f.url.startswith("chrome-extension://")), None)
        if viewer:
            break
        page.wait_for_timeout(200)
    assert viewer is not None, [f.url for f in page.frames]
    viewer.wait_for_selector("pdf-viewer", state="attached")
