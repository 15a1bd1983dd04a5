"""The policy simulator page (政策模拟): the bureau compares two rule sets on a year; the run is a
background job (immediate in tests, as the planning tests run theirs)."""

import datetime
import io
import json

import pytest
from django.conf import settings
from django.utils import timezone
from openpyxl import load_workbook

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.oversight.simulation.rules import default_ruleset, empty_ruleset, ruleset_to_json
from wurao.oversight.simulation.service import simulation_run
from wurao.oversight.tests.simulator_support import YEAR, small_year
from wurao.oversight.views_simulator import JOBS

pytestmark = pytest.mark.django_db

PAGE = "/oversight/simulator/"
RUN = "/oversight/simulator/run/"
RESULT = "/oversight/simulator/result/"


@pytest.fixture
def year_data(street):
    return small_year(street)


def _run(client, **fields):
    body = {"year": YEAR, "a_source": "baseline", "b_source": "default", **fields}
    return client.post(RUN, body, follow=True)


def _cell(page: str, figure: str, side: str, *, key: str = "figure") -> str:
    row = page.split(f'data-{key}="{figure}"')[1].split("</tr>")[0]
    cell = row.split(f'data-side="{side}">')[1].split("</td>")[0]
    return cell.split("</span>", 1)[-1].strip()  # after the phone's stacked heading


def test_only_the_bureau_may_open_the_simulator(client, year_data, dept_admin, street_user):
    # given a department admin and a street coordinator
    for user in (dept_admin, street_user):
        client.force_login(user)
        # then neither the page nor a run is theirs
        assert client.get(PAGE).status_code == 403
        assert _run(client).status_code == 403
    # and someone not signed in is sent to sign in
    client.logout()
    assert client.get(PAGE).status_code == 302


def test_the_page_opens_on_the_year_with_records_comparing_the_present_rules_with_the_default(
    client, justice_user, year_data
):
    # when the bureau opens the page
    client.force_login(justice_user)
    page = client.get(PAGE).content.decode()

    # then the year with records is offered, A is the present rules and B the default proposal
    assert f'<option value="{YEAR}" selected>' in page
    assert 'name="a_source" value="baseline"' in page and 'name="b_source" value="default"' in page
    a_checked = page.split('name="a_source" value="baseline"')[1].split(">")[0]
    b_checked = page.split('name="b_source" value="default"')[1].split(">")[0]
    assert "checked" in a_checked and "checked" in b_checked
    # and the default rules are there to edit as a starting point
    textarea = page.split('name="b_json"')[1].split("</textarea>")[0]
    first_key = next(iter(ruleset_to_json(default_ruleset())))
    assert f"&quot;{first_key}&quot;" in textarea
    # and the page is a tab of the oversight dashboard
    assert 'data-tab="simulator"' in page and "政策模拟" in page


def test_running_the_default_rules_shows_both_rule_sets_figures_side_by_side(
    client, justice_user, year_data
):
    # given the figures the simulator itself gives for the year
    expected = simulation_run(year=YEAR, proposal=default_ruleset())
    client.force_login(justice_user)

    # when the bureau runs the present rules (A) against the default rules (B)
    response = _run(client)

    # then the job is started, the page lands on its result and shows both sides' figures
    (task_id,) = client.session[JOBS]
    assert response.redirect_chain == [(f"{PAGE}?job={task_id}", 302)]
    page = response.content.decode()
    assert 'id="simulation-result"' in page
    base, proposal = expected["baseline"], expected["proposal"]
    assert _cell(page, "onsite_visits", "a") == f"{base['onsite_visits']:,}"
    assert _cell(page, "onsite_visits", "b") == f"{proposal['onsite_visits']:,}"
    assert _cell(page, "visits_max", "a") == f"{base['visits_per_enterprise']['max']:,}"
    assert _cell(page, "findings", "b") == f"{proposal['findings']:,}"
    reduction = page.split('id="onsite-reduction">')[1].split("<")[0]
    assert reduction == f"{100 * expected['onsite_visits_reduction']:.1f}%"
    # and each rule that removed visits is listed with how many, for the chart too
    for code, removed in expected["by_rule"].items():
        if removed:
            assert _cell(page, code, "b", key="rule") == f"{removed:,}"
    assert 'id="by-rule-data"' in page or not any(expected["by_rule"].values())
    # and the run is in the audit log, as the bureau's
    event = AuditEvent.objects.get(verb="simulation.run")
    assert event.actor == justice_user and event.payload["year"] == YEAR
    assert event.payload["onsite_visits"] == [base["onsite_visits"], proposal["onsite_visits"]]


def _max_row(page: str) -> str:
    return page.split('data-figure="max_enterprise"')[1].split("</tr>")[0]


def test_the_most_visited_enterprise_links_to_its_file(client, justice_user, year_data):
    client.force_login(justice_user)
    page = _run(client).content.decode()
    row = _max_row(page)
    busy = year_data["busy"]
    assert busy.name in row and f"/{busy.pk}/" in row


def test_a_rule_set_that_is_not_valid_json_is_refused_with_its_line_and_nothing_runs(
    client, justice_user, year_data
):
    client.force_login(justice_user)
    response = _run(client, b_source="custom", b_json='{"caps": {\n  "D": 3,\n}')
    page = response.content.decode()
    assert response.status_code == 200
    assert "规则集 B：JSON 格式错误：第 3 行" in page
    assert JOBS not in client.session and not AuditEvent.objects.filter(verb="simulation.run")


def test_a_rule_set_with_a_wrong_value_names_its_json_path_and_nothing_runs(
    client, justice_user, year_data
):
    # given the default rules with one value of the wrong type
    doc = ruleset_to_json(default_ruleset())
    key, path = _first_number(doc)
    client.force_login(justice_user)

    # when it is pasted as rule set A
    broken = _set(json.loads(json.dumps(doc)), path, "很多")
    page = _run(
        client, a_source="custom", a_json=json.dumps(broken, ensure_ascii=False)
    ).content.decode()

    # then the error names the JSON path, in Chinese, and no job starts
    assert "规则集 A：" in page and key in page.split("规则集 A：")[1].split("<")[0]
    assert JOBS not in client.session


def _first_number(doc, path=()):
    """The first numeric value's key and its path in the document."""
    items = doc.items() if isinstance(doc, dict) else enumerate(doc)
    for key, value in items:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(key), (*path, key)
        if isinstance(value, (dict, list)):
            found = _first_number(value, (*path, key))
            if found:
                return found
    return None


def _set(doc, path, value):
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


def test_an_uploaded_rule_set_is_run_and_named_by_its_file(client, justice_user, year_data):
    client.force_login(justice_user)
    doc = ruleset_to_json(default_ruleset())
    doc.pop("name", None)
    text = json.dumps(doc, ensure_ascii=False).encode()
    upload = io.BytesIO(text)
    upload.name = "新规则.json"
    page = _run(client, b_source="custom", b_file=upload).content.decode()
    assert 'id="simulation-result"' in page and "自定义（新规则.json）" in page


def test_the_same_rule_set_on_both_sides_is_refused(client, justice_user, year_data):
    client.force_login(justice_user)
    page = _run(client, a_source="default").content.decode()
    assert "规则集 A 与 B 相同" in page and JOBS not in client.session


def test_polling_a_finished_job_swaps_in_its_figures_and_only_for_its_starter(
    client, justice_user, year_data
):
    client.force_login(justice_user)
    _run(client)
    (task_id,) = client.session[JOBS]

    polled = client.get(RESULT, {"job": task_id}, headers={"HX-Request": "true"})
    assert polled.status_code == 200 and 'id="simulation-result"' in polled.content.decode()
    assert "hx-trigger" not in polled.content.decode()
    plain = client.get(RESULT, {"job": task_id})
    assert plain.status_code == 302 and plain.url == f"{PAGE}?job={task_id}"

    # another person of the bureau cannot follow it
    client.force_login(UserFactory(role=Role.JUSTICE))
    assert client.get(RESULT, {"job": task_id}).status_code == 404
    assert client.get(PAGE, {"job": task_id}).status_code == 404


def test_a_running_job_is_polled_and_one_that_never_answers_is_said_so(
    client, justice_user, year_data
):
    # given a job the worker has not answered yet
    client.force_login(justice_user)
    session = client.session
    started = timezone.now() - datetime.timedelta(seconds=5)
    rules = {
        "a": {"source": "baseline", "label": "现行（基线）", "doc": None},
        "b": {"source": "default", "label": "默认建议规则", "doc": {}},
    }
    session[JOBS] = {"not-done": {"year": YEAR, "rules": rules, "started": started.isoformat()}}
    session.save()

    # then the page says it is computing and polls every 2 s; no second run meanwhile
    page = client.get(PAGE).content.decode()
    assert "计算中" in page and f'hx-get="{RESULT}?job=not-done"' in page
    assert 'id="simulate-submit" disabled' in page
    polled = client.get(RESULT, {"job": "not-done"}, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in polled.content.decode()
    refused = _run(client).content.decode()
    assert "上一次模拟仍在计算中" in refused and list(client.session[JOBS]) == ["not-done"]

    # when nothing has come after ten minutes, the page stops polling and says why
    session = client.session
    late = timezone.now() - datetime.timedelta(minutes=11)
    session[JOBS]["not-done"]["started"] = late.isoformat()
    session.save()
    stale = client.get(PAGE).content.decode()
    assert "后台任务可能没有运行" in stale and "hx-trigger" not in stale


def test_both_tables_export_to_xlsx_with_the_page_figures(client, justice_user, year_data):
    expected = simulation_run(year=YEAR, proposal=default_ruleset())
    client.force_login(justice_user)
    _run(client)
    (task_id,) = client.session[JOBS]

    figures = client.get(RESULT, {"job": task_id, "export": "xlsx", "table": "figures"})
    assert figures.status_code == 200
    sheet = load_workbook(io.BytesIO(figures.content)).active
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, values_only=True)}
    onsite = rows["现场入企次数"]
    assert onsite[:2] == (
        expected["baseline"]["onsite_visits"],
        expected["proposal"]["onsite_visits"],
    )
    assert (
        onsite[2] == expected["proposal"]["onsite_visits"] - expected["baseline"]["onsite_visits"]
    )

    by_rule = client.get(RESULT, {"job": task_id, "export": "xlsx", "table": "by_rule"})
    sheet = load_workbook(io.BytesIO(by_rule.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert {row[0]: row[3] for row in rows} == {c: n for c, n in expected["by_rule"].items() if n}
    assert all(row[2] == 0 for row in rows)  # rule set A, the present rules, removes nothing


def test_the_default_rules_as_a_against_the_present_rules_as_b_show_the_other_way_round(
    client, justice_user, year_data
):
    # given what the simulator gives with the default rules as the baseline
    expected = simulation_run(year=YEAR, proposal=empty_ruleset(), baseline=default_ruleset())
    client.force_login(justice_user)

    # when the bureau puts the default rules on side A and the present rules on side B
    page = _run(client, a_source="default", b_source="baseline").content.decode()

    # then A's column holds the default rules' figures, B's the year as recorded
    a, b = expected["baseline"]["onsite_visits"], expected["proposal"]["onsite_visits"]
    assert a < b
    assert _cell(page, "onsite_visits", "a") == f"{a:,}"
    assert _cell(page, "onsite_visits", "b") == f"{b:,}"
    # and the rules that removed visits are A's now
    for code, removed in expected["baseline"]["by_rule"].items():
        if removed:
            assert _cell(page, code, "a", key="rule") == f"{removed:,}"
            assert _cell(page, code, "b", key="rule") == "0"


def test_a_rule_set_error_is_in_english_for_a_reader_who_chose_english(
    client, justice_user, year_data
):
    client.force_login(justice_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    broken = json.dumps({"merge": {"time_limit_per_month": "x"}})
    page = _run(client, b_source="custom", b_json=broken).content.decode()
    error = page.split('data-error="b_json">')[1].split("<")[0]
    assert "merge.time_limit_per_month" in error and "须" not in error
    assert JOBS not in client.session


def test_with_no_records_the_page_says_there_is_nothing_to_replay(client, justice_user):
    client.force_login(justice_user)
    page = client.get(PAGE).content.decode()
    assert "无法模拟" in page and 'id="simulator-form"' not in page
