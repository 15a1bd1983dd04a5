"""The visit rules engine (rules.py), pure, no database: exempt origins and grades break no rule;
routine origins are judged by every rule."""

from datetime import date, timedelta

import pytest

from wurao.visits.rules import GradeLimits, violations
from wurao.visits.tests.support_rules import DAY, RULES, SAFETY, _past, _proposal, _rules, _rules_of

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
