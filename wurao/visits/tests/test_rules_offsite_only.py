"""The visit rules engine (rules.py), pure, no database: 非举报不现场核查 — items the rules list
as off-site only are not inspected on site unless a complaint, a referral or a higher order
asks for it; exempt origins and grades do not lift it."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wurao.visits.rules import (
    GRADES,
    ONSITE_ORIGINS,
    ORIGINS,
    RULE_LABELS,
    Proposal,
    RuleCode,
    RulesError,
    offsite_only,
    violations,
)
from wurao.visits.tests.support_rules import DAY, LOOSE, _rules

LOW_RISK = "SC-0101"


def _proposal(origin="plan", grade="U", items=(LOW_RISK,)) -> Proposal:
    return Proposal(
        date=DAY, origin=origin, grade=grade, departments=frozenset({1}), items=frozenset(items)
    )


@pytest.mark.parametrize("origin", ["plan", "random_draw", "joint", "campaign", "recheck"])
def test_a_listed_item_is_refused_on_site_for_a_routine_origin(origin):
    rules = _rules(offsite_only_items=[LOW_RISK])

    found = offsite_only(rules, _proposal(origin=origin, items=(LOW_RISK, "SC-0999")))

    assert found is not None and found.rule == RuleCode.OFFSITE_ONLY
    assert LOW_RISK in found.message and "SC-0999" not in found.message
    assert "非现场检查" in found.message
    assert RULE_LABELS[found.rule] == "非举报不现场核查"


@pytest.mark.parametrize("origin", ["complaint", "referral", "higher_order"])
def test_a_complaint_referral_or_higher_order_may_go_on_site(origin):
    rules = _rules(offsite_only_items=[LOW_RISK])

    assert offsite_only(rules, _proposal(origin=origin)) is None


def test_exempt_origins_and_grades_do_not_lift_the_rule():
    # enterprise_request and recheck are exempt from the caps, grade D from every cap:
    # the caps do not bite, but the item is still off-site only.
    rules = _rules(offsite_only_items=[LOW_RISK])

    for origin in ("enterprise_request", "recheck"):
        assert violations(rules, _proposal(origin=origin, grade="D"), [], limits=LOOSE) == []
        assert offsite_only(rules, _proposal(origin=origin, grade="D")) is not None


def test_items_not_listed_and_the_default_rules_refuse_nothing():
    assert offsite_only(_rules(), _proposal()) is None
    assert offsite_only(_rules(offsite_only_items=["OTHER"]), _proposal()) is None


def test_the_rules_json_reads_the_list_and_names_each_mistake():
    rules = _rules(offsite_only_items=[" SC-0101 ", "SC-0102"])
    assert rules.offsite_only_items == {"SC-0101", "SC-0102"}

    with pytest.raises(RulesError) as refused:
        _rules(offsite_only_items="SC-0101")
    assert dict(refused.value.problems).keys() == {"offsite_only_items"}

    with pytest.raises(RulesError) as refused:
        _rules(offsite_only_items=["SC-0101", 7, ""])
    assert dict(refused.value.problems).keys() == {
        "offsite_only_items[1]",
        "offsite_only_items[2]",
    }


def test_rules_published_before_the_key_existed_list_no_items():
    from wurao.visits.rules import DEFAULT_RULES_JSON, rules_from_json

    old = {k: v for k, v in DEFAULT_RULES_JSON.items() if k != "offsite_only_items"}

    assert rules_from_json(old, version=1, effective_from=date(2020, 1, 1)).offsite_only_items == (
        frozenset()
    )


codes = st.sets(st.sampled_from(["A1", "A2", "B1", "B2", "C1"]), max_size=5)


@given(listed=codes, items=codes, origin=st.sampled_from(ORIGINS), grade=st.sampled_from(GRADES))
def test_refused_exactly_when_a_listed_item_meets_an_origin_that_may_not_go_on_site(
    listed, items, origin, grade
):
    rules = _rules(offsite_only_items=sorted(listed))

    found = offsite_only(rules, _proposal(origin=origin, grade=grade, items=items))

    assert (found is not None) == (bool(listed & items) and origin not in ONSITE_ORIGINS)
