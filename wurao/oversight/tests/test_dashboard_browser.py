import datetime

import pytest

from conftest import login
from wurao.enforcement.choices import ActionKind, Origin
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.choices import Level
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_justice_bureau_signs_in_and_reads_table1_on_the_dashboard(page, live_server, justice_user):
    # Given a year of records: 3 inspections, 2 penalties and 1 coercive measure
    district = DepartmentFactory(name="区应急管理局", level=Level.DISTRICT)
    city = DepartmentFactory(name="市生态环境局龙华管理局", level=Level.CITY)
    enterprise = EnterpriseFactory()
    day = datetime.date(2020, 5, 6)
    for kind, department, n in [
        (ActionKind.INSPECTION, district, 3),
        (ActionKind.PENALTY, city, 2),
        (ActionKind.COERCIVE, city, 1),
    ]:
        EnforcementActionFactory.create_batch(
            n, enterprise=enterprise, department=department, kind=kind, date=day, origin=Origin.PLAN
        )

    # When the justice bureau signs in and opens the dashboard for 2020
    login(page, live_server, "sfj")
    page.goto(f"{live_server.url}/oversight/?year=2020")

    # Then Table 1 shows the counts by kind and the total
    table = page.locator("#table1")
    assert table.locator("[data-kind=inspection]").inner_text().strip() == "3"
    assert table.locator("[data-kind=penalty]").inner_text().strip() == "2"
    assert table.locator("[data-kind=coercive]").inner_text().strip() == "1"
    assert table.locator("[data-kind=total]").inner_text().strip() == "6"
    assert "行政检查" in table.inner_text()


def test_justice_bureau_drills_from_the_most_visited_enterprise_to_its_file(
    page, live_server, justice_user
):
    # Given a key enterprise with 5 inspections and 3 union visits, and a quieter one
    from wurao.visits.tests.factories import NonEnforcementVisitFactory

    environment = DepartmentFactory(name="区生态环境局", level=Level.DISTRICT)
    union = DepartmentFactory(name="区总工会", is_enforcement=False)
    busiest = EnterpriseFactory(name="福城重点制造企业", four_above=True)
    quiet = EnterpriseFactory(name="安静的小企业")
    day = datetime.date(2020, 4, 8)
    EnforcementActionFactory.create_batch(5, enterprise=busiest, department=environment, date=day)
    NonEnforcementVisitFactory.create_batch(3, enterprise=busiest, department=union, date=day)
    EnforcementActionFactory(enterprise=quiet, department=environment, date=day)

    # When the bureau opens the dashboard for 2020 and goes to 入企负担
    login(page, live_server, "sfj")
    page.goto(f"{live_server.url}/oversight/?year=2020")
    page.click("#oversight-tabs [data-tab=burden]")
    page.wait_for_url("**/oversight/burden/**")

    # Then the charts are drawn and the most-visited enterprise heads the list
    page.wait_for_selector("#histogram[data-drawn='1']")
    page.wait_for_selector("#lorenz[data-drawn='1']")
    first = page.locator("#top-enterprises tbody tr").first
    assert "福城重点制造企业" in first.inner_text()
    assert first.locator(".contacts-link").inner_text().strip() == "8"

    # a click on its count lists the 8 records behind it
    first.locator(".contacts-link").click()
    page.wait_for_url("**/oversight/records/**")
    assert page.locator("#records-total").inner_text().strip() == "8"
    page.go_back()

    # and a click on its name opens its file (一企一档)
    page.locator("#top-enterprises tbody tr").first.locator(".enterprise-link").click()
    page.wait_for_url(f"**/registry/enterprises/{busiest.pk}/")
    assert "福城重点制造企业" in page.content()


def test_the_dashboard_tabs_are_usable_on_a_phone(browser, live_server, justice_user):
    # Given a year of records
    environment = DepartmentFactory(name="区生态环境局", level=Level.DISTRICT)
    EnforcementActionFactory.create_batch(
        3, enterprise=EnterpriseFactory(), department=environment, date=datetime.date(2020, 4, 8)
    )
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    phone = context.new_page()
    try:
        # When the bureau opens 总览, 入企负担 and the records on a 390 px wide phone
        login(phone, live_server, "sfj")
        for path, chart in (
            ("/oversight/", "#figure1"),
            ("/oversight/burden/", "#histogram"),
            ("/oversight/records/", None),
        ):
            phone.goto(f"{live_server.url}{path}?year=2020")
            if chart:
                phone.wait_for_selector(f"{chart}[data-drawn='1']")

            # Then the page does not scroll sideways (wide tables scroll inside their box)
            # and the chart fits the screen
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
            if chart:
                assert phone.locator(chart).bounding_box()["width"] <= 390
    finally:
        context.close()
