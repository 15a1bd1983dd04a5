"""Plan → schedule → confirm → form in a real browser: a department admin adds a planned
inspection on the plans page, the street coordinator schedules the month and confirms the one
joint visit it proposes, and the enterprise sees the visit with both departments and opens its
consolidated form (一表通查).

WURAO_SCREENSHOTS=1 also writes the coordinator's month and the confirmed visit into
docs/screenshots/.
"""

import datetime
import os
from pathlib import Path

import pytest

from conftest import login
from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.planning import services
from wurao.planning.choices import JointVisitStatus
from wurao.planning.models import JointVisit
from wurao.registry.choices import Level, SizeClass
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory

# Plans for March 2027 are filed ahead: written for a day before their deadline (25 February).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.today("2026-12-07"),
]

MONTH = datetime.date(2027, 3, 1)
M = "2027-03"
SHOTS = Path("docs/screenshots")


def _shoot(page, name: str) -> None:
    if os.environ.get("WURAO_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name), full_page=True)


def test_plan_schedule_confirm_and_the_enterprise_opens_its_form(
    browser, live_server, street, street_user
):
    # given two district departments with an admin and a published item each, and a
    # medium-sized enterprise in the coordinator's street with its own portal user
    made = {}
    for code, name, item_name in (
        ("SCJG", "区市场监督管理局", "食品经营许可与经营场所卫生"),
        ("STHJ", "区生态环境局", "排污许可执行情况"),
    ):
        department = DepartmentFactory(code=code, name=name, level=Level.DISTRICT)
        admin = UserFactory(
            username=f"{code.lower()}_admin", role=Role.DEPT_ADMIN, department=department
        )
        item = InspectionItemFactory(department=department, name=item_name)
        made[code] = (department, admin, item)
    firm = EnterpriseFactory(
        street=street, size_class=SizeClass.MEDIUM, name="深圳市福城精密制造有限公司"
    )
    UserFactory(username="fc_firm", role=Role.ENTERPRISE, enterprise=firm)
    # the environment bureau's plan is already in
    env_department, env_admin, env_item = made["STHJ"]
    services.plan_entry_add(
        actor=env_admin,
        department=env_department,
        month=MONTH,
        enterprise=firm,
        items=[env_item],
        earliest=datetime.date(2027, 3, 8),
        latest=datetime.date(2027, 3, 19),
    )

    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()

        # when the market regulator's admin adds the enterprise to March's plan on the plans page
        _, market_admin, market_item = made["SCJG"]
        login(page, live_server, market_admin.username)
        page.goto(f"{live_server.url}/planning/plans/?month={M}")
        form = page.locator("details.plan-form")
        if form.get_attribute("open") is None:
            form.locator("summary").click()
        page.fill("#id_enterprise", firm.credit_code)
        page.check(f"#id_items input[value='{market_item.pk}']")
        page.fill("#id_earliest", "2027-03-01")
        page.fill("#id_latest", "2027-03-12")
        page.click("#entry-submit")
        page.wait_for_load_state("networkidle")
        assert firm.name in page.locator("#entry-table").inner_text()
        page.context.clear_cookies()

        # and the street coordinator schedules the month from the schedule page
        login(page, live_server, street_user.username)
        page.goto(f"{live_server.url}/planning/schedule/?month={M}")
        assert firm.name in page.locator("#overlaps").inner_text()
        page.check("#id_deterministic")
        page.click("#run-submit")
        page.wait_for_selector("#schedule-job.alert-success")

        # then the run's figures show two inspections in one visit, and the proposal is listed
        assert page.inner_text("#fig-planned") == "2"
        assert page.inner_text("#fig-visits") == "1"
        row = page.locator("#visit-table tr[data-visit]")
        assert "区市场监督管理局" in row.inner_text() and "区生态环境局" in row.inner_text()
        _shoot(page, "joint-schedule.png")

        # when the coordinator opens the proposal and confirms it
        row.get_by_role("link", name=firm.name).click()
        page.wait_for_selector("#confirm-submit")
        page.click("#confirm-submit")
        page.wait_for_selector("#visit-code")

        # then it is one registered visit with a code
        visit = JointVisit.objects.get()
        assert visit.status == JointVisitStatus.CONFIRMED
        assert page.inner_text("#visit-code") == visit.visit.code_display
        assert page.locator("#form-link").get_attribute("href") == f"/planning/forms/{visit.pk}/"
        _shoot(page, "joint-visit.png")
        page.context.clear_cookies()

        # when the enterprise opens its joint visits on the portal
        login(page, live_server, "fc_firm")
        page.goto(f"{live_server.url}/planning/mine/")
        card = page.locator(f".joint-visit[data-visit='{visit.pk}']")

        # then it sees the date, both departments and the confirmed status
        assert card.locator(".visit-date").inner_text() == visit.date.isoformat()
        departments = card.locator(".departments").inner_text()
        assert "区市场监督管理局" in departments and "区生态环境局" in departments
        assert "已确认" in card.inner_text()

        # and it opens the consolidated form
        card.locator(".form-link").click()
        page.wait_for_load_state("networkidle")
        assert page.url.endswith(f"/planning/forms/{visit.pk}/")
        assert "一表通查" in page.locator("h1").inner_text()
        assert firm.name in page.title()
    finally:
        context.close()
