"""The policy simulator run for a person: the bureau's comparison of two rule sets, audited.

The replay itself (wurao.oversight.simulation) only reads; what is recorded is that the
justice bureau ran it, on which year, with which rule sets and what it found, so that a rule
adopted later can be traced to the simulation that argued for it.
"""

import hashlib
import json
from typing import Any

from django.db import transaction

from wurao.accounts.policy import require
from wurao.audit.services import audit_record
from wurao.oversight.simulation.rules import empty_ruleset, ruleset_from_json
from wurao.oversight.simulation.service import simulation_run


def _plain(value: Any) -> Any:
    """The engine's answer as plain JSON values (NumPy numbers become Python numbers), so that
    the job's result can be kept in the session and exported."""

    def convert(obj):
        if hasattr(obj, "item"):
            return obj.item()
        if isinstance(obj, (set, frozenset, tuple)):
            return list(obj)
        return str(obj)

    return json.loads(json.dumps(value, default=convert, ensure_ascii=False))


def ruleset_digest(doc: dict | None) -> str:
    """A short fingerprint of a rule set's document ("" for the present rules)."""
    if doc is None:
        return ""
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def simulation_compare(*, actor, year: int, rules: dict) -> dict:
    """Replay `year` under rule set A (the baseline) and rule set B (the proposal), as
    `rules = {"a": {"label", "doc"}, "b": {...}}` (doc None: the present rules); returns the
    simulation's figures (simulation_run's keys) as plain values."""
    require(actor, "oversight.simulate")
    a, b = rules["a"], rules["b"]
    baseline = ruleset_from_json(a["doc"]) if a.get("doc") is not None else None
    proposal = ruleset_from_json(b["doc"]) if b.get("doc") is not None else empty_ruleset()
    result = _plain(simulation_run(year=year, proposal=proposal, baseline=baseline))
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb="simulation.run",
            object_type="oversight.simulation",
            object_id=str(year),
            payload={
                "year": year,
                "a": {"label": a.get("label", ""), "sha256": ruleset_digest(a.get("doc"))},
                "b": {"label": b.get("label", ""), "sha256": ruleset_digest(b.get("doc"))},
                "onsite_visits": [
                    result.get("baseline", {}).get("onsite_visits"),
                    result.get("proposal", {}).get("onsite_visits"),
                ],
                "onsite_visits_reduction": result.get("onsite_visits_reduction"),
                "findings_kept": result.get("findings_kept"),
                "seconds": result.get("seconds"),
            },
        )
    return result
