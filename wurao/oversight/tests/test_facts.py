"""The contacts frame and the 总览 / 入企负担 figures, against hand-counted records."""

import datetime

import pytest

from wurao.accounts.scope import Scope
from wurao.enforcement.choices import ActionKind, Origin
from wurao.enforcement.selectors import action_list
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.oversight import facts
from wurao.oversight.filters import Slice
from wurao.oversight.selectors_dashboard import burden_data, overview_data, records_data
from wurao.registry.choices import Level
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, StreetFactory
from wurao.visits.choices import VisitPurpose, VisitStatus
from wurao.visits.selectors import non_enforcement_list
from wurao.visits.tests.factories import NonEnforcementVisitFactory

pytestmark = pytest.mark.django_db

YEAR = Slice.year(2020)
ALL = Scope(sees_all=True)
DAY = datetime.date(2020, 5, 1)


@pytest.fixture
def district():
    """Two streets, two departments, a union; the key enterprise has 6 contacts.

    key (四上, street A): 3 inspections by env (2 random draws, one joint with market),
      1 inspection by market (the joint one), 2 union visits  -> 6 contacts
    small (street A): 1 penalty by env                         -> 1
    other (street B): 1 inspection by market, 1 coercive by market, 1 cancelled union visit
                                                               -> 2
    2019: 1 inspection of `other` (outside the year)
    """
    a, b = StreetFactory(name="福城街道"), StreetFactory(name="观湖街道")
    env = DepartmentFactory(name="生态环境局", level=Level.DISTRICT)
    market = DepartmentFactory(name="市场监管局", level=Level.CITY)
    union = DepartmentFactory(name="区总工会", level=Level.DISTRICT, is_enforcement=False)
    key = EnterpriseFactory(name="重点企业", street=a, four_above=True, size_class="large")
    small = EnterpriseFactory(name="小企业", street=a, size_class="micro")
    other = EnterpriseFactory(name="另一企业", street=b)
    action = EnforcementActionFactory
    action(enterprise=key, department=env, date=DAY, origin=Origin.RANDOM_DRAW, joint_ref="J1")
    action(enterprise=key, department=market, date=DAY, origin=Origin.RANDOM_DRAW, joint_ref="J1")
    action(enterprise=key, department=env, date=DAY, origin=Origin.RANDOM_DRAW)
    action(enterprise=key, department=env, date=DAY, origin=Origin.COMPLAINT)
    NonEnforcementVisitFactory.create_batch(2, enterprise=key, department=union, date=DAY)
    action(enterprise=small, department=env, date=DAY, kind=ActionKind.PENALTY)
    action(enterprise=other, department=market, date=DAY)
    action(enterprise=other, department=market, date=DAY, kind=ActionKind.COERCIVE)
    NonEnforcementVisitFactory(
        enterprise=other, department=union, date=DAY, status=VisitStatus.CANCELLED
    )
    action(enterprise=other, department=market, date=datetime.date(2019, 3, 1))
    return {
        "a": a,
        "b": b,
        "env": env,
        "market": market,
        "union": union,
        "key": key,
        "small": small,
        "other": other,
    }


@pytest.mark.parametrize("who", ["bureau", "env", "market", "union", "street_a", "street_b", "key"])
def test_the_frame_holds_what_the_selectors_show_each_role(district, who):
    # given a viewer's scope
    scope = {
        "bureau": ALL,
        "env": Scope(department_id=district["env"].pk),
        "market": Scope(department_id=district["market"].pk),
        "union": Scope(department_id=district["union"].pk),
        "street_a": Scope(street_id=district["a"].pk),
        "street_b": Scope(street_id=district["b"].pk),
        "key": Scope(enterprise_id=district["key"].pk),
    }[who]

    # when the frame is scoped
    frame = facts.contacts(scope=scope)

    # then it holds exactly the selectors' actions and non-enforcement visits
    got = {(s, i) for s, i in frame.select("source", "id").iter_rows()}
    expected = {("action", pk) for pk in action_list(scope=scope).values_list("pk", flat=True)}
    expected |= {
        ("visit", pk) for pk in non_enforcement_list(scope=scope).values_list("pk", flat=True)
    }
    assert got == expected
    assert got  # every role here has something to see


def test_the_frame_is_read_again_after_a_write(district):
    before = facts.contacts(scope=ALL).height

    EnforcementActionFactory(enterprise=district["small"], department=district["env"], date=DAY)

    assert facts.contacts(scope=ALL).height == before + 1


def test_overview_counts_table1_figure1_random_draws_and_joint_visits(district):
    data = overview_data(scope=ALL, slice=YEAR)

    assert data["by_kind"] == {"inspection": 5, "penalty": 1, "coercive": 1}
    assert data["total"] == 7
    assert [(r["name"], r["count"]) for r in data["by_department"]] == [
        ("生态环境局", 4),
        ("市场监管局", 3),
    ]
    # district-level inspections: env's 3; of them random draws: 2
    assert data["district_inspections"] == 3
    assert data["random_draw_inspections"] == 2
    assert data["random_share"] == 66.7
    # J1: env + market on one random-draw visit
    assert data["joint_random_visits"] == 1
    assert data["joint"]["actions"] == {"visits": 1, "department_visits": 2, "saved": 1}
    assert data["contacts"] == {
        "total": 9,
        "enforcement": 7,
        "non_enforcement": 2,
        "off_site_inspections": 0,
        "non_enforcement_share": 22.2,
    }
    assert [(r["name"], r["count"]) for r in data["non_enforcement_by_organisation"]] == [
        ("区总工会", 2)
    ]
    assert [(r["purpose"], r["count"]) for r in data["purposes"]] == [(VisitPurpose.UNION, 2)]
    assert {r["origin"]: r["count"] for r in data["origins"]} == {
        "random_draw": 3,
        "plan": 3,
        "complaint": 1,
    }
    # Figure 2: the most-visited enterprise by default
    figure2 = data["figure2"]
    assert figure2["enterprise_id"] == district["key"].pk
    assert (figure2["total"], figure2["enforcement"], figure2["other"]) == (6, 4, 2)


def test_overview_for_a_street_and_a_slice(district):
    street_a = Scope(street_id=district["a"].pk)

    data = overview_data(scope=street_a, slice=YEAR)
    assert data["total"] == 5 and data["contacts"]["non_enforcement"] == 2

    key_only = overview_data(scope=ALL, slice=YEAR.replace(size_class="large"))
    assert key_only["total"] == 4

    market = overview_data(scope=ALL, slice=YEAR.replace(department_id=district["market"].pk))
    assert market["by_kind"] == {"inspection": 2, "penalty": 0, "coercive": 1}


def test_burden_histogram_concentration_and_top_list(district):
    data = burden_data(scope=ALL, slice=YEAR)

    assert data["contacts"] == 9 and data["enterprises_visited"] == 3
    assert {r["bucket"]: r["enterprises"] for r in data["histogram"]} == {
        "1": 1,
        "2": 1,
        "3-5": 0,
        "6-10": 1,
        "11-20": 0,
        "21-50": 0,
        "51+": 0,
    }
    # the most-visited 1% (at least one enterprise) carries 6 of 9 contacts
    assert data["top1"] == {"enterprises": 1, "contacts": 6, "share": 66.7}
    assert data["lorenz"][0] == {"x": 0.0, "y": 0.0, "enterprises": 0}
    assert data["lorenz"][-1] == {"x": 100.0, "y": 100.0, "enterprises": 3}
    assert data["lorenz"][1] == {"x": 33.33, "y": 66.67, "enterprises": 1}
    first = data["top"][0]
    assert (first["name"], first["contacts"], first["enforcement"], first["other"]) == (
        "重点企业",
        6,
        4,
        2,
    )
    assert first["key"] is True
    assert [(o["name"], o["count"]) for o in first["by_organisation"]] == [
        ("生态环境局", 3),
        ("区总工会", 2),
        ("市场监管局", 1),
    ]
    assert first["dossier_url"] == f"/registry/enterprises/{district['key'].pk}/"


def test_records_behind_a_figure(district):
    key = district["key"].pk

    assert records_data(scope=ALL, slice=YEAR, enterprise=key)["total"] == 6
    assert records_data(scope=ALL, slice=YEAR, enterprise=key, kind="non_enforcement")["total"] == 2
    assert records_data(scope=ALL, slice=YEAR, bucket="6-10")["total"] == 6
    assert records_data(scope=ALL, slice=YEAR, joint=True)["total"] == 2
    assert records_data(scope=ALL, slice=YEAR, top=1)["total"] == 6
    assert records_data(scope=ALL, slice=YEAR, reason="union")["total"] == 2
    market = district["market"].pk
    assert records_data(scope=ALL, slice=YEAR, organisation=market)["total"] == 3
    page = records_data(scope=ALL, slice=YEAR, per_page=4, page=3)
    assert (page["total"], page["pages"], page["page"], len(page["rows"])) == (9, 3, 3, 1)


def test_planned_joint_visits_count_the_separate_visits_they_replaced(district):
    from wurao.planning.choices import JointVisitStatus
    from wurao.planning.models import JointVisit, MonthlyPlan, PlannedInspection

    # given a confirmed joint visit of three departments to the key enterprise, a proposed
    # one, and a confirmed "joint" visit of one department only
    month = datetime.date(2020, 5, 1)
    third = DepartmentFactory(name="应急管理局")
    plans = {
        d: MonthlyPlan.objects.create(department=d, month=month)
        for d in (district["env"], district["market"], third)
    }

    def joint(enterprise, departments, status=JointVisitStatus.CONFIRMED):
        visit = JointVisit.objects.create(
            month=month, enterprise=enterprise, street=enterprise.street, date=DAY, status=status
        )
        for d in departments:
            PlannedInspection.objects.create(
                plan=plans[d], enterprise=enterprise, earliest=month, latest=DAY, joint_visit=visit
            )

    joint(district["key"], [district["env"], district["market"], third])
    joint(district["small"], [district["env"], district["market"]], JointVisitStatus.PROPOSED)
    joint(district["other"], [district["market"]])

    # when the overview is read
    planned = overview_data(scope=ALL, slice=YEAR)["joint"]["planned"]

    # then one joint visit replaced three separate ones: two visits fewer
    assert planned == {"visits": 1, "department_visits": 3, "saved": 2}
    # a street sees the joint visits in its area; the other street none
    assert overview_data(scope=Scope(street_id=district["b"].pk), slice=YEAR)["joint"][
        "planned"
    ] == {"visits": 0, "department_visits": 0, "saved": 0}
