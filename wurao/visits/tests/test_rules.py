"""The visit rules engine (rules.py), pure: caps, quiet periods, quiet days, exemptions,
cross-level duplicates, grade limits, and the JSON the justice bureau edits. No database."""

import copy
import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wurao.visits.rules import (
    DEFAULT_RULES_JSON,
    ORIGINS,
    GradeLimits,
    PastVisit,
    Proposal,
    RuleCode,
    RulesError,
    default_rules,
    rules_from_json,
    violations,
)

RULES = default_rules()
DAY = date(2026, 6, 15)
SAFETY = ("安全生产法第六十五条", "district")
LOOSE = GradeLimits(department_cap=None, total_cap=None, quiet_days=0)


def _past(code, day, departments=(1,), **extra) -> PastVisit:
    return PastVisit(code=code, date=day, departments=frozenset(departments), **extra)


def _proposal(day=DAY, origin="plan", grade="U", departments=(1,), matters=()) -> Proposal:
    return Proposal(
        date=day,
        origin=origin,
        grade=grade,
        departments=frozenset(departments),
        matters=frozenset(matters),
    )


def _rules(**changes):
    doc = copy.deepcopy(DEFAULT_RULES_JSON)
    doc.update(changes)
    return rules_from_json(doc, version=2, effective_from=date(2026, 1, 1))


def _rules_of(found) -> list[str]:
    return [str(v.rule) for v in found]


# --- the department cap ------------------------------------------------------------------------


def test_the_department_cap_allows_visits_below_it():
    # given one visit this year by department 1, cap 2
    history = [_past("AAAA0001", date(2026, 2, 1))]

    found = violations(RULES, _proposal(), history, limits=RULES.limits["U"])

    assert found == []


def test_the_department_cap_refuses_the_visit_that_would_exceed_it_and_names_the_department():
    history = [_past("AAAA0001", date(2026, 2, 1)), _past("AAAA0002", date(2026, 3, 1))]

    found = violations(
        RULES, _proposal(), history, limits=RULES.limits["U"], department_names={1: "区应急管理局"}
    )

    assert _rules_of(found) == ["department_cap"]
    assert found[0].message == "区应急管理局2026年已对该企业现场检查 2 次，达到本部门年度上限 2 次"
    assert found[0].visits == ("AAAA0001", "AAAA0002")


def test_the_department_cap_counts_only_this_year_this_department_and_inspections():
    # given visits last year, by another department, and a non-enforcement visit this year
    history = [
        _past("LAST0001", date(2025, 12, 31)),
        _past("LAST0002", date(2025, 11, 30)),
        _past("OTHR0001", date(2026, 2, 1), departments=(2,)),
        _past("UNIN0001", date(2026, 3, 1), inspection=False),
        _past("UNIN0002", date(2026, 4, 1), inspection=False),
        _past("MINE0001", date(2026, 5, 1)),
    ]

    found = violations(RULES, _proposal(), history, limits=RULES.limits["U"])

    assert found == []


def test_a_joint_visit_counts_for_each_department_that_took_part():
    history = [
        _past("JNT00001", date(2026, 2, 1), departments=(1, 2), joint=True),
        _past("MINE0001", date(2026, 3, 1)),
    ]

    found = violations(RULES, _proposal(), history, limits=RULES.limits["U"])

    assert _rules_of(found) == ["department_cap"]


def test_a_joint_proposal_is_judged_for_every_department_on_it():
    # given department 2 has used its cap, department 1 has not
    history = [_past(f"TWO0000{i}", date(2026, i, 1), departments=(2,)) for i in (1, 2)]

    found = violations(
        RULES, _proposal(departments=(1, 2)), history, limits=GradeLimits(2, None, 0)
    )

    assert [(v.rule, v.visits) for v in found] == [("department_cap", ("TWO00001", "TWO00002"))]


def test_a_cap_of_zero_refuses_every_routine_visit():
    found = violations(RULES, _proposal(), [], limits=GradeLimits(0, None, 0))

    assert _rules_of(found) == ["department_cap"]


def test_no_cap_means_no_department_cap_violation():
    history = [_past(f"MINE000{i}", date(2026, i, 1)) for i in range(1, 10)]

    assert violations(RULES, _proposal(), history, limits=LOOSE) == []


# --- the total cap ----------------------------------------------------------------------------


def test_the_total_cap_counts_every_department_and_a_joint_visit_once():
    # given six inspections by six other departments this year, one of them joint
    history = [_past(f"OTHR000{i}", date(2026, i, 1), departments=(10 + i,)) for i in range(1, 6)]
    history.append(_past("JNT00001", date(2026, 1, 20), departments=(20, 21), joint=True))

    found = violations(RULES, _proposal(), history, limits=RULES.limits["U"])

    assert _rules_of(found) == ["total_cap"]
    assert "各部门已对该企业现场检查 6 次，达到年度总上限 6 次" in found[0].message
    assert len(found[0].visits) == 6


def test_the_total_cap_allows_one_below():
    history = [_past(f"OTHR000{i}", date(2026, i, 1), departments=(10 + i,)) for i in range(1, 6)]

    assert violations(RULES, _proposal(), history, limits=RULES.limits["U"]) == []


# --- the quiet period after a joint visit ----------------------------------------------------


@pytest.mark.parametrize(
    ("days_after", "quiet"),
    [(0, False), (1, True), (90, True), (91, False)],
    ids=["day of the visit", "day after", "last quiet day", "day after the quiet period"],
)
def test_the_quiet_period_after_a_joint_visit_covers_exactly_the_days_after_it(days_after, quiet):
    # given a joint visit by two other departments and 90 quiet days (ungraded default)
    joint = _past("JNT00001", DAY, departments=(7, 8), joint=True)

    found = violations(
        RULES,
        _proposal(day=DAY + timedelta(days=days_after)),
        [joint],
        limits=RULES.limits["U"],
    )

    assert ("quiet_period" in _rules_of(found)) is quiet


def test_the_quiet_period_message_says_until_when():
    joint = _past("JNT00001", date(2026, 6, 1), departments=(7, 8), joint=True)

    [found] = violations(RULES, _proposal(), [joint], limits=GradeLimits(None, None, 30))

    assert (
        found.message == "该企业已于 2026-06-01 接受联合检查，其后 30 日（至 2026-07-01）为安静期"
    )
    assert found.visits == ("JNT00001",)


def test_only_a_joint_inspection_starts_a_quiet_period():
    history = [
        _past("SOLO0001", DAY - timedelta(days=3), departments=(7,)),
        _past(
            "UNIN0001", DAY - timedelta(days=2), departments=(7, 8), joint=True, inspection=False
        ),
    ]

    assert violations(RULES, _proposal(), history, limits=GradeLimits(None, None, 90)) == []


def test_no_quiet_days_means_no_quiet_period():
    joint = _past("JNT00001", DAY - timedelta(days=1), departments=(7, 8), joint=True)

    assert violations(RULES, _proposal(), [joint], limits=LOOSE) == []


def test_the_quiet_period_names_the_latest_joint_visit_whatever_the_history_order():
    older = _past("JNT00001", DAY - timedelta(days=20), departments=(7, 8), joint=True)
    newer = _past("JNT00002", DAY - timedelta(days=5), departments=(7, 9), joint=True)

    for history in ([older, newer], [newer, older]):
        [found] = violations(RULES, _proposal(), history, limits=GradeLimits(None, None, 90))
        assert found.visits == ("JNT00002",)


# --- monthly quiet days -----------------------------------------------------------------------


def test_a_monthly_quiet_day_refuses_a_routine_visit_on_that_day_only():
    rules = _rules(monthly_quiet_days=[15, 1])

    on_the_day = violations(rules, _proposal(day=date(2026, 6, 15)), [], limits=LOOSE)
    the_day_after = violations(rules, _proposal(day=date(2026, 6, 16)), [], limits=LOOSE)

    assert _rules_of(on_the_day) == ["quiet_day"]
    assert on_the_day[0].message == "每月 1、15 日为企业安静日，不安排现场检查"
    assert the_day_after == []


# --- exemptions -------------------------------------------------------------------------------


def _everything_broken(day=DAY):
    """A history that breaks every rule for a proposal on `day` with SAFETY at district level."""
    street_safety = frozenset({(SAFETY[0], "street")})
    return [
        _past("MINE0001", date(day.year, 1, 2)),
        _past("MINE0002", date(day.year, 1, 3)),
        _past("JNT00001", day - timedelta(days=1), departments=(1, 2), joint=True),
        _past("STRT0001", day + timedelta(days=3), departments=(9,), matters=street_safety),
    ]


@pytest.mark.parametrize(
    "origin", ["complaint", "referral", "higher_order", "recheck", "enterprise_request"]
)
def test_an_exempt_origin_breaks_no_rule(origin):
    rules = _rules(monthly_quiet_days=[DAY.day])

    found = violations(
        rules,
        _proposal(origin=origin, matters=[SAFETY]),
        _everything_broken(),
        limits=GradeLimits(1, 1, 90),
    )

    assert found == []


@pytest.mark.parametrize("origin", ["plan", "random_draw", "joint", "campaign"])
def test_a_routine_origin_is_judged_by_every_rule(origin):
    rules = _rules(monthly_quiet_days=[DAY.day])

    found = violations(
        rules,
        _proposal(origin=origin, matters=[SAFETY]),
        _everything_broken(),
        limits=GradeLimits(1, 1, 90),
    )

    assert _rules_of(found) == [
        "department_cap",
        "total_cap",
        "quiet_period",
        "quiet_day",
        "duplicate",
    ]


def test_an_exempt_grade_breaks_no_rule_and_other_grades_do():
    found_d = violations(
        RULES, _proposal(grade="D"), _everything_broken(), limits=GradeLimits(1, 1, 90)
    )
    found_b = violations(
        RULES, _proposal(grade="B"), _everything_broken(), limits=GradeLimits(1, 1, 90)
    )

    assert found_d == []
    assert found_b != []


def test_exempt_origins_are_configurable():
    # given rules where a complaint is no longer exempt but a campaign is
    rules = _rules(exempt_origins=["campaign"])

    complaint = violations(rules, _proposal(origin="complaint"), [], limits=GradeLimits(0, 0, 0))
    campaign = violations(rules, _proposal(origin="campaign"), [], limits=GradeLimits(0, 0, 0))

    assert _rules_of(complaint) == ["department_cap", "total_cap"]
    assert campaign == []


# --- cross-level duplicates --------------------------------------------------------------------


def test_the_same_matter_by_another_level_within_the_window_is_a_duplicate():
    street = _past(
        "STRT0001",
        DAY - timedelta(days=90),
        departments=(9,),
        matters=frozenset({(SAFETY[0], "street")}),
    )

    [found] = violations(RULES, _proposal(matters=[SAFETY]), [street], limits=LOOSE)

    assert found.rule == RuleCode.DUPLICATE
    assert "安全生产法第六十五条" in found.message and "STRT-0001" in found.message
    assert found.joinable == ""  # it has been carried out: nothing to join


def test_the_same_matter_by_another_level_outside_the_window_is_not_a_duplicate():
    street = _past(
        "STRT0001",
        DAY - timedelta(days=91),
        departments=(9,),
        matters=frozenset({(SAFETY[0], "street")}),
    )

    assert violations(RULES, _proposal(matters=[SAFETY]), [street], limits=LOOSE) == []


def test_a_future_visit_by_another_level_within_the_window_is_a_duplicate_to_join():
    upcoming = _past(
        "STRT0002",
        DAY + timedelta(days=7),
        departments=(9,),
        matters=frozenset({(SAFETY[0], "street")}),
        open=True,
    )

    [found] = violations(RULES, _proposal(matters=[SAFETY]), [upcoming], limits=LOOSE)

    assert found.joinable == "STRT0002"
    assert found.as_json()["joinable"] == "STRT0002"
    assert found.as_json()["label"] == "跨层级重复检查"


def test_the_same_level_checking_the_same_matter_again_is_not_a_cross_level_duplicate():
    # the caps and the repeat alert deal with that, not the duplicate rule
    same_level = _past(
        "DIST0001", DAY - timedelta(days=10), departments=(3,), matters=frozenset({SAFETY})
    )

    assert violations(RULES, _proposal(matters=[SAFETY]), [same_level], limits=LOOSE) == []


def test_another_matter_by_another_level_is_not_a_duplicate():
    street = _past(
        "STRT0001",
        DAY - timedelta(days=10),
        departments=(9,),
        matters=frozenset({("消防法第十六条", "street")}),
    )

    assert violations(RULES, _proposal(matters=[SAFETY]), [street], limits=LOOSE) == []


def test_a_non_enforcement_visit_is_never_a_duplicate():
    union = _past(
        "UNIN0001",
        DAY - timedelta(days=10),
        departments=(9,),
        matters=frozenset({(SAFETY[0], "street")}),
        inspection=False,
    )

    assert violations(RULES, _proposal(matters=[SAFETY]), [union], limits=LOOSE) == []


def test_a_duplicate_names_each_clashing_matter_once():
    # given a joint visit where two other levels checked the same matter
    joint = _past(
        "JNT00001",
        DAY - timedelta(days=10),
        departments=(8, 9),
        matters=frozenset({(SAFETY[0], "street"), (SAFETY[0], "city")}),
    )

    [found] = violations(RULES, _proposal(matters=[SAFETY]), [joint], limits=LOOSE)

    assert found.message.count(SAFETY[0]) == 1


def test_the_duplicate_window_is_configurable():
    rules = _rules(duplicate_window_days=30)
    street = _past(
        "STRT0001",
        DAY - timedelta(days=31),
        departments=(9,),
        matters=frozenset({(SAFETY[0], "street")}),
    )

    assert violations(rules, _proposal(matters=[SAFETY]), [street], limits=LOOSE) == []


# --- grade limits -----------------------------------------------------------------------------


def test_grade_limits_without_a_credit_effect_are_the_rules_own():
    assert RULES.grade_limits("A") == GradeLimits(1, 3, 180)
    assert RULES.grade_limits("C", None) == GradeLimits(4, 12, 30)


def test_an_unknown_grade_is_treated_as_ungraded():
    assert RULES.grade_limits("Z") == RULES.limits["U"]


def test_the_credit_table_sets_the_department_cap_and_quiet_period_when_graded():
    effect = {"sampling_weight": "1", "visit_cap_per_year": 5, "quiet_period_days": 14}

    limits = RULES.grade_limits("B", effect)

    # the total cap stays the rules' own: the credit table has none
    assert limits == GradeLimits(department_cap=5, total_cap=6, quiet_days=14)


def test_the_credit_table_may_lift_the_department_cap():
    limits = RULES.grade_limits("D", {"visit_cap_per_year": None, "quiet_period_days": 0})

    assert limits.department_cap is None


def test_the_credit_table_is_ignored_when_the_rules_say_so():
    rules = _rules(limits_from_credit_table=False)

    limits = rules.grade_limits("B", {"visit_cap_per_year": 5, "quiet_period_days": 14})

    assert limits == GradeLimits(2, 6, 90)


# --- the rules as JSON ------------------------------------------------------------------------


def _problems(doc) -> dict[str, str]:
    with pytest.raises(RulesError) as refused:
        rules_from_json(doc, version=1, effective_from=DAY)
    return dict(refused.value.problems)


def _broken(**changes):
    doc = copy.deepcopy(DEFAULT_RULES_JSON)
    for path, value in changes.items():
        keys = path.split("__")
        target = doc
        for key in keys[:-1]:
            target = target[key]
        if value is _DROP:
            del target[keys[-1]]
        else:
            target[keys[-1]] = value
    return doc


_DROP = object()


def test_the_default_rules_read_back_as_published():
    rules = rules_from_json(DEFAULT_RULES_JSON, version=3, effective_from=DAY)

    assert rules.version == 3 and rules.effective_from == DAY
    assert rules.limits["A"] == GradeLimits(1, 3, 180)
    assert rules.limits["D"] == GradeLimits(None, None, 0)
    assert rules.exempt_origins == {
        "complaint",
        "referral",
        "higher_order",
        "recheck",
        "enterprise_request",
    }
    assert rules.exempt_grades == {"D"}
    assert (rules.late_registration_days, rules.min_officers) == (10, 2)
    assert (rules.high_frequency_visits, rules.high_frequency_days) == (3, 30)
    assert rules.non_enforcement_share == 0.4 and rules.rating_min_count == 5


def test_optional_settings_take_their_defaults_when_left_out():
    doc = {"limits": copy.deepcopy(DEFAULT_RULES_JSON["limits"])}

    rules = rules_from_json(doc, version=1, effective_from=DAY)

    assert rules.exempt_origins == frozenset() and rules.monthly_quiet_days == ()
    assert rules.duplicate_window_days == 90 and rules.limits_from_credit_table is True


@pytest.mark.parametrize(
    ("changes", "path", "words"),
    [
        ({"quiet_week": [1]}, "quiet_week", "未知的规则项"),
        ({"limits__B": _DROP}, "limits.B", "缺少 B 级"),
        ({"limits__Z": {"department_cap": 1}}, "limits.Z", "等级只能是"),
        ({"limits__A__department_cap": -1}, "limits.A.department_cap", "不小于 0"),
        ({"limits__A__total_cap": True}, "limits.A.total_cap", "True"),
        ({"limits__A__total_cap": 2.5}, "limits.A.total_cap", "2.5"),
        ({"limits__C__department_cap": _DROP}, "limits.C.department_cap", "null"),
        ({"limits__C__departmnet_cap": 1}, "limits.C.departmnet_cap", "未知的上限项"),
        ({"limits__A__quiet_days": 400}, "limits.A.quiet_days", "0 到 366"),
        ({"limits__A__quiet_days": _DROP}, "limits.A.quiet_days", "0 到 366"),
        ({"limits": [1, 2]}, "limits", "按等级"),
        ({"exempt_origins": ["complaint", "visit"]}, "exempt_origins[1]", "'visit'"),
        ({"exempt_origins": "complaint"}, "exempt_origins", "列表"),
        ({"exempt_grades": ["E"]}, "exempt_grades[0]", "未知的等级"),
        ({"monthly_quiet_days": [1, 32]}, "monthly_quiet_days[1]", "32"),
        ({"monthly_quiet_days": [0]}, "monthly_quiet_days[0]", "1 到 31"),
        ({"monthly_quiet_days": "1,2"}, "monthly_quiet_days", "列表"),
        ({"monthly_quiet_days": list(range(1, 22))}, "monthly_quiet_days", "20 日"),
        ({"duplicate_window_days": 400}, "duplicate_window_days", "0 到 366"),
        ({"late_registration_days": -1}, "late_registration_days", "0 到 60"),
        ({"min_officers": 0}, "min_officers", "1 到 10"),
        ({"min_officers": True}, "min_officers", "True"),
        ({"high_frequency_visits": "3"}, "high_frequency_visits", "'3'"),
        ({"high_frequency_days": 0}, "high_frequency_days", "1 到 366"),
        ({"rating_min_count": 0}, "rating_min_count", "1 到 100"),
        ({"non_enforcement_share": 1.5}, "non_enforcement_share", "1.5"),
        ({"non_enforcement_share": 0}, "non_enforcement_share", "0 与 1"),
        ({"non_enforcement_share": float("nan")}, "non_enforcement_share", "nan"),
        ({"non_enforcement_share": True}, "non_enforcement_share", "True"),
        ({"limits_from_credit_table": "yes"}, "limits_from_credit_table", "true 或 false"),
    ],
)
def test_rules_from_json_refuses_a_mistake_naming_its_path(changes, path, words):
    problems = _problems(_broken(**changes))

    assert path in problems, problems
    assert words in problems[path]


def test_rules_from_json_refuses_something_that_is_not_an_object():
    assert _problems([1, 2, 3]) == {"$": "规则须为 JSON 对象"}


def test_rules_from_json_reports_every_problem_at_once():
    doc = _broken(
        quiet_week=[1],
        limits__A__department_cap=-1,
        limits__D=_DROP,
        exempt_origins=["visit"],
        monthly_quiet_days=[32],
        non_enforcement_share=1.5,
    )

    problems = _problems(doc)

    assert set(problems) == {
        "quiet_week",
        "limits.A.department_cap",
        "limits.D",
        "exempt_origins[0]",
        "monthly_quiet_days[0]",
        "non_enforcement_share",
    }
    with pytest.raises(RulesError, match="limits.D: 缺少 D 级的上限"):
        rules_from_json(doc, version=1, effective_from=DAY)


def test_monthly_quiet_days_are_kept_sorted_and_once():
    rules = _rules(monthly_quiet_days=[15, 1, 15])

    assert rules.monthly_quiet_days == (1, 15)


# --- properties -------------------------------------------------------------------------------

_days = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))
_departments = st.frozensets(st.integers(1, 4), min_size=1, max_size=3)
_matters = st.frozensets(
    st.tuples(st.sampled_from(["m1", "m2", "m3"]), st.sampled_from(["district", "street"])),
    max_size=3,
)


@st.composite
def _history(draw):
    visits = draw(
        st.lists(
            st.builds(
                PastVisit,
                code=st.just(""),
                date=_days,
                departments=_departments,
                matters=_matters,
                inspection=st.booleans(),
                joint=st.booleans(),
                open=st.booleans(),
            ),
            max_size=12,
        )
    )
    # codes are unique in the registry
    return [
        PastVisit(f"V{i:07d}", v.date, v.departments, v.matters, v.inspection, v.joint, v.open)
        for i, v in enumerate(visits)
    ]


_proposals = st.builds(
    Proposal,
    date=_days,
    origin=st.sampled_from(ORIGINS),
    grade=st.sampled_from(["A", "B", "C", "D", "U"]),
    departments=_departments,
    matters=_matters,
)
_caps = st.one_of(st.none(), st.integers(0, 6))
_limits = st.builds(
    GradeLimits, department_cap=_caps, total_cap=_caps, quiet_days=st.integers(0, 60)
)
_rule_sets = st.sampled_from([RULES, _rules(monthly_quiet_days=[1, 15, 28], exempt_grades=[])])


@settings(max_examples=300, deadline=None)
@given(rules=_rule_sets, proposal=_proposals, history=_history(), limits=_limits)
def test_a_cap_violation_is_reported_exactly_when_the_count_reaches_the_cap(
    rules, proposal, history, limits
):
    found = _rules_of(violations(rules, proposal, history, limits=limits))
    if rules.is_exempt(origin=proposal.origin, grade=proposal.grade):
        return
    year = [v for v in history if v.inspection and v.date.year == proposal.date.year]
    over = [
        d
        for d in proposal.departments
        if limits.department_cap is not None
        and sum(d in v.departments for v in year) >= limits.department_cap
    ]

    assert found.count("department_cap") == len(over)
    total_reached = limits.total_cap is not None and len(year) >= limits.total_cap
    assert ("total_cap" in found) is total_reached


@settings(max_examples=300, deadline=None)
@given(rules=_rule_sets, proposal=_proposals, history=_history(), limits=_limits)
def test_an_exempt_origin_never_yields_a_violation(rules, proposal, history, limits):
    exempt = Proposal(
        proposal.date, "complaint", proposal.grade, proposal.departments, proposal.matters
    )

    assert violations(rules, exempt, history, limits=limits) == []


@settings(max_examples=300, deadline=None)
@given(
    rules=_rule_sets,
    proposal=_proposals,
    history=_history(),
    limits=_limits,
    seed=st.integers(0, 2**32 - 1),
)
def test_the_answer_does_not_depend_on_the_order_of_the_history(
    rules, proposal, history, limits, seed
):
    shuffled = list(history)
    random.Random(seed).shuffle(shuffled)

    first = violations(rules, proposal, history, limits=limits)
    again = violations(rules, proposal, shuffled, limits=limits)

    assert first == again
    assert violations(rules, proposal, iter(history), limits=limits) == first
