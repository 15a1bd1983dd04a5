"""Pagination for lists that may hold hundreds of thousands of rows."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

PER_PAGE = 50


def paginate(request, queryset: QuerySet, *, per_page: int = PER_PAGE) -> Page:
    """One COUNT on the filtered queryset (Paginator caches it), then one LIMIT/OFFSET slice.

    An out-of-range or malformed page number falls back to the nearest page
    instead of raising, so a stale bookmark still opens.
    """
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def page_range(page: Page):
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
