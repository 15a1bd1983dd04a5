"""The inspection catalogue (一单): every department's published items, readable by every user."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from wurao.catalogue import selectors
from wurao.catalogue.forms import ItemFilterForm
from wurao.catalogue.models import InspectionItem
from wurao.web.pagination import page_range, paginate
from wurao.web.rendering import render_page_or_partial


@login_required
def item_list(request):
    form = ItemFilterForm(request.GET or None)
    page = paginate(request, selectors.item_list(filters=form.filters()), per_page=100)
    context = {"form": form, "page_obj": page, "page_range": page_range(page)}
    return render_page_or_partial(
        request, "catalogue/item_list.html", "catalogue/_item_results.html", context
    )


@login_required
def item_detail(request, pk: int):
    # Withdrawn items stay readable: old records cite them.
    try:
        item = selectors.item_list(filters={"active_only": False}).get(pk=pk)
    except InspectionItem.DoesNotExist:
        raise Http404 from None
    return render(request, "catalogue/item_detail.html", {"item": item})
