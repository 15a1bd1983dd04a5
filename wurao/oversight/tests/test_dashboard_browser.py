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
