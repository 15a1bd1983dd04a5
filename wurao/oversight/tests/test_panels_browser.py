"""The 规则执行, 信用等级 and 部门比较 tabs in a real browser: the charts draw (ECharts, no
inline script) and a click on a bar opens the records behind it."""

import pytest

from conftest import login
from wurao.oversight.tests import panels_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = "date_from=2020-01-01&date_to=2020-12-31"


def test_a_department_bar_opens_its_records(page, live_server, justice_user, street, department):
    # given the bureau signed in, and the hand-counted district
    login(page, live_server, justice_user.username)
    world = panels_world.build(street=street, department=department)

    # when the bureau opens the department comparison and clicks the first department's bar
    page.goto(f"{live_server.url}/oversight/departments/?{YEAR}")
    chart = page.locator("#chart-departments")
    chart.locator("svg").wait_for()
    bars = chart.locator("path[fill='#8c1c13']")
    assert bars.count() >= 1
    bars.first.click(force=True)

    # then the records page lists that department's inspections (the first by name: market)
    page.wait_for_url("**/oversight/records/**")
    assert f"organisation={world.market.pk}" in page.url and "kind=inspection" in page.url
    assert page.locator("#records-total").inner_text() == "2"


@pytest.mark.parametrize("tab", ["rules", "grades"])
def test_the_tabs_draw_their_charts(page, live_server, justice_user, street, department, tab):
    login(page, live_server, justice_user.username)
    panels_world.build(street=street, department=department)

    page.goto(f"{live_server.url}/oversight/{tab}/?{YEAR}")

    charts = page.locator(".panel-chart")
    assert charts.count() >= 2
    charts.first.locator("svg").wait_for()
