"""The visit rules engine (rules.py), pure, no database: the JSON the justice bureau edits, read back
as published, every mistake named by its path."""

import copy

import pytest

from wurao.visits.rules import DEFAULT_RULES_JSON, GradeLimits, RulesError, rules_from_json
from wurao.visits.tests.support_rules import DAY, _rules

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
