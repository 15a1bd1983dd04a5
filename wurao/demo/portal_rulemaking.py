"""The demo district's rulemaking (issue [portal]): filled in by its builder."""

from __future__ import annotations

from typing import Any


def demo_rulemaking_build(*, actor: Any, seed: int) -> dict[str, int]:
    """Build the demo's rulemaking through the app's services; return the counts for the summary."""
    return {}
