"""Registry pages (两库): enterprises, inspectors, streets. An enterprise's file (一企一档) is a
read model of its own (wurao.dossier); departments with their items are the catalogue's page."""

from django.shortcuts import redirect, render

from wurao.accounts.policy import SIGNED_IN, policy
from wurao.accounts.scope import scope_for
from wurao.common.pagination import page_range, paginate
from wurao.common.rendering import render_page_or_partial
from wurao.registry import selectors
from wurao.registry.forms import EnterpriseFilterForm, InspectorFilterForm


@policy(SIGNED_IN)
def enterprise_list(request):
    scope = scope_for(request.user)
    if scope.enterprise_id:
        # An enterprise has one file: its own.
        return redirect("dossier:enterprise-detail", pk=scope.enterprise_id)
    form = EnterpriseFilterForm(request.GET or None, street_fixed=bool(scope.street_id))
    enterprises = selectors.enterprise_list(scope=scope, filters=form.filters()).prefetch_related(
        "risk_tags"
    )
    page = paginate(request, enterprises)
    context = {"form": form, "page_obj": page, "page_range": page_range(page), "scope": scope}
    return render_page_or_partial(
        request, "registry/enterprise_list.html", "registry/_enterprise_results.html", context
    )


@policy("registry.inspectors_browse")
def inspector_list(request):
    scope = scope_for(request.user)
    form = InspectorFilterForm(request.GET or None, department_fixed=bool(scope.department_id))
    inspectors = selectors.inspector_list(scope=scope, filters=form.filters())
    page = paginate(request, inspectors)
    context = {"form": form, "page_obj": page, "page_range": page_range(page), "scope": scope}
    return render_page_or_partial(
        request, "registry/inspector_list.html", "registry/_inspector_results.html", context
    )


@policy(SIGNED_IN)
def street_list(request):
    streets = selectors.street_list(with_counts=True).prefetch_related("communities", "parks")
    return render(request, "registry/street_list.html", {"streets": streets})
