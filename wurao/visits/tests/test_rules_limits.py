"""The visit rules engine (rules.py), pure, no database: the department and total caps, the quiet
period after a joint visit, monthly quiet days, and the limits of each credit grade."""

from datetime import date, timedelta

import pytest

from wurao.visits.rules import GradeLimits, violations
from wurao.visits.tests.support_rules import DAY, LOOSE, RULES, _past, _proposal, _rules, _rules_of

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
