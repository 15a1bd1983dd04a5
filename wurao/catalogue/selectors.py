from django.db.models import QuerySet

from wurao.catalogue.models import InspectionItem, ItemArticleLink


def item_list(*, filters: dict | None = None) -> QuerySet[InspectionItem]:
    """The catalogue is public (一单公开): everyone may read every department's list."""
    qs = InspectionItem.objects.select_related("department").prefetch_related("applicable_tags")
    filters = filters or {}
    if department := filters.get("department"):
        qs = qs.filter(department_id=department)
    if kind := filters.get("kind"):
        qs = qs.filter(kind=kind)
    if q := filters.get("q"):
        qs = (
            qs.filter(name__contains=q) | qs.filter(code__startswith=q) | qs.filter(law__contains=q)
        )
    if filters.get("active_only", True):
        qs = qs.filter(active=True)
    return qs


def item_article_links(*, item: InspectionItem) -> QuerySet[ItemArticleLink]:
    """The articles an item enforces, with their document and version (public, as the item)."""
    return ItemArticleLink.objects.filter(item=item).select_related("article__version__document")
