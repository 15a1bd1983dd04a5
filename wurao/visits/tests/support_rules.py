"""Helpers shared by the rules engine tests: pure, no Django, like the engine itself."""

import copy
from datetime import date

from wurao.visits.rules import (
    DEFAULT_RULES_JSON,
    GradeLimits,
    PastVisit,
    Proposal,
    default_rules,
    rules_from_json,
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
