"""Writes to the catalogue (一单): the published inspection items."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from wurao.catalogue.models import InspectionItem
from wurao.registry.services import UpsertResult, bulk_upsert

ITEM_FIELDS = frozenset(
    {
        "department_id",
        "name",
        "law",
        "article",
        "applicable_tags",
        "applicable_industries",
        "check_points",
        "kind",
    }
)


@transaction.atomic
def item_upsert_many(
    *,
    actor: Any,
    rows: Sequence[Mapping[str, Any]],
    fields: frozenset[str],
    source: Mapping[str, Any] | None = None,
    dry_run: bool = False,
) -> UpsertResult:
    """Create or update inspection items by item code. An import never deletes or withdraws
    items: a file says what to add or change, not the whole catalogue."""
    if unknown := fields - ITEM_FIELDS:
        raise ValueError(f"InspectionItem import cannot write {sorted(unknown)}")
    return bulk_upsert(
        actor=actor,
        model=InspectionItem,
        key="code",
        rows=rows,
        fields=fields,
        verb="inspection_item.import",
        source=source,
        dry_run=dry_run,
    )
