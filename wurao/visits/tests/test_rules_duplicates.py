"""The visit rules engine (rules.py), pure, no database: the same matter checked by another level
within the window is a duplicate."""

from datetime import timedelta

from wurao.visits.rules import RuleCode, violations
from wurao.visits.tests.support_rules import DAY, LOOSE, RULES, SAFETY, _past, _proposal, _rules

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
