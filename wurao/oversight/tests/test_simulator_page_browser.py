import pytest

from conftest import login
from wurao.oversight.simulation.rules import default_ruleset
from wurao.oversight.simulation.service import simulation_run
from wurao.oversight.tests.simulator_support import YEAR, small_year

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_bureau_runs_the_default_rules_against_the_present_and_reads_the_headline(
    page, live_server, justice_user, street
):
    # given a small demo year, and what the simulator makes of it
    small_year(street)
    expected = simulation_run(year=YEAR, proposal=default_ruleset())

    # when the justice bureau opens the simulator tab: the year with records, the present
    # rules as A and the default proposal as B are chosen already; the JSON editor is hidden
    login(page, live_server, "sfj")
    page.goto(f"{live_server.url}/oversight/simulator/")
    assert page.locator("#id_year").input_value() == str(YEAR)
    assert page.locator("[data-ruleset=b] [data-ruleset-custom]").is_hidden()
    page.check("[data-ruleset=b] input[value=custom]")
    assert page.locator("#id_b_json").is_visible()
    page.check("[data-ruleset=b] input[value=default]")
    page.click("#simulate-submit")

    # then the result shows the headline numbers of both rule sets
    page.wait_for_selector("#simulation-result")
    base, proposal = expected["baseline"], expected["proposal"]
    onsite = page.locator("[data-figure=onsite_visits]")
    assert onsite.locator("[data-side=a]").inner_text().strip() == f"{base['onsite_visits']:,}"
    assert onsite.locator("[data-side=b]").inner_text().strip() == f"{proposal['onsite_visits']:,}"
    reduction = page.locator("#onsite-reduction").inner_text().strip()
    assert reduction == f"{100 * expected['onsite_visits_reduction']:.1f}%"
    kept = page.locator("#findings-kept").inner_text().strip()
    assert kept == f"{100 * expected['findings_kept']:.1f}%"
    # and the chart of which rule removed how many visits is drawn
    if any(expected["by_rule"].values()):
        page.wait_for_selector("#by-rule-chart svg")
