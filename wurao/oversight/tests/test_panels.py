"""The 规则执行, 信用等级 and 部门比较 tabs' page data against a district counted by hand
(panels_world.py), for the bureau, a department and a street."""

import datetime

import pytest

from wurao.accounts.choices import Role
from wurao.accounts.scope import Scope
from wurao.accounts.tests.factories import UserFactory
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.oversight.filters import Slice
from wurao.oversight.selectors_panels import departments_data, grades_data
from wurao.oversight.selectors_rules import alert_visits, rules_data
from wurao.oversight.tests import panels_world
from wurao.visits.choices import VisitStatus
from wurao.visits.selectors import visit_alerts_list
from wurao.visits.tests.factories import NonEnforcementVisitFactory, VisitFactory

pytestmark = pytest.mark.django_db

YEAR = Slice.year(2020)
BUREAU = Scope(sees_all=True)


@pytest.fixture
def world(street, department):
    return panels_world.build(street=street, department=department)


def _by_department(data) -> dict:
    return {r["department"]: r for r in data["rows"]}


# ---------------------------------------------------------------- 部门比较


def test_departments_count_burden_coverage_and_timeliness_as_counted_by_hand(world):
    # when the bureau compares the departments over 2020
    data = departments_data(scope=BUREAU, slice=YEAR)
    rows = _by_department(data)

    # then each department's figures are those of the hand count, ordered by name
    assert [r["department"] for r in data["rows"]] == sorted(rows)
    safety, market, office = rows["区应急管理局"], rows["区市场监督管理局"], rows["福城街道办事处"]
    assert (safety["contacts"], safety["inspections"], safety["enterprises_inspected"]) == (4, 3, 2)
    assert safety["inspections_per_enterprise"] == 1.5 and safety["non_enforcement"] == 0
    # two D-grade enterprises in the district (D1, D2), three of C or D (C, D1, D2)
    assert data["high_risk"] == {"d": 2, "cd": 3}
    assert (safety["d_inspected"], safety["d_coverage"]) == (1, 50.0)
    assert (safety["cd_inspected"], safety["cd_coverage"]) == (2, 66.7)
    assert (safety["random_draws"], safety["random_share"]) == (1, 33.3)
    # recorded after 0, 2, 10 and 1 days: median 1.5, three of four within 7 days
    assert safety["record_median_days"] == 1.5 and safety["recorded_within_share"] == 75.0
    assert (market["contacts"], market["inspections"], market["enterprises_inspected"]) == (2, 2, 2)
    assert (market["d_coverage"], market["cd_coverage"], market["random_share"]) == (
        50.0,
        33.3,
        50.0,
    )
    assert market["record_median_days"] == 11.5 and market["recorded_within_share"] == 50.0
    assert (office["contacts"], office["non_enforcement"], office["inspections"]) == (2, 2, 0)
    assert office["d_coverage"] == 0.0 and office["record_median_days"] is None


def test_departments_count_overrides_decided_in_time(world):
    panels_world.overrides(world, UserFactory(role=Role.JUSTICE, first_name="审批人"))

    rows = _by_department(departments_data(scope=BUREAU, slice=YEAR))

    # safety: one pending, one decided after a day; market: one decided after five days
    assert (
        rows["区应急管理局"]["overrides"],
        rows["区应急管理局"]["overrides_decided_within"],
    ) == (2, 1)
    assert rows["区应急管理局"]["overrides_within_share"] == 50.0
    assert rows["区市场监督管理局"]["overrides_within_share"] == 0.0


def test_no_department_figure_is_about_penalties_or_fines(world):
    row = departments_data(scope=BUREAU, slice=YEAR)["rows"][0]

    assert not [key for key in row if "penalt" in key or "fine" in key]


def test_a_department_sees_only_its_own_row(world, department):
    # given a joint non-enforcement visit led by the office with safety taking part
    NonEnforcementVisitFactory(
        enterprise=world.a,
        department=world.office,
        departments=[world.office, department],
        date=datetime.date(2020, 8, 30),
    )

    data = departments_data(scope=Scope(department_id=department.pk), slice=YEAR)

    assert [r["department"] for r in data["rows"]] == ["区应急管理局"]
    assert data["rows"][0]["contacts"] == 4


def test_a_street_compares_the_departments_on_its_own_area(world, street):
    data = departments_data(
        scope=Scope(street_id=street.pk), slice=YEAR.replace(street_id=street.pk)
    )
    rows = _by_department(data)

    # D2 is in the other street: the street's D-grade enterprise is D1 only, C or D: C and D1
    assert data["high_risk"] == {"d": 1, "cd": 2}
    assert rows["区应急管理局"]["d_coverage"] == 100.0
    assert rows["区市场监督管理局"]["contacts"] == 1  # A only; D2 is elsewhere
    assert rows["区市场监督管理局"]["d_coverage"] == 0.0


def test_the_slice_narrows_the_departments(world):
    # the grade filter keeps contacts on D-grade enterprises only
    rows = _by_department(departments_data(scope=BUREAU, slice=YEAR.replace(grade="D")))

    assert rows["区应急管理局"]["contacts"] == 3 and rows["区市场监督管理局"]["contacts"] == 1
    assert "福城街道办事处" not in rows

    # a period of March keeps the two random draws only
    march = Slice(datetime.date(2020, 3, 1), datetime.date(2020, 3, 31))
    rows = _by_department(departments_data(scope=BUREAU, slice=march))
    assert {n: r["random_share"] for n, r in rows.items()} == {
        "区应急管理局": 100.0,
        "区市场监督管理局": 100.0,
    }


# ---------------------------------------------------------------- 信用等级


def test_grades_distribution_changes_and_contacts_per_enterprise(world):
    data = grades_data(scope=BUREAU, slice=YEAR)

    assert {x["grade"]: x["enterprises"] for x in data["distribution"]} == {
        "A": 1,
        "B": 0,
        "C": 1,
        "D": 2,
        "U": 1,
    }
    assert data["enterprises"] == 5
    changes = data["changes"]
    assert (changes["total"], changes["up"], changes["down"], changes["first"]) == (3, 1, 1, 1)
    counts = changes["matrix"]["counts"]
    assert counts["B"]["D"] == 1 and counts[""]["A"] == 1 and counts["D"]["C"] == 1
    assert sum(n for row in counts.values() for n in row.values()) == 3
    by_grade = {x["grade"]: x for x in data["contacts"]}
    # A: market's inspection and the office's two visits; D: three by safety, one by market
    assert (by_grade["A"]["contacts"], by_grade["A"]["per_enterprise"]) == (3, 3.0)
    assert (by_grade["D"]["contacts"], by_grade["D"]["per_enterprise"]) == (4, 2.0)
    assert (by_grade["D"]["inspections"], by_grade["D"]["inspections_per_enterprise"]) == (3, 1.5)
    assert by_grade["D"]["enterprises_contacted"] == 2
    assert (by_grade["C"]["contacts"], by_grade["U"]["contacts"]) == (1, 0)
    assert by_grade["U"]["per_enterprise"] == 0.0 and by_grade["B"]["per_enterprise"] is None


def test_a_street_sees_the_grades_of_its_area(world, street):
    data = grades_data(scope=Scope(street_id=street.pk), slice=YEAR.replace(street_id=street.pk))

    assert {x["grade"]: x["enterprises"] for x in data["distribution"]}["D"] == 1
    assert data["enterprises"] == 3
    assert data["changes"]["total"] == 3  # D1, A and C are all on the street


def test_a_department_counts_its_own_contacts_against_the_shared_registry(world, department):
    data = grades_data(
        scope=Scope(department_id=department.pk), slice=YEAR.replace(department_id=department.pk)
    )

    assert data["enterprises"] == 5  # the registry is shared (两库)
    by_grade = {x["grade"]: x for x in data["contacts"]}
    assert (by_grade["D"]["contacts"], by_grade["A"]["contacts"]) == (3, 0)


# ---------------------------------------------------------------- 规则执行


def test_rules_count_refusals_by_rule_department_and_month(world):
    refusals = rules_data(scope=BUREAU, slice=YEAR)["refusals"]

    assert refusals["total"] == 3
    assert [(x["rule"], x["count"]) for x in refusals["by_rule"]] == [
        ("department_cap", 2),
        ("quiet_period", 1),
        ("total_cap", 1),
    ]
    assert {x["department"]: x["count"] for x in refusals["by_department"]} == {
        "区应急管理局": 2,
        "区市场监督管理局": 1,
    }
    assert refusals["by_month"] == [
        {"month": "2020-02", "count": 2},
        {"month": "2020-04", "count": 1},
    ]
    assert [x["enterprise_name"] for x in refusals["rows"]] == [
        "丙级企业",
        "甲级企业",
        "丁级企业一",
    ]


def test_rules_list_overrides_with_reason_approver_and_decision(world):
    approver = UserFactory(role=Role.JUSTICE, first_name="王监督")
    made = panels_world.overrides(world, approver)

    overrides = rules_data(scope=BUREAU, slice=YEAR)["overrides"]

    assert overrides["total"] == 3
    assert overrides["by_state"] == {"pending": 1, "approved": 1, "rejected": 1}
    rows = {x["code"]: x for x in overrides["rows"]}
    rejected = rows[made["rejected"].code]
    assert rejected["state"] == "rejected" and rejected["approver"] == "王监督"
    assert rejected["reason"] == "例行检查" and rejected["rejection"] == "理由不足，请并入联合检查"
    assert rejected["decided_at"] is not None
    assert (
        rows[made["pending"].code]["approver"] == ""
        and rows[made["pending"].code]["decided_at"] is None
    )

    # a department sees the overrides it took part in, a street those on its area
    safety = rules_data(scope=Scope(department_id=world.safety.pk), slice=YEAR)["overrides"]
    assert safety["by_state"] == {"pending": 1, "approved": 1, "rejected": 0}
    other = rules_data(scope=Scope(street_id=world.other_street.pk), slice=YEAR)["overrides"]
    assert other["total"] == 0
    # and the slice's grade keeps the overrides on enterprises of that grade (D1's)
    assert rules_data(scope=BUREAU, slice=YEAR.replace(grade="D"))["overrides"]["total"] == 1


def test_a_department_sees_its_own_refusals_and_a_street_those_on_its_area(
    world, department, street
):
    mine = rules_data(scope=Scope(department_id=department.pk), slice=YEAR)["refusals"]
    area = rules_data(scope=Scope(street_id=street.pk), slice=YEAR)["refusals"]

    assert mine["total"] == 2 and {x["department"] for x in mine["rows"]} == {"区应急管理局"}
    assert area["total"] == 3  # D1, A and C are on the street
    other = rules_data(scope=Scope(street_id=world.other_street.pk), slice=YEAR)["refusals"]
    assert other["total"] == 0


def test_an_alert_export_reads_its_visits_in_batches(world, monkeypatch):
    # given an alert on four visits, and IN lists of at most three ids
    visits = [
        VisitFactory(enterprise=world.d1, department=world.safety, date=datetime.date(2020, 6, d))
        for d in (1, 3, 6, 10)
    ]
    monkeypatch.setattr("wurao.oversight.selectors_rules.IN_BATCH", 3)
    data = rules_data(scope=BUREAU, slice=YEAR)
    rows = [x for x in data["alerts"]["rows"] if x.kind == "high_frequency"]

    # when the alert is written out for an export
    (shown,) = alert_visits(scope=BUREAU, rows=rows, rules=data["rules"])

    # then every visit is there, in two reads
    assert shown["visits"] == visits


def test_rules_bring_the_visit_alerts_with_their_visits(world):
    # given the 75-visit enterprise's busy June: four inspections in ten days
    visits = [
        VisitFactory(enterprise=world.d1, department=world.safety, date=datetime.date(2020, 6, d))
        for d in (1, 3, 6, 10)
    ]

    alerts = rules_data(scope=BUREAU, slice=YEAR)["alerts"]

    assert alerts["by_kind"]["high_frequency"] == 1
    (row,) = [x for x in alerts["rows"] if x.kind == "high_frequency"]
    assert row.count == 4
    assert list(row.visit_ids) == [v.pk for v in visits]
    (shown,) = alert_visits(
        scope=BUREAU, rows=[row], rules=rules_data(scope=BUREAU, slice=YEAR)["rules"]
    )
    assert shown["enterprise_name"] == "丁级企业一"
    assert shown["visits"] == visits
    assert "2020-06-01 至 2020-06-10 入企 4 次" in shown["summary"]
    # another department's filter, and another street's, leave the alert out
    assert (
        rules_data(scope=BUREAU, slice=YEAR.replace(department_id=world.market.pk))["alerts"][
            "total"
        ]
        == 0
    )
    assert (
        rules_data(scope=BUREAU, slice=YEAR.replace(street_id=world.other_street.pk))["alerts"][
            "total"
        ]
        == 0
    )


def test_the_alerts_are_those_of_the_visit_alert_selector_for_every_scope(world, street):
    # given a high-frequency June, a repeated item, a non-enforcement-heavy enterprise and a
    # registration after the fact, across two streets and departments
    item = InspectionItemFactory(department=world.safety, name="有限空间作业安全管理")
    for day in (1, 3, 6, 10):
        VisitFactory(enterprise=world.d1, department=world.safety, date=datetime.date(2020, 6, day))
    for day in (2, 30):
        VisitFactory(
            enterprise=world.d2,
            department=world.market,
            date=datetime.date(2020, 5, day),
            items=[item],
        )
    for day in (4, 5, 6, 7, 8):
        NonEnforcementVisitFactory(
            enterprise=world.c, department=world.office, date=datetime.date(2020, 9, day)
        )
    VisitFactory(
        enterprise=world.u,
        department=world.market,
        date=datetime.date(2020, 7, 2),
        after_the_fact=True,
    )
    VisitFactory(enterprise=world.u, date=datetime.date(2020, 7, 3), status=VisitStatus.CANCELLED)

    for scope in (
        BUREAU,
        Scope(department_id=world.safety.pk),
        Scope(department_id=world.market.pk),
        Scope(street_id=street.pk),
        Scope(street_id=world.other_street.pk),
    ):
        # when the rules tab reads the alerts from its frame
        mine = rules_data(scope=scope, slice=YEAR)["alerts"]["rows"]
        # then they are the visit selector's, alert for alert
        theirs = visit_alerts_list(scope=scope, date_from=YEAR.date_from, date_to=YEAR.date_to)
        assert mine == [v.alert for v in theirs], scope
    assert {r.kind for r in rules_data(scope=BUREAU, slice=YEAR)["alerts"]["rows"]} == {
        "high_frequency",
        "repeat_item",
        "non_enforcement_share",
        "after_the_fact",
    }
