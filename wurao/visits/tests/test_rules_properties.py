"""The visit rules engine (rules.py), pure, no database: properties checked with hypothesis against
random histories: caps counted exactly, exempt origins never refused, history order irrelevant."""

import random
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from wurao.visits.rules import ORIGINS, GradeLimits, PastVisit, Proposal, violations
from wurao.visits.tests.support_rules import RULES, _rules, _rules_of

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
