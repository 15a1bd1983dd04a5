"""The whole path in a real browser: create → preview → commit → draw, then an anonymous visitor
re-runs the draw from the published bundle and every check passes."""

import datetime

import pytest

from conftest import login
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.registry.tests.factories import EnterpriseFactory, InspectorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_department_admin_draws_in_the_browser_and_a_visitor_verifies_it(
    browser, page, live_server, dept_admin, department, street
):
    # Given a department with a published item, officers and 20 enterprises
    item = InspectionItemFactory(department=department, name="安全生产主体责任落实情况检查")
    InspectorFactory.create_batch(
        5, department=department, certificate_valid_until=datetime.date.today().replace(year=2099)
    )
    EnterpriseFactory.create_batch(20, street=street)
    page.on("dialog", lambda dialog: dialog.accept())

    # When the admin fills the form, reads the preview and saves the draft
    login(page, live_server, dept_admin.username)
    page.goto(f"{live_server.url}/draws/")
    page.click("#task-create")
    page.fill("#id_title", "浏览器中的双随机抽查")
    page.check(f"#id_items_{item.pk}")
    page.fill("#id_size_value", "3")
    page.locator("#id_size_value").blur()
    page.wait_for_selector("#preview-result[data-total='3']")
    assert page.locator("#preview-candidates").inner_text() == "20"
    page.click("#task-save")

    # and commits it, then the observer's entropy draws it
    page.click("#task-commit")
    page.wait_for_selector("#commitment")
    page.fill("#id_observer", "区司法局 王某")
    page.fill("#id_external_entropy", "骰子 3-5-2-6")
    page.click("#task-draw")

    # Then the selected enterprises show, each with a team
    rows = page.locator("#selection-table tbody tr")
    rows.first.wait_for()
    assert rows.count() == 3
    assert page.locator("#selection-table .team-badge").count() == 6
    code = page.locator("#task-code").inner_text().strip()

    # When an anonymous visitor opens the public verification page
    visitor = browser.new_context(locale="zh-CN")
    try:
        public = visitor.new_page()
        public.goto(f"{live_server.url}/public/draws/{code}/verify/")

        # Then the browser re-runs the draw and every check passes
        public.wait_for_selector("#verify-results[data-state=passed]", timeout=20_000)
        checks = public.locator("#verify-results li[data-ok]")
        assert checks.count() >= 7
        assert public.locator("#verify-results li[data-ok=false]").count() == 0
    finally:
        visitor.close()
