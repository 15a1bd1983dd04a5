"""Writes to the catalogue (一单): the published inspection items."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from wurao.accounts.policy import require
from wurao.audit.services import audit_record
from wurao.catalogue.models import InspectionItem, ItemArticleLink
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


@transaction.atomic
def item_article_link(*, actor: Any, item: InspectionItem, article: Any) -> ItemArticleLink:
    """Link an item to an article it enforces (once: a second call returns the first link)."""
    require(actor, "standards.item_link", item)
    link, created = ItemArticleLink.objects.get_or_create(item=item, article=article)
    if created:
        audit_record(
            actor=actor,
            verb="catalogue.item_article_link",
            obj=link,
            payload={"item": item.code, "article": article.pk, "number": article.number},
        )
    return link


@transaction.atomic
def item_article_unlink(*, actor: Any, link: ItemArticleLink) -> None:
    require(actor, "standards.item_link", link.item)
    audit_record(
        actor=actor,
        verb="catalogue.item_article_unlink",
        obj=link,
        payload={"item": link.item.code, "article": link.article_id},
    )
    link.delete()
