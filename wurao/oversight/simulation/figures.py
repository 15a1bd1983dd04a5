"""The simulator's figures for one outcome, and the comparison of a proposal with its baseline.
Pure: no Django. Each figure is defined in docs/simulator.md."""

from __future__ import annotations

from collections import Counter

import numpy as np

from wurao.oversight.simulation.engine import Outcome, Year
from wurao.oversight.simulation.rules import RULE_ORDER


def _visits_per_enterprise(year: Year, outcome: Outcome) -> Counter:
    """On-site visits per enterprise: each inspection visit once (a joint visit once), each
    non-enforcement visit still on site once."""
    counts: Counter = Counter()
    enterprise_of = {i.id: i.enterprise for i in year.inspections}
    for _, enterprise in {(key, enterprise_of[i]) for i, (key, _) in outcome.placed.items()}:
        counts[enterprise] += 1
    for o in year.others:
        if o.id in outcome.others:
            counts[o.enterprise] += 1
    return counts


def _population(year: Year) -> set[int]:
    """Enterprises with an on-site visit in the registry's year: the same population for every
    rule set, so that means and percentiles compare."""
    return {i.enterprise for i in year.inspections} | {o.enterprise for o in year.others}


def figures(year: Year, outcome: Outcome) -> dict:
    counts = _visits_per_enterprise(year, outcome)
    population = sorted(_population(year))
    per = np.array([counts.get(e, 0) for e in population], dtype=float)
    top = max(counts.items(), key=lambda kv: (kv[1], -kv[0]), default=None)
    days = {
        (i.department, d) for i in year.inspections if (d := outcome.placed.get(i.id, (0, None))[1])
    }
    days |= {(o.department, o.date) for o in year.others if o.id in outcome.others}
    inspected = {i.enterprise for i in year.inspections if i.id in outcome.placed}
    d_inspected = len(inspected & year.d_grade)
    d_total = len(year.d_grade)
    visited = len(counts)
    return {
        "onsite_visits": int(sum(counts.values())),
        "enterprises": year.enterprise_count,
        "enterprises_visited": visited,
        "enterprises_never_disturbed": max(year.enterprise_count - visited, 0),
        "visits_per_enterprise": {
            "mean": round(float(per.mean()), 2) if len(per) else 0.0,
            "p95": round(float(np.percentile(per, 95)), 1) if len(per) else 0.0,
            "max": int(per.max()) if len(per) else 0,
        },
        "max_enterprise": (
            {"id": top[0], "name": year.names.get(top[0], ""), "visits": top[1]} if top else None
        ),
        "department_days": len(days),
        "d_grade_enterprises": d_total,
        "d_grade_inspected": d_inspected,
        "d_grade_inspected_share": round(d_inspected / d_total, 4) if d_total else 0.0,
        "findings": sum(1 for i in year.inspections if i.problems and i.id in outcome.placed),
        "by_rule": {code: outcome.by_rule[code] for code in RULE_ORDER if code in outcome.by_rule},
    }


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 1.0


def compare(year: Year, baseline: Outcome, proposal: Outcome) -> dict:
    """Baseline and proposal figures and the fractions the issue names (docs/simulator.md)."""
    before, after = figures(year, baseline), figures(year, proposal)
    prop_counts = _visits_per_enterprise(year, proposal)
    top = before["max_enterprise"]
    top_after = prop_counts.get(top["id"], 0) if top else 0
    problems = {i.id for i in year.inspections if i.problems and i.id in baseline.placed}
    kept = {i for i in problems if i in proposal.placed}
    base_d = {i.enterprise for i in year.inspections if i.id in baseline.placed} & year.d_grade
    prop_d = {i.enterprise for i in year.inspections if i.id in proposal.placed} & year.d_grade
    n_before, n_after = before["onsite_visits"], after["onsite_visits"]
    return {
        "year": year.year,
        "baseline": before,
        "proposal": after,
        "onsite_visits_reduction": round(1 - n_after / n_before, 4) if n_before else 0.0,
        "max_visits_reduction": round(1 - top_after / top["visits"], 4) if top else 0.0,
        "d_coverage_kept": _share(len(base_d & prop_d), len(base_d)),
        "findings_kept": _share(len(kept), len(problems)),
        "by_rule": after["by_rule"],
        # The baseline's most-visited enterprise, before and after.
        "max_enterprise_visits": {
            "id": top["id"] if top else None,
            "name": top["name"] if top else "",
            "baseline": top["visits"] if top else 0,
            "proposal": top_after,
        },
    }
