"""The justice bureau's dashboard: Table 1, the key figures and Figures 1 and 2 from the records."""

import datetime
import json
import re

import pytest
from django.utils import timezone

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.enforcement.choices import ActionKind, Origin
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.choices import Level
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory
from wurao.visits.tests.factories import NonEnforcementVisitFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "/oversight/"


def table1(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-kind="(\w+)">([^<]*)<', page))


def figure_data(page: str, element_id: str) -> dict:
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', page, re.S
    )
    return json.loads(match.group(1))


@pytest.fixture
def records_2020(department):
    """3 inspections (2 of them district random draws), 2 penalties, 1 coercive measure in 2020; one 2019 inspection."""
    day = datetime.date(2020, 5, 1)
    EnforcementActionFactory(department=department, date=day, origin=Origin.RANDOM_DRAW)
    EnforcementActionFactory(department=department, date=day, origin=Origin.RANDOM_DRAW)
    street_office = DepartmentFactory(name="福城街道综合行政执法队", level=Level.STREET)
    EnforcementActionFactory(department=street_office, date=day)
    EnforcementActionFactory(department=department, date=day, kind=ActionKind.PENALTY)
    EnforcementActionFactory(department=department, date=day, kind=ActionKind.PENALTY)
    EnforcementActionFactory(department=department, date=day, kind=ActionKind.COERCIVE)
    EnforcementActionFactory(department=department, date=datetime.date(2019, 7, 1))


def test_dashboard_table1_counts_the_records_of_the_latest_year(client, justice_user, records_2020):
    client.force_login(justice_user)

    page = client.get(DASHBOARD).content.decode()

    assert 'id="table1"' in page
    assert table1(page) == {"inspection": "3", "penalty": "2", "coercive": "1", "total": "6"}
    assert "50.0%" in page and "33.3%" in page and "16.7%" in page


def test_dashboard_opens_on_the_latest_year_up_to_today_and_says_so(
    client, justice_user, records_2020, department
):
    # given 2020's records and an action wrongly dated in a year that has not begun
    next_year = timezone.localdate().year + 1
    EnforcementActionFactory(department=department, date=datetime.date(next_year, 3, 1))
    client.force_login(justice_user)

    # when the bureau opens the dashboard without choosing a year
    page = client.get(DASHBOARD).content.decode()

    # then it shows 2020, the latest year with records up to today, and says why
    assert table1(page)["total"] == "6"
    assert "默认显示截至今天有执法记录的最近年度（2020 年）" in page
    # a year chosen is not called the default
    assert "默认显示" not in client.get(DASHBOARD, {"year": 2019}).content.decode()


def test_dashboard_year_selector_switches_table1(client, justice_user, records_2020):
    client.force_login(justice_user)

    page = client.get(DASHBOARD, {"year": 2019}).content.decode()

    assert table1(page) == {"inspection": "1", "penalty": "0", "coercive": "0", "total": "1"}


def test_dashboard_key_figures_count_district_inspections_and_random_draws(
    client, justice_user, records_2020
):
    client.force_login(justice_user)

    page = client.get(DASHBOARD).content.decode()

    assert re.search(r'id="district-inspections">2<', page)
    assert re.search(r'id="random-inspections">2<', page)
    assert "100.0%" in page


def test_dashboard_figure1_embeds_actions_by_department(
    client, justice_user, records_2020, department
):
    client.force_login(justice_user)

    page = client.get(DASHBOARD).content.decode()

    data = figure_data(page, "figure1-data")
    assert data["names"] == [department.name, "福城街道综合行政执法队"]
    assert data["values"] == [5, 1]
    # each bar opens the department's records of the year
    assert data["urls"][0] == (
        "/oversight/records/?date_from=2020-01-01&date_to=2020-12-31"
        f"&organisation={department.pk}&kind=enforcement"
    )


def test_dashboard_uses_thousands_separators(client, justice_user, department, monkeypatch):
    from wurao.oversight import views

    real = views.overview_data

    def big_overview(**kwargs):
        data = real(**kwargs)
        kinds = {"inspection": 53382, "penalty": 4948, "coercive": 717}
        shares = {"inspection": 90.4, "penalty": 8.4, "coercive": 1.2}
        data["table1"] = [
            {**r, "count": kinds[r["kind"]], "share": shares[r["kind"]]} for r in data["table1"]
        ]
        data.update(
            total=59047,
            district_inspections=14354,
            random_draw_inspections=1151,
            random_share=8.0,
            joint_random_visits=131,
        )
        return data

    monkeypatch.setattr(views, "overview_data", big_overview)
    client.force_login(justice_user)

    page = client.get(DASHBOARD).content.decode()

    assert table1(page) == {
        "inspection": "53,382",
        "penalty": "4,948",
        "coercive": "717",
        "total": "59,047",
    }
    assert "14,354" in page and "8.0%" in page


def test_dashboard_figure2_defaults_to_the_enterprise_with_the_most_visits(
    client, justice_user, department
):
    day = datetime.date(2020, 3, 1)
    busiest = EnterpriseFactory(name="福城重点企业")
    EnforcementActionFactory.create_batch(2, enterprise=busiest, department=department, date=day)
    NonEnforcementVisitFactory.create_batch(3, enterprise=busiest, date=day)
    runner_up = EnterpriseFactory(name="次多企业")
    EnforcementActionFactory.create_batch(4, enterprise=runner_up, department=department, date=day)
    client.force_login(justice_user)

    page = client.get(DASHBOARD).content.decode()

    assert "福城重点企业" in page and "期间入企最多" in page
    data = figure_data(page, "figure2-data")
    assert sum(data["enforcement"]) == 2 and sum(data["other"]) == 3
    assert "非执法入企 <strong>3</strong> 次（60.0%）" in page


def test_dashboard_figure2_shows_the_enterprise_chosen_by_credit_code(
    client, justice_user, department
):
    chosen = EnterpriseFactory(name="指定查看企业")
    EnforcementActionFactory(
        enterprise=chosen, department=department, date=datetime.date(2020, 2, 1)
    )
    EnforcementActionFactory.create_batch(3, department=department, date=datetime.date(2020, 2, 1))
    client.force_login(justice_user)

    page = client.get(
        DASHBOARD,
        {
            "year": 2020,
            "credit_code": chosen.credit_code,
            "date_from": "2020-01-01",
            "date_to": "2020-10-31",
        },
    ).content.decode()

    assert "指定查看企业" in page and "期间入企最多" not in page
    data = figure_data(page, "figure2-data")
    assert (data["organisations"], data["enforcement"], data["other"]) == (
        [department.name],
        [1],
        [0],
    )
    assert f"enterprise={chosen.pk}&organisation={department.pk}" in data["urls"][0]


def test_dashboard_explains_a_mistyped_credit_code_in_chinese(client, justice_user, records_2020):
    client.force_login(justice_user)

    page = client.get(
        DASHBOARD, {"year": 2020, "credit_code": "91440300MA5ABCDE1X"}
    ).content.decode()

    assert "统一社会信用代码" in page and "校验码错误" in page
    assert table1(page)["total"] == "6"


def test_dashboard_on_an_empty_platform_shows_this_year_and_empty_states(client, justice_user):
    client.force_login(justice_user)

    page = client.get(DASHBOARD).content.decode()

    assert f"{datetime.date.today().year} 年涉企行政执法监督" in page
    assert table1(page)["total"] == "0"
    assert "暂无记录" in page


def test_dashboard_is_forbidden_to_an_enterprise(client, enterprise_user):
    client.force_login(enterprise_user)

    response = client.get(DASHBOARD)

    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_dashboard_is_forbidden_to_an_inspector(client, department):
    client.force_login(UserFactory(role=Role.INSPECTOR, department=department))

    assert client.get(DASHBOARD).status_code == 403


def test_dashboard_says_when_no_enterprise_has_the_credit_code(client, justice_user, records_2020):
    client.force_login(justice_user)
    unknown = EnterpriseFactory.build().credit_code

    page = client.get(DASHBOARD, {"year": 2020, "credit_code": unknown}).content.decode()

    assert "未找到该统一社会信用代码对应的企业" in page
    assert "请核对统一社会信用代码后重新查询" in page
