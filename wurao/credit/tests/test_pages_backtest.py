"""The justice bureau's backtest page (回测与校准): two points tables backtested side by side on
a period of the district's inspections, as a background job (immediate in tests)."""

import datetime
import html

import pytest
from django.conf import settings
from django.utils import timezone

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.credit.points import DEFAULT_TABLE
from wurao.credit.services_calibration import table_backtest, table_for_backtest
from wurao.credit.tests.backtest_support import history_build
from wurao.credit.views_backtest import JOBS

pytestmark = pytest.mark.django_db

PAGE = "/credit/tables/backtest/"
RUN = "/credit/tables/backtest/run/"
CALIBRATE = "/credit/tables/backtest/calibrate/"
RESULT = "/credit/tables/backtest/result/"
YEAR_2020 = {"start": datetime.date(2020, 1, 1), "end": datetime.date(2020, 12, 31)}


@pytest.fixture
def history(street, department, justice_user):
    return history_build(street=street, department=department, actor=justice_user)


def _run(client, **fields):
    body = {
        "start": "2020-01-01",
        "end": "2020-12-31",
        "table_a": "current",
        "table_b": "default",
        **fields,
    }
    return client.post(RUN, body, follow=True)


def _cell(page: str, measure: str, side: str) -> str:
    row = page.split(f'data-measure="{measure}"')[1].split("</tr>")[0]
    cell = row.split(f'data-side="{side}">')[1].split("</td>")[0]
    return cell.split("</span>", 1)[-1].strip()  # after the phone's stacked heading


def _field_error(page: str, field: str) -> str:
    return html.unescape(page.split(f'data-field="{field}">')[1].split("<")[0])


def test_only_the_justice_bureau_may_backtest(client, history, dept_admin, enterprise_user):
    for user in (dept_admin, enterprise_user):
        client.force_login(user)
        assert client.get(PAGE).status_code == 403
        assert _run(client).status_code == 403
        assert client.post(CALIBRATE, {"train_from": "2019-01-01"}).status_code == 403
    # and the table list offers the page to the bureau only
    assert "回测与校准" not in client.get("/credit/tables/").content.decode()
    client.logout()
    assert client.get(PAGE).status_code == 302


def test_the_page_opens_on_the_last_full_year_with_inspections(client, justice_user, history):
    client.force_login(justice_user)

    listing = client.get("/credit/tables/").content.decode()
    page = client.get(PAGE).content.decode()

    assert f'href="{PAGE}"' in listing and "回测与校准" in listing
    # 2020: the last calendar year that is over and had inspections (there are none later)
    assert 'name="start" value="2020-01-01"' in page and 'name="end" value="2020-12-31"' in page
    # calibration trains on the year before and holds the backtest's year out
    assert 'name="train_from" value="2019-01-01"' in page
    assert 'name="test_to" value="2020-12-31"' in page
    assert '<option value="current" selected>' in page
    assert "随机排序的平均值和标准差" in page and "不说明任何真实辖区" in page


def test_the_bureau_runs_a_backtest_and_reads_both_tables_side_by_side(
    client, justice_user, history
):
    # given what the service gives for the table in force and the default table on 2020
    in_force = table_backtest(table=table_for_backtest(), **YEAR_2020)
    default = table_backtest(table=DEFAULT_TABLE, **YEAR_2020)
    client.force_login(justice_user)

    # when the bureau runs the backtest of both
    page = _run(client).content.decode()

    # then each column holds its table's figures
    (task_id,) = client.session[JOBS]
    assert f'data-job="{task_id}"' in page
    assert _cell(page, "inspections", "a") == f"{in_force.inspections:,}"
    assert _cell(page, "violations", "b") == f"{default.violations:,}"
    assert _cell(page, "days_earlier", "a") == f"{in_force.days_earlier:.1f}"
    assert _cell(page, "days_earlier", "b") == f"{default.days_earlier:.1f}"
    assert _cell(page, "lift_sd", "a") == f"{in_force.lift_sd:.1f}"
    random = f"{in_force.random_days_earlier_mean:.1f} ± {in_force.random_days_earlier_sd:.1f}"
    assert _cell(page, "random_days_earlier", "a") == random
    assert _cell(page, "coverage", "a") == f"{in_force.coverage * 100:.1f}%"
    assert _cell(page, "first_half_share_actual", "b") == (
        f"{default.first_half_share_actual * 100:.1f}%"
    )
    d_hits = in_force.hit_rate_by_grade["D"]
    grade_d = page.split('data-grade="D"')[1].split("</tr>")[0]
    assert f"{d_hits.violations}/{d_hits.inspections}" in grade_d
    # the penalised enterprises are the ones found in violation: the table finds them earlier
    assert in_force.days_earlier > 0
    assert "现行计分表（第 1 版）" in page and "系统默认计分表" in page


def test_polling_a_finished_job_swaps_in_its_result_and_only_for_its_starter(
    client, justice_user, history
):
    client.force_login(justice_user)
    _run(client)
    (task_id,) = client.session[JOBS]

    polled = client.get(RESULT, {"job": task_id}, headers={"HX-Request": "true"})
    assert 'id="backtest-result"' in polled.content.decode()
    assert "hx-trigger" not in polled.content.decode()
    assert client.get(RESULT, {"job": task_id}).url == f"{PAGE}?job={task_id}"

    client.force_login(UserFactory(role=Role.JUSTICE))
    assert client.get(RESULT, {"job": task_id}).status_code == 404
    assert client.get(PAGE, {"job": task_id}).status_code == 404


def test_a_running_job_is_polled_and_no_second_one_starts(client, justice_user, history):
    client.force_login(justice_user)
    session = client.session
    started = timezone.now() - datetime.timedelta(seconds=5)
    session[JOBS] = {
        "not-done": {
            "kind": "backtest",
            "start": "2020-01-01",
            "end": "2020-12-31",
            "tables": {"a": "current", "b": "default"},
            "labels": {"a": "现行", "b": "默认"},
            "started": started.isoformat(),
        }
    }
    session.save()

    page = client.get(PAGE).content.decode()
    assert "计算中" in page and f'hx-get="{RESULT}?job=not-done"' in page
    assert 'id="backtest-submit" disabled' in page
    refused = _run(client).content.decode()
    assert "上一次计算仍在进行" in refused and list(client.session[JOBS]) == ["not-done"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"start": "2020-13-01"}, "start", "回测期起应为日期，如 2026-01-31"),
        ({"end": ""}, "end", "请填写回测期止"),
        (
            {"start": "2020-12-31", "end": "2020-01-01"},
            "end",
            "回测期止（2020-01-01）不能早于回测期起（2020-12-31）",
        ),
        ({"start": "2009-01-01"}, "end", "回测期起至回测期止不能超过十年"),
        ({"end": "9999-12-31"}, "end", "回测期止不能大于 2199-12-31"),
        (
            {"table_b": "d999999999999999999999"},
            "table_b",
            "计分表 B中没有“d999999999999999999999”",
        ),
        ({"table_b": "v1"}, "table_b", "计分表 B 与计分表 A 是同一张表"),
    ],
)
def test_a_wrong_backtest_field_is_named_and_nothing_runs(
    client, justice_user, history, fields, field, message
):
    client.force_login(justice_user)

    response = _run(client, **fields)

    assert response.status_code == 200
    assert _field_error(response.content.decode(), field).startswith(message)
    assert JOBS not in client.session


def test_a_table_error_from_the_job_names_the_field(client, justice_user, history):
    # given a draft that was offered but has been deleted by the time the job runs
    client.force_login(justice_user)
    session = client.session
    session[JOBS] = {
        "gone": {
            "kind": "backtest",
            "start": "2020-01-01",
            "end": "2020-12-31",
            "tables": {"a": "current", "b": "d7"},
            "labels": {"a": "现行", "b": "草案 7"},
            "started": timezone.now().isoformat(),
            "outcome": {"errors": [["table", "所选计分表已不存在，请重新选择"]]},
        }
    }
    session.save()

    page = client.get(PAGE, {"job": "gone"}).content.decode()

    assert "回测未完成" in page and "计分表：所选计分表已不存在，请重新选择" in page


def test_the_page_reads_in_english(client, justice_user, history):
    client.force_login(justice_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = _run(client, start="2020-12-31", end="2020-01-01").content.decode()

    assert "Backtest and calibration of the scoring table" in page
    assert "Backtest to (2020-01-01) cannot be earlier than Backtest from (2020-12-31)" in page
    assert "random baseline" in page


def test_with_no_inspections_the_page_says_there_is_nothing_to_backtest(client, justice_user):
    client.force_login(justice_user)
    page = client.get(PAGE).content.decode()
    assert "无法回测或校准" in page and 'id="backtest-form"' not in page
