"""The enterprise's own visit pages (/visits/mine/) and the justice bureau's supervision pages:
rules, alerts, ratings, refusals and overrides."""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone

from conftest import login
from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory
from wurao.visits import rules as visit_rules
from wurao.visits.choices import VisitOrigin, VisitStatus
from wurao.visits.forms_supervision import RulesForm
from wurao.visits.models import VisitRating, VisitRefusal, VisitRuleVersion
from wurao.visits.tests.factories import NonEnforcementVisitFactory, VisitFactory

pytestmark = pytest.mark.django_db

YEAR_2020 = {"date_from": "2020-01-01", "date_to": "2020-12-31"}


def _this_year(month: int, day: int) -> datetime.date:
    return datetime.date(timezone.localdate().year, month, day)


# ---------------------------------------------------------------- enterprise portal


def test_the_enterprise_sees_its_visits_and_its_year_against_the_caps(
    client, enterprise_user, enterprise, department
):
    # given two inspections by one department this year, one on a complaint, and a union visit
    VisitFactory(enterprise=enterprise, department=department, date=_this_year(1, 5))
    VisitFactory(
        enterprise=enterprise,
        department=department,
        date=_this_year(1, 20),
        origin=VisitOrigin.COMPLAINT,
    )
    NonEnforcementVisitFactory(enterprise=enterprise, date=_this_year(2, 1))
    VisitFactory(date=_this_year(1, 6))  # another enterprise's visit

    # when the enterprise opens its visit records
    client.force_login(enterprise_user)
    page = client.get("/visits/mine/").content.decode()

    # then it sees its own three visits and its counts against the (ungraded) caps
    assert page.count('<tr data-code="') == 3
    assert 'id="total-used">2<span class="fs-5 text-muted"> / 6</span>' in page
    assert "区应急管理局" in page
    assert 'id="exempt-inspections">1 ' in page
    assert 'id="non-enforcement">1 ' in page
    assert 'id="quiet-days">90 ' in page
    assert "未评级" in page
    assert "评价是匿名的" in page


def test_only_an_enterprise_has_a_visit_portal(client, dept_admin):
    client.force_login(dept_admin)

    assert client.get("/visits/mine/").status_code == 403


def test_the_enterprise_rates_a_finished_visit_once(client, enterprise_user, enterprise):
    # given a finished visit, not rated yet
    visit = VisitFactory(enterprise=enterprise, date=timezone.localdate())
    client.force_login(enterprise_user)
    assert f'data-code="{visit.code}"' in client.get("/visits/mine/").content.decode()

    # when the enterprise gives it four stars and a tag
    response = client.post(
        "/visits/mine/",
        {"code": visit.code, "score": "4", "tags": ["attitude"], "comment": "很规范"},
        follow=True,
    )

    # then the rating is stored without who gave it, and the visit shows four stars
    rating = VisitRating.objects.get(visit=visit)
    assert (rating.score, rating.tags, rating.comment) == (4, ["attitude"], "很规范")
    page = response.content.decode()
    assert "已匿名提交" in page
    assert '<form method="post" class="rating-form' not in page
    assert "★★★★<" in page

    # and a second rating of the same visit is refused, plainly
    again = client.post("/visits/mine/", {"code": visit.code, "score": "1"})
    assert "已评价过本次入企" in again.content.decode()
    assert VisitRating.objects.filter(visit=visit).count() == 1


def test_a_rating_without_stars_asks_for_them(client, enterprise_user, enterprise):
    visit = VisitFactory(enterprise=enterprise, date=timezone.localdate())
    client.force_login(enterprise_user)

    page = client.post("/visits/mine/", {"code": visit.code}).content.decode()

    assert 'data-field="score"' in page and "请选择 1 到 5 颗星" in page
    assert not VisitRating.objects.exists()


def test_an_enterprise_cannot_rate_another_enterprises_visit(client, enterprise_user):
    other = VisitFactory(enterprise=EnterpriseFactory(), date=_this_year(1, 5))
    client.force_login(enterprise_user)

    response = client.post("/visits/mine/", {"code": other.code, "score": "1"})

    assert response.status_code == 404
    assert not VisitRating.objects.exists()


# ---------------------------------------------------------------- who may see supervision


@pytest.mark.parametrize("path", ["/visits/rules/", "/visits/refusals/"])
def test_supervision_pages_are_the_justice_bureaus(
    client, path, justice_user, dept_admin, street_user, enterprise_user
):
    assert client.get(path).status_code == 302  # to the login page
    for user in (dept_admin, street_user, enterprise_user):
        client.force_login(user)
        assert client.get(path).status_code == 403
    client.force_login(justice_user)
    assert client.get(path).status_code == 200


def test_the_alerts_send_whoever_may_see_the_rules_tab_there(
    client, justice_user, dept_admin, street_user, enterprise_user
):
    # the alerts live on the oversight dashboard's 规则执行 tab, scoped as the tab is
    assert client.get("/visits/alerts/").status_code == 302  # to the login page
    assert "/login/" in client.get("/visits/alerts/")["Location"]
    client.force_login(enterprise_user)
    assert client.get("/visits/alerts/").status_code == 403
    for user in (justice_user, dept_admin, street_user):
        client.force_login(user)
        assert client.get("/visits/alerts/")["Location"] == "/oversight/rules/#alerts"


def test_ratings_are_not_for_streets_enterprises_or_inspectors(
    client, street_user, enterprise_user, department
):
    inspector = UserFactory(role=Role.INSPECTOR, department=department)
    for user in (street_user, enterprise_user, inspector):
        client.force_login(user)
        assert client.get("/visits/ratings/").status_code == 403


# ---------------------------------------------------------------- ratings


def _rate(department, n: int) -> None:
    for i in range(n):
        visit = VisitFactory(department=department, date=_this_year(1, 1 + i))
        VisitRating.objects.create(
            visit=visit, score=3 + i % 3, tags=["efficiency"], rated_on=visit.date
        )


def test_a_department_sees_no_rating_aggregate_under_five_ratings(client, dept_admin, department):
    # given four ratings of the department's visits
    _rate(department, 4)
    client.force_login(dept_admin)

    # when its admin opens the ratings page
    page = client.get("/visits/ratings/").content.decode()

    # then nothing about them is shown, only why
    assert "评价不足 5 条，暂不显示" in page
    assert "data-average" not in page
    assert 'id="rating-list"' not in page


def test_a_department_sees_its_aggregate_from_five_ratings(client, dept_admin, department):
    _rate(department, 4)
    _rate(DepartmentFactory(), 6)  # another department's ratings
    client.force_login(dept_admin)
    assert "评价不足" in client.get("/visits/ratings/").content.decode()

    # when the fifth rating arrives
    _rate(department, 1)
    page = client.get("/visits/ratings/").content.decode()

    # then the average and the tags are shown, for its own department only
    assert "评价不足" not in page
    assert page.count("data-average") == 1
    assert 'data-department="区应急管理局"' in page
    assert "效率 5" in page
    assert 'id="rating-list"' not in page


def test_the_justice_bureau_sees_every_department_and_every_rating(
    client, justice_user, department
):
    _rate(department, 2)
    VisitRating.objects.filter(score=3).update(comment="检查时间太长")
    client.force_login(justice_user)

    page = client.get("/visits/ratings/").content.decode()

    assert 'data-department="区应急管理局"' in page
    assert "不足 5 条" in page  # flagged for the bureau: the department does not see it
    assert 'id="rating-list"' in page and "检查时间太长" in page


# ---------------------------------------------------------------- rules


def _rules_post(**changes) -> dict:
    """The publish form as a browser would send it, filled with the default rules."""
    data = {}
    for key, value in RulesForm.initial_from(visit_rules.DEFAULT_RULES_JSON).items():
        if value is None:
            data[key] = ""
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        else:
            data[key] = value
    data.update(effective_from=timezone.localdate().isoformat(), note="按市司法局通知调整")
    data.update(changes)
    return data


def test_the_justice_bureau_publishes_a_new_version_of_the_rules(client, justice_user):
    client.force_login(justice_user)

    response = client.post(
        "/visits/rules/",
        _rules_post(limit_B_department_cap="1", monthly_quiet_days="1，15", exempt_grades=[]),
        follow=True,
    )

    row = VisitRuleVersion.objects.get()
    assert row.version == 1
    assert row.rules["limits"]["B"]["department_cap"] == 1
    assert row.rules["limits"]["D"]["total_cap"] is None
    assert row.rules["monthly_quiet_days"] == [1, 15]
    assert row.rules["exempt_grades"] == []
    assert row.rules["exempt_origins"] == visit_rules.DEFAULT_RULES_JSON["exempt_origins"]
    page = response.content.decode()
    assert "已发布入企规则第 1 版" in page
    assert "现行规则：第 1 版" in page
    assert "1、15 日" in page


def test_rules_with_mistakes_are_refused_field_by_field(client, justice_user):
    client.force_login(justice_user)

    response = client.post(
        "/visits/rules/",
        _rules_post(
            limit_A_department_cap="-1",
            high_frequency_days="0",
            non_enforcement_share="1.5",
            monthly_quiet_days="1, 40",
            note="",
        ),
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert (
        'data-field="limit_A_department_cap">A 级单个部门年度检查上限须为不小于 0 的整数，或留空表示不设上限'
        in page
    )
    assert 'data-field="high_frequency_days">高频预警的期间（日）须为 1 到 366 的整数' in page
    assert 'data-field="non_enforcement_share">非执法入企占比预警线须在 0 与 1 之间' in page
    assert 'data-field="monthly_quiet_days">每月企业安静日须为 1 到 31 的日期' in page
    assert 'data-field="note">请填写修订说明' in page
    assert not VisitRuleVersion.objects.exists()


def test_mistakes_of_every_kind_are_named_in_one_answer(client, justice_user):
    # given a version in force
    client.force_login(justice_user)
    client.post("/visits/rules/", _rules_post())

    # when the next one has a word for a number, a number out of range and an early date
    page = client.post(
        "/visits/rules/",
        _rules_post(min_officers="两人", high_frequency_days="0", effective_from="2020-01-01"),
    ).content.decode()

    # then all three are named at once, each at its field
    assert 'data-field="min_officers">检查最少执法人员数须为整数' in page
    assert 'data-field="high_frequency_days">高频预警的期间（日）须为 1 到 366 的整数' in page
    assert 'data-field="effective_from">生效日期不能早于第 1 版' in page
    assert VisitRuleVersion.objects.count() == 1


def test_a_version_cannot_take_effect_before_the_one_in_force(client, justice_user):
    client.force_login(justice_user)
    client.post("/visits/rules/", _rules_post())

    page = client.post("/visits/rules/", _rules_post(effective_from="2020-01-01")).content.decode()

    assert 'data-field="effective_from">生效日期不能早于第 1 版' in page
    assert VisitRuleVersion.objects.count() == 1


# ---------------------------------------------------------------- alerts


def test_alerts_show_a_high_frequency_enterprise_with_its_visits(client, justice_user):
    # given an enterprise visited four times in ten days (default: more than 3 in 30 days)
    enterprise = EnterpriseFactory(name="深圳市高频测试有限公司")
    visits = [
        VisitFactory(enterprise=enterprise, date=datetime.date(2020, 6, day))
        for day in (1, 3, 6, 10)
    ]
    VisitFactory(date=datetime.date(2020, 6, 2))  # a quiet enterprise
    client.force_login(justice_user)

    # when the bureau opens the alerts (now on the rules tab; the period chosen)
    page = client.get("/visits/alerts/", YEAR_2020, follow=True).content.decode()

    # then the enterprise is listed as high frequency, with a link to each of the visits
    assert 'data-kind="high_frequency"' in page
    assert "深圳市高频测试有限公司" in page
    assert f'href="/registry/enterprises/{enterprise.pk}/"' in page
    assert "2020-06-01 至 2020-06-10 入企 4 次" in page
    for visit in visits:
        assert f'href="/visits/{visit.code}/"' in page

    # and filtering by another kind leaves it out
    other = client.get(
        "/visits/alerts/", {**YEAR_2020, "kind": "after_the_fact"}, follow=True
    ).content.decode()
    assert "深圳市高频测试有限公司" not in other.split('id="alerts"')[1]


def test_alerts_outside_the_period_are_not_shown(client, justice_user):
    enterprise = EnterpriseFactory(name="深圳市高频测试有限公司")
    for day in (1, 3, 6, 10):
        VisitFactory(enterprise=enterprise, date=datetime.date(2020, 6, day))
    client.force_login(justice_user)

    page = client.get(
        "/visits/alerts/", {"date_from": "2020-07-01", "date_to": "2020-12-31"}, follow=True
    ).content.decode()

    assert "深圳市高频测试有限公司" not in page
    assert "所选期间没有预警" in page


def test_a_reversed_period_is_refused_by_field_and_shown_as_typed(client, justice_user):
    # given alerts in the default year
    enterprise = EnterpriseFactory(name="深圳市高频测试有限公司")
    for day in (1, 3, 6, 10):
        VisitFactory(enterprise=enterprise, date=datetime.date(2020, 6, day))
    client.force_login(justice_user)

    # when the period is typed backwards
    page = client.get(
        "/visits/alerts/", {"date_from": "2020-07-01", "date_to": "2020-01-01"}, follow=True
    ).content.decode()

    # then the error is at the field, the dates stay as typed, and the page says which
    # period it shows instead (from the start date to the end of its year): no June alert
    assert "截止日期不能早于起始日期" in page
    assert 'value="2020-07-01"' in page and 'value="2020-01-01"' in page
    assert "统计期间：2020-07-01 至 2020-12-31" in page
    assert "深圳市高频测试有限公司" not in page


# ---------------------------------------------------------------- refusals and overrides


def test_refusals_and_overrides_show_the_rules_reasons_and_approvers(
    client, justice_user, department, enterprise
):
    violation = {
        "rule": "department_cap",
        "label": "本部门年度检查上限",
        "message": "区应急管理局2020年已对该企业现场检查 2 次，达到本部门年度上限 2 次",
        "visits": [],
        "joinable": "",
    }
    VisitRefusal.objects.create(
        enterprise=enterprise,
        department=department,
        date=datetime.date(2020, 6, 1),
        origin=VisitOrigin.PLAN,
        violations=[violation],
        rule_version=0,
    )
    approver = UserFactory(username="yj_head", first_name="王局长", role=Role.DEPT_ADMIN)
    overridden = VisitFactory(
        enterprise=enterprise,
        department=department,
        date=datetime.date(2020, 6, 8),
        violations=[violation],
        override_reason="群众反映夜间偷排，需现场核查",
        override_approved_by=approver,
        status=VisitStatus.COMPLETED,
    )
    client.force_login(justice_user)

    refusals = client.get("/visits/refusals/").content.decode()
    overrides = client.get("/visits/refusals/", {"show": "overrides"}).content.decode()

    assert 'id="refusal-count">1<' in refusals and 'id="override-count">1<' in refusals
    assert "本部门年度检查上限" in refusals and "达到本部门年度上限 2 次" in refusals
    assert overridden.code in overrides
    assert "群众反映夜间偷排，需现场核查" in overrides
    assert "王局长" in overrides


def test_the_oversight_dashboard_counts_overrides_and_refusals(
    client, justice_user, department, enterprise
):
    year = timezone.localdate().year
    VisitRefusal.objects.create(
        enterprise=enterprise,
        department=department,
        date=_this_year(1, 2),
        origin=VisitOrigin.PLAN,
        violations=[],
        rule_version=0,
    )
    VisitFactory(date=_this_year(1, 3), override_reason="上级交办")
    client.force_login(justice_user)

    page = client.get("/oversight/", {"year": year}).content.decode()

    assert 'id="visit-refusals">1<' in page
    assert 'id="visit-overrides">1<' in page
    # the details are on the dashboard's 规则执行 tab, for the same period
    assert (
        f'href="/oversight/rules/?date_from={year}-01-01&amp;date_to={year}-12-31#refusals"' in page
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_bureau_drills_down_from_an_alert_to_its_visits(page, live_server, justice_user):
    # given the 75-visit enterprise's busy June (union visits too) and a repeat item elsewhere
    busy = EnterpriseFactory(name="深圳市福城精密制造有限公司")
    safety = DepartmentFactory(name="区应急管理局")
    market = DepartmentFactory(name="区市场监督管理局")
    for day, department in ((2, safety), (5, market), (9, safety), (16, market), (23, safety)):
        VisitFactory(enterprise=busy, department=department, date=datetime.date(2020, 6, day))
    for day in (3, 11, 18, 25):
        NonEnforcementVisitFactory(enterprise=busy, date=datetime.date(2020, 6, day))
    item = InspectionItemFactory(department=safety, name="有限空间作业安全管理")
    other = EnterpriseFactory(name="深圳市观澜五金制品有限公司")
    for day in (4, 40):
        VisitFactory(
            enterprise=other,
            department=safety,
            date=datetime.date(2020, 5, 1) + datetime.timedelta(days=day),
            items=[item],
        )
    VisitFactory(
        enterprise=other, department=market, date=datetime.date(2020, 7, 2), after_the_fact=True
    )

    # when the bureau opens the alerts and the busy enterprise's visits
    login(page, live_server, justice_user.username)
    page.goto(f"{live_server.url}/visits/alerts/")  # now on the oversight 规则执行 tab
    row = page.locator('tr[data-kind="high_frequency"]')
    row.locator("summary").click()

    # then it sees each visit's code, linking to the visit
    assert row.locator(".drill-visits a").count() == 9
    assert row.locator(".drill-visits li.drill-other").count() == 4  # the union visits, marked
    assert page.locator('#kind-tabs a[data-kind="repeat_item"] .badge').inner_text() == "1"
    if os.environ.get("WURAO_SCREENSHOTS"):
        Path("docs/screenshots").mkdir(parents=True, exist_ok=True)
        page.screenshot(path="docs/screenshots/visits-alerts.png", full_page=True)


def test_alerts_open_on_this_years_alerts_even_with_visits_registered_for_next_year(
    client, justice_user
):
    # given an enterprise visited four times in a few days this year, and a joint visit
    # already registered for next January
    today = timezone.localdate()
    enterprise = EnterpriseFactory(name="深圳市高频测试有限公司")
    for back in (0, 2, 4, 6):
        day = max(today - datetime.timedelta(days=back), datetime.date(today.year, 1, 1))
        VisitFactory(enterprise=enterprise, date=day)
    VisitFactory(date=datetime.date(today.year + 1, 1, 12), status=VisitStatus.REGISTERED)
    client.force_login(justice_user)

    # when the bureau opens the alerts without choosing a period
    page = client.get("/visits/alerts/", follow=True).content.decode()

    # then it sees this year's alert, and is told which period it is looking at
    assert 'data-kind="high_frequency"' in page and "深圳市高频测试有限公司" in page
    assert f"统计期间：{today.year}-01-01 至 {today.year}-12-31" in page
    assert 'id="default-period"' in page
