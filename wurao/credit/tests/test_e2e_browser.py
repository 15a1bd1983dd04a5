"""The objection path in a real browser: the enterprise sees why it has its grade, objects to
a penalty with a PDF; the department approves it with reasons; the enterprise sees 已通过."""

import datetime

import pytest

from conftest import login
from wurao.credit.services_grading import grades_recompute
from wurao.enforcement.choices import ActionKind
from wurao.enforcement.tests.factories import EnforcementActionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_enterprise_objects_in_the_browser_and_the_department_approves(
    browser, page, live_server, settings, tmp_path, enterprise_user, dept_admin, enterprise
):
    # Given a graded enterprise with a serious penalty
    settings.MEDIA_ROOT = tmp_path
    EnforcementActionFactory(
        enterprise=enterprise,
        department=dept_admin.department,
        kind=ActionKind.PENALTY,
        severity=3,
        date=datetime.date(2020, 3, 2),
    )
    grades_recompute(actor="test", as_of=datetime.date(2020, 12, 31))

    # When the enterprise opens its portal, it sees its grade and the reason
    login(page, live_server, enterprise_user.username)
    page.goto(f"{live_server.url}/credit/")
    assert "级（" in page.locator("#grade-label").inner_text()
    row = page.locator("tr.breakdown-row", has_text="行政处罚（严重）")
    assert row.count() == 1

    # and objects to it with a PDF
    row.get_by_role("link", name="提出异议").click()
    page.fill("#id_reason", "该处罚已被行政复议决定撤销")
    page.set_input_files(
        "#id_evidence",
        {"name": "复议决定书.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%e2e\n"},
    )
    page.click("#request-submit")
    assert page.locator("#request-table tr[data-status=submitted]").count() == 1

    # When the department admin opens its queue and approves with a reason
    officer = browser.new_context(locale="zh-CN")
    try:
        tab = officer.new_page()
        login(tab, live_server, dept_admin.username)
        tab.goto(f"{live_server.url}/credit/reviews/")
        tab.locator("#review-table a", has_text="信用异议").first.click()
        assert tab.locator("#evidence-link").inner_text() == "复议决定书.pdf"
        tab.check("#id_decision_0")
        tab.fill("#id_decision_reason", "经核实，复议决定已撤销该处罚")
        tab.click("#decide-submit")
        assert "已通过" in tab.locator("#review-status").inner_text()
    finally:
        officer.close()

    # Then the enterprise sees the decision
    page.goto(f"{live_server.url}/credit/")
    decided = page.locator("#request-table tr[data-status=approved]")
    assert "已通过" in decided.inner_text()
    assert "经核实，复议决定已撤销该处罚" in decided.inner_text()
