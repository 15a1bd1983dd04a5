"""The rule-set format: the shipped default reads, round-trips, and every mistake names its path."""

import json

import pytest

from wurao.oversight.simulation.rules import (
    DEFAULT_RULES_PATH,
    FORMAT,
    RuleSetError,
    default_ruleset,
    empty_ruleset,
    ruleset_from_json,
    ruleset_to_json,
)


def test_default_rules_file_reads_and_round_trips():
    rs = default_ruleset()
    assert rs.name
    assert ruleset_from_json(ruleset_to_json(rs)) == rs
    assert json.loads(DEFAULT_RULES_PATH.read_text(encoding="utf-8"))["format"] == FORMAT


def test_empty_rule_set_changes_nothing():
    assert empty_ruleset().is_empty
    assert ruleset_from_json(ruleset_to_json(empty_ruleset())).is_empty


LIMITS = {g: {"department_cap": 1, "total_cap": 2, "quiet_days": 0} for g in "ABCDU"}


@pytest.mark.parametrize(
    ("doc", "path"),
    [
        ({"merge": {"origins": ["plan", "complaint"]}}, "merge.origins"),
        ({"merge": {"origins": ["plan"], "method": "fast"}}, "merge.method"),
        ({"merge": {"origins": ["plan"], "time_limit_per_month": 0}}, "merge.time_limit_per_month"),
        (
            {"merge": {"origins": ["plan"], "department_limits": {"huge": 3}}},
            "merge.department_limits.huge",
        ),
        ({"visit_rules": {"limits": {}}}, "visit_rules.limits.A"),
        (
            {"visit_rules": {"limits": LIMITS, "exempt_origins": ["complaint"]}},
            "visit_rules.exempt_origins",
        ),
        ({"non_enforcement": {"union": "skip"}}, "non_enforcement.union"),
        ({"non_enforcement": {"sports": "fold"}}, "non_enforcement.sports"),
        ({"draw": {"grades": ["A", "D"], "origins": ["plan"], "ratio": 0.2}}, "draw.grades"),
        ({"draw": {"grades": ["A"], "origins": ["referral"], "ratio": 0.2}}, "draw.origins"),
        ({"draw": {"grades": ["A"], "origins": ["plan"], "ratio": 1.5}}, "draw.ratio"),
        ({"draw": {"grades": ["X"], "origins": ["plan"], "ratio": 0.5}}, "draw.grades[0]"),
        ({"caps": {}}, "caps"),
        ({"format": "other/2"}, "format"),
    ],
)
def test_rule_set_error_names_the_path(doc, path):
    with pytest.raises(RuleSetError) as caught:
        ruleset_from_json(doc)
    assert path in [p for p, _, _ in caught.value.problems]
    assert path in caught.value.message
    assert path in caught.value.message_en


def test_every_mistake_is_reported_at_once():
    with pytest.raises(RuleSetError) as caught:
        ruleset_from_json({"merge": "yes", "draw": {"ratio": -1}, "colour": 1})
    paths = {p for p, _, _ in caught.value.problems}
    assert {"merge", "draw.ratio", "colour"} <= paths


def test_not_an_object():
    with pytest.raises(RuleSetError) as caught:
        ruleset_from_json([1, 2])
    assert caught.value.problems[0][0] == "$"
