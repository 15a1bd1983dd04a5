import pytest
from django.conf import settings
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from conftest import login
from wurao.common.sessions import SessionStore
from wurao.oversight.services_simulator import simulation_compare
from wurao.oversight.simulation.rules import default_ruleset, ruleset_to_json
from wurao.oversight.simulation.service import simulation_run
from wurao.oversight.tests.simulator_support import YEAR, small_year
from wurao.oversight.views_simulator import JOBS

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


def test_the_page_computes_in_the_background_and_shows_the_result_when_the_job_is_done(
    page, live_server, justice_user, street
):
    # given a comparison the bureau started, which the worker has not finished yet
    small_year(street)
    login(page, live_server, "sfj")
    rules = {
        "a": {"source": "baseline", "label": "现行（基线）", "doc": None},
        "b": {
            "source": "default",
            "label": "默认建议规则",
            "doc": ruleset_to_json(default_ruleset()),
        },
    }
    (cookie,) = [c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME]
    session = SessionStore(session_key=cookie["value"])
    started = timezone.now().isoformat()
    session[JOBS] = {"job-1": {"year": YEAR, "rules": rules, "started": started}}
    session.save()

    # when the page is opened, it says it is computing and no second run can start
    page.goto(f"{live_server.url}/oversight/simulator/?job=job-1")
    assert "计算中" in page.locator("#simulation-job").inner_text()
    assert page.locator("#simulate-submit").is_disabled()

    # and when the worker's result arrives, the page shows it without being reloaded
    result = simulation_compare(actor=justice_user, year=YEAR, rules=rules)
    HUEY.put("job-1", {"result": result})
    page.wait_for_selector("#simulation-result", timeout=10_000)
    reduction = page.locator("#onsite-reduction").inner_text().strip()
    assert reduction == f"{100 * result['onsite_visits_reduction']:.1f}%"
    if any(result["by_rule"].values()):
        page.wait_for_selector("#by-rule-chart svg")
    assert page.locator("#simulate-submit").is_enabled()
