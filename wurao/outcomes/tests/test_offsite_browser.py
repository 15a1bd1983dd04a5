"""On a phone (390 px): an officer records an off-site inspection with a monitoring extract and
lands on the item results; the list, the detail, the visit rules page, the department
comparison and the enterprise's file fit the phone (no sideways scroll)."""

import datetime

import pytest

from conftest import login
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.enforcement.models import EnforcementAction
from wurao.outcomes.tests.offsite_support import officers_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def test_an_officer_records_an_off_site_inspection_on_a_phone(
    browser, live_server, settings, tmp_path, dept_admin, justice_user, department, enterprise
):
    settings.MEDIA_ROOT = tmp_path
    item = InspectionItemFactory(
        department=department, code="YJ-OFF", name="危险化学品储存在线监测"
    )
    officers = officers_of(department)
    extract = tmp_path / "在线监测数据.csv"
    extract.write_text("时间,读数\n2026-03-01 08:00,1.0\n", encoding="utf-8")
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        login(page, live_server, dept_admin.username)

        # When the officer fills the form on the phone and saves it
        page.goto(f"{live_server.url}/outcomes/offsite/new/")
        _fits(page)
        page.fill("#id_credit_code", enterprise.credit_code)
        page.fill("#id_day", (datetime.date.today() - datetime.timedelta(days=1)).isoformat())
        page.select_option("#id_method", "monitoring")
        page.check(f'input[name=items][value="{item.pk}"]')
        for officer in officers:
            page.check(f'input[name=officers][value="{officer.pk}"]')
        page.fill("#id_summary", "调取 3 月在线监测数据，未见超标")
        page.set_input_files("#id_evidence", str(extract))
        page.click("#offsite-form button[type=submit]")
        page.wait_for_load_state("networkidle")

        # Then it is kept as an off-site inspection and the item results page opens
        action = EnforcementAction.objects.get()
        assert action.mode == "off_site"
        assert page.url.endswith(f"/outcomes/actions/{action.pk}/")
        for path in (
            "/outcomes/offsite/",
            f"/outcomes/offsite/{action.pk}/",
            f"/registry/enterprises/{enterprise.pk}/",
        ):
            page.goto(f"{live_server.url}{path}")
            _fits(page)

        # And the bureau's pages that carry the rule and the figures fit the phone too
        context.clear_cookies()
        login(page, live_server, justice_user.username)
        for path in ("/visits/rules/", "/oversight/departments/"):
            page.goto(f"{live_server.url}{path}")
            _fits(page)
        page.goto(f"{live_server.url}/outcomes/offsite/{action.pk}/")
        assert "在线监测数据.csv" in page.locator("#offsite-evidence").inner_text()
        _fits(page)
    finally:
        context.close()
