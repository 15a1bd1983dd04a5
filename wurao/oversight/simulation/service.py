"""Run the simulator on a year of the registry: load once, replay the baseline and the proposal
with the pure engine, compare (docs/simulator.md). Reads only: nothing is written."""

from __future__ import annotations

import time

from wurao.oversight.simulation import engine, figures, loader
from wurao.oversight.simulation.rules import RULE_LABELS, RuleSet, empty_ruleset


def simulation_run(*, year: int, proposal: RuleSet, baseline: RuleSet | None = None) -> dict:
    """The year replayed under `baseline` (default: the empty rule set, the registry as it
    happened) and under `proposal`. Keys: year, seconds, baseline, proposal (figures each),
    onsite_visits_reduction, max_visits_reduction, d_coverage_kept, findings_kept (fractions
    0..1), by_rule (rule code -> on-site visits the proposal removed), rule_labels,
    max_enterprise_visits, methods (scheduler method -> months merged with it)."""
    started = time.perf_counter()
    data = loader.year_load(year=year)
    base_rules = baseline if baseline is not None else empty_ruleset()
    base = engine.simulate(data, base_rules)
    prop = engine.simulate(data, proposal)
    result = figures.compare(data, base, prop)
    result["rule_labels"] = dict(RULE_LABELS)
    result["methods"] = dict(prop.methods)
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result


def simulation_years() -> list[int]:
    """Years with records to replay, newest first."""
    return loader.simulation_years()
