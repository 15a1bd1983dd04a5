"""The simulator's pure engine on hand-built years: what each rule removes, and the invariants
(an empty rule set reproduces the registry; exempt origins never go; findings kept ≤ 1)."""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wurao.oversight.simulation import engine, figures
from wurao.oversight.simulation.engine import Inspection, OtherVisit, Year
from wurao.oversight.simulation.rules import (
    PROTECTED_ORIGINS,
    default_ruleset,
    empty_ruleset,
    ruleset_from_json,
)
from wurao.visits import rules as visit_rules

WORKDAYS = [
    date(2019, 1, 1) + timedelta(days=n)
    for n in range(365)
    if (date(2019, 1, 1) + timedelta(days=n)).weekday() < 5
]


def _year(inspections, others=(), grades=None, **kwargs) -> Year:
    grades = grades or {}
    return Year(
        year=2019,
        inspections=list(inspections),
        others=list(others),
        enterprise_count=100,
        grades=grades,
        d_grade=frozenset(e for e, g in grades.items() if g == "D"),
        names={1: "甲公司"},
        working_days=WORKDAYS,
        sampling_weights={"A": "0.5", "B": "1", "C": "2", "D": "4", "U": "1"},
        **{"department_limits": {"": 3}, **kwargs},
    )


def _insp(pk, enterprise, department, day, origin="plan", problems=False, visit=None):
    return Inspection(pk, enterprise, department, day, origin, visit or f"A:{pk}", problems)


def _caps(cap, total=None, quiet=0, exempt_grades=("D",)) -> dict:
    limits = {g: {"department_cap": cap, "total_cap": total, "quiet_days": quiet} for g in "ABCDU"}
    return {
        **visit_rules.DEFAULT_RULES_JSON,
        "limits": limits,
        "limits_from_credit_table": False,
        "exempt_grades": list(exempt_grades),
    }


def _run(year, doc):
    rs = ruleset_from_json(doc)
    return figures.compare(year, engine.simulate(year, empty_ruleset()), engine.simulate(year, rs))


# --- hand-counted --------------------------------------------------------------------------


def test_planned_inspections_of_one_month_become_one_joint_visit():
    # given three departments each inspecting enterprise 1 on its own day of March
    year = _year(
        [
            _insp(1, 1, 10, date(2019, 3, 4), problems=True),
            _insp(2, 1, 11, date(2019, 3, 12)),
            _insp(3, 1, 12, date(2019, 3, 20), origin="campaign"),
        ]
    )

    # when the month's planned inspections are merged
    result = _run(year, {"merge": {"origins": ["plan", "campaign"], "method": "greedy"}})

    # then one visit instead of three, and the finding is still made
    assert result["baseline"]["onsite_visits"] == 3
    assert result["proposal"]["onsite_visits"] == 1
    assert result["by_rule"] == {"joint_merge": 2}
    assert result["findings_kept"] == 1.0
    assert result["proposal"]["department_days"] == 3


def test_merging_respects_the_enterprise_department_limit():
    # given four departments in one month at a small enterprise that receives two at a time
    year = _year(
        [_insp(n, 1, 10 + n, date(2019, 5, 6 + n)) for n in range(4)],
        size_class={1: "small"},
        department_limits={"small": 2, "": 3},
    )

    result = _run(year, {"merge": {"origins": ["plan"], "method": "cp-sat"}})

    # then two joint visits of two departments each
    assert result["proposal"]["onsite_visits"] == 2


def test_planned_inspections_join_the_complaint_visit_on_its_day():
    # given a complaint inspection on 20 March and two planned inspections earlier that month
    year = _year(
        [
            _insp(1, 1, 10, date(2019, 3, 4)),
            _insp(2, 1, 11, date(2019, 3, 12)),
            _insp(3, 1, 12, date(2019, 3, 20), origin="complaint"),
        ]
    )

    outcome = engine.simulate(year, ruleset_from_json({"merge": {"origins": ["plan"]}}))

    # then all three take place on 20 March, in one visit
    assert {d for _, d in outcome.placed.values()} == {date(2019, 3, 20)}
    assert len({key for key, _ in outcome.placed.values()}) == 1

    # and without joining fixed visits, the two planned ones merge by themselves
    alone = ruleset_from_json({"merge": {"origins": ["plan"], "join_fixed_visits": False}})
    assert len({key for key, _ in engine.simulate(year, alone).placed.values()}) == 2


def test_a_recorded_joint_visit_beyond_the_limit_is_not_split():
    # given a small enterprise (two departments a visit) that received three at once, and a
    # planned inspection later that month
    year = _year(
        [_insp(n, 1, 10 + n, date(2019, 5, 6), visit="J:1") for n in range(3)]
        + [_insp(9, 1, 20, date(2019, 5, 20))],
        size_class={1: "small"},
        department_limits={"small": 2, "": 3},
    )

    result = _run(year, {"merge": {"origins": ["plan"]}})

    # then the joint visit stays one visit, and merging never adds one
    assert result["proposal"]["onsite_visits"] <= result["baseline"]["onsite_visits"] == 2


def test_complaint_inspections_are_not_merged_or_moved():
    year = _year(
        [
            _insp(1, 1, 10, date(2019, 3, 4), origin="complaint"),
            _insp(2, 1, 11, date(2019, 3, 12), origin="complaint"),
        ]
    )
    result = _run(year, {"merge": {"origins": ["plan"]}})
    assert result["proposal"]["onsite_visits"] == 2


def test_total_cap_refuses_routine_visits_but_never_a_complaint():
    # given a B-grade enterprise with four planned visits and a complaint, total cap 2
    year = _year(
        [_insp(n, 1, 10 + n, date(2019, 1 + n, 10)) for n in range(4)]
        + [_insp(9, 1, 10, date(2019, 12, 2), origin="complaint")],
        grades={1: "B"},
    )

    result = _run(year, {"visit_rules": _caps(None, total=2)})

    # then two planned visits go ahead, two are refused, the complaint stays
    assert result["proposal"]["onsite_visits"] == 3
    assert result["by_rule"] == {"total_cap": 2}


def test_quiet_period_after_a_joint_visit():
    # given a joint visit (two departments, one reference) and a planned visit 10 days later
    year = _year(
        [
            _insp(1, 1, 10, date(2019, 4, 1), visit="J:1"),
            _insp(2, 1, 11, date(2019, 4, 1), visit="J:1"),
            _insp(3, 1, 12, date(2019, 4, 11)),
        ],
        grades={1: "B"},
    )
    result = _run(year, {"visit_rules": _caps(None, quiet=30)})
    assert result["baseline"]["onsite_visits"] == 2
    assert result["by_rule"] == {"quiet_period": 1}


def test_d_grade_is_not_capped_and_keeps_its_coverage():
    year = _year([_insp(n, 1, 10, date(2019, 1 + n, 10)) for n in range(5)], grades={1: "D"})
    result = _run(year, {"visit_rules": _caps(1, total=1)})
    assert result["proposal"]["onsite_visits"] == 5
    assert result["d_coverage_kept"] == 1.0
    assert result["baseline"]["d_grade_inspected_share"] == 1.0


def test_non_enforcement_fold_and_offsite():
    # given an inspection in June, two union visits (June, July) and a policy talk
    year = _year(
        [_insp(1, 1, 10, date(2019, 6, 3))],
        [
            OtherVisit(1, 1, 50, date(2019, 6, 10), "union"),
            OtherVisit(2, 1, 51, date(2019, 7, 10), "union"),
            OtherVisit(3, 1, 52, date(2019, 7, 12), "women"),
            OtherVisit(4, 1, 53, date(2019, 8, 1), "policy"),
            OtherVisit(5, 1, 54, date(2019, 9, 1), "research"),
        ],
    )
    rules = {"non_enforcement": {"union": "fold", "women": "fold", "policy": "offsite"}}

    result = _run(year, rules)

    # then June's union visit joins the inspection, July's two go together, the talk goes
    # online, research stays on site
    assert result["by_rule"] == {"non_enforcement_fold": 2, "non_enforcement_offsite": 1}
    assert result["proposal"]["onsite_visits"] == 6 - 3


def test_draw_replaces_routine_inspections_of_low_risk_grades_repeatably():
    inspections = [_insp(n, n, 10, date(2019, 2, 4), problems=n % 3 == 0) for n in range(1, 41)]
    grades = {n: ("A" if n <= 30 else "C") for n in range(1, 41)}
    year = _year(inspections, grades=grades)
    rule = {"draw": {"grades": ["A"], "origins": ["plan"], "ratio": 0.2, "seed": 7}}

    first, again = _run(year, rule), _run(year, rule)

    # then 6 of the 30 A-grade inspections go ahead, the C-grade ones all do, every run alike
    assert first["by_rule"] == {"draw_replacement": 24}
    assert first == again
    assert 0 <= first["findings_kept"] < 1


def test_empty_rule_set_document_is_the_baseline():
    assert ruleset_from_json({}).is_empty
    assert default_ruleset().merge is not None


# --- invariants (hypothesis) ---------------------------------------------------------------

ORIGIN_CHOICES = [
    "plan",
    "random_draw",
    "campaign",
    "complaint",
    "referral",
    "higher_order",
    "recheck",
]


@st.composite
def years(draw):
    n = draw(st.integers(1, 40))
    rows = []
    for pk in range(1, n + 1):
        enterprise = draw(st.integers(1, 4))
        day = WORKDAYS[draw(st.integers(0, len(WORKDAYS) - 1))]
        joint = draw(st.integers(0, 6))
        rows.append(
            _insp(
                pk,
                enterprise,
                draw(st.integers(10, 14)),
                day,
                origin=draw(st.sampled_from(ORIGIN_CHOICES)),
                problems=draw(st.booleans()),
                visit=f"J:{enterprise}-{day}" if joint == 0 else None,
            )
        )
    others = [
        OtherVisit(
            pk,
            draw(st.integers(1, 4)),
            draw(st.integers(50, 53)),
            WORKDAYS[draw(st.integers(0, len(WORKDAYS) - 1))],
            draw(st.sampled_from(["union", "party", "community", "policy", "research"])),
        )
        for pk in range(draw(st.integers(0, 10)))
    ]
    grades = {e: draw(st.sampled_from("ABCDU")) for e in range(1, 5)}
    return _year(rows, others, grades=grades)


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(years())
def test_empty_rule_set_reproduces_the_registry_exactly(year):
    outcome = engine.simulate(year, empty_ruleset())
    assert outcome.placed == {i.id: (i.visit, i.date) for i in year.inspections}
    assert outcome.others == {o.id for o in year.others}
    assert outcome.by_rule == {}
    result = figures.compare(year, outcome, outcome)
    assert result["onsite_visits_reduction"] == 0
    assert result["findings_kept"] == 1.0


@SETTINGS
@given(years(), st.integers(0, 4), st.integers(0, 3))
def test_stricter_cap_never_increases_visits(year, cap, stricter_by):
    # Without quiet periods: a refused joint visit starts no quiet period, so with them a
    # stricter cap can let a later visit through (docs/simulator.md).
    loose = _run(year, {"visit_rules": _caps(cap + stricter_by, total=2 * cap + stricter_by)})
    strict = _run(year, {"visit_rules": _caps(cap, total=2 * cap)})
    assert strict["proposal"]["onsite_visits"] <= loose["proposal"]["onsite_visits"]


@SETTINGS
@given(years(), st.floats(0, 1), st.integers(0, 3))
def test_exempt_origins_are_never_removed_and_findings_kept_at_most_one(year, ratio, cap):
    doc = {
        "merge": {"origins": ["plan", "random_draw", "campaign"], "method": "greedy"},
        "visit_rules": _caps(cap, total=cap, quiet=60, exempt_grades=()),
        "non_enforcement": {"union": "fold", "community": "offsite"},
        "draw": {"grades": ["A", "B", "U"], "origins": ["plan", "campaign"], "ratio": ratio},
    }
    outcome = engine.simulate(year, ruleset_from_json(doc))
    for i in year.inspections:
        if i.origin in PROTECTED_ORIGINS:
            assert outcome.placed[i.id][1] == i.date
    result = figures.compare(year, engine.simulate(year, empty_ruleset()), outcome)
    assert 0 <= result["findings_kept"] <= 1
    assert 0 <= result["d_coverage_kept"] <= 1
    removed = result["baseline"]["onsite_visits"] - result["proposal"]["onsite_visits"]
    assert sum(result["by_rule"].values()) == removed
    assert all(n > 0 for n in result["by_rule"].values())
