"""The inspection catalogue (一单): every department's published items, readable by every user."""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import render

from wurao.accounts.policy import SIGNED_IN, policy
from wurao.accounts.scope import Scope
from wurao.catalogue import selectors
from wurao.catalogue.forms import ItemFilterForm
from wurao.catalogue.models import InspectionItem
from wurao.common.pagination import page_range, paginate
from wurao.common.rendering import render_page_or_partial
from wurao.registry import selectors as registry_selectors


@policy(SIGNED_IN)
def item_list(request):
    form = ItemFilterForm(request.GET or None)
    page = paginate(request, selectors.item_list(filters=form.filters()), per_page=100)
    context = {"form": form, "page_obj": page, "page_range": page_range(page)}
    return render_page_or_partial(
        request, "catalogue/item_list.html", "catalogue/_item_results.html", context
    )


@policy(SIGNED_IN)
def item_detail(request, pk: int):
    # Withdrawn items stay readable: old records cite them.
    try:
        item = selectors.item_list(filters={"active_only": False}).get(pk=pk)
    except InspectionItem.DoesNotExist:
        raise Http404 from None
    links = selectors.item_article_links(item=item)
    return render(request, "catalogue/item_detail.html", {"item": item, "article_links": links})


@policy(SIGNED_IN)
def department_list(request):
    departments = list(registry_selectors.department_list())
    # Head counts per department are public, whoever asks; two grouped counts
    # rather than joining both tables into one row set.
    inspectors = dict(
        registry_selectors.inspector_list(scope=Scope(sees_all=True))
        .filter(active=True)
        .values_list("department")
        .annotate(n=Count("id"))
        .order_by()
    )
    items = dict(
        selectors.item_list()
        .prefetch_related(None)
        .values_list("department")
        .annotate(n=Count("id"))
        .order_by()
    )
    for department in departments:
        department.inspector_count = inspectors.get(department.pk, 0)
        department.item_count = items.get(department.pk, 0)
    return render(request, "catalogue/department_list.html", {"departments": departments})
