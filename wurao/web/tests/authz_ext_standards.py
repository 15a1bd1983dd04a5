"""The authorisation matrix's records and routes of the standards app (see authz_extensions.py)."""

from __future__ import annotations

VISIBLE: dict = {}
TARGETS: dict = {}
BODIES: dict = {}


def build(world) -> None:
    """Nothing yet."""


def shown(world, k: int) -> dict:
    return {}
