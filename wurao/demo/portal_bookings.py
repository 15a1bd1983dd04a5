"""The demo district's bookings (issue [portal]): filled in by its builder."""

from __future__ import annotations

from typing import Any


def demo_bookings_build(*, actor: Any, seed: int) -> dict[str, int]:
    """Build the demo's bookings through the app's services; return the counts for the summary."""
    return {}
