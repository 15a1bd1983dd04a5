"""Enforcement records: the scoped list of actions and one action's detail."""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import render

from wurao.accounts.policy import SIGNED_IN, policy
from wurao.accounts.scope import scope_for
from wurao.common.pagination import page_range, paginate
from wurao.common.rendering import render_page_or_partial
from wurao.enforcement import selectors
from wurao.enforcement.forms import ActionFilterForm
from wurao.enforcement.models import EnforcementAction
from wurao.registry import selectors as registry_selectors


@policy(SIGNED_IN)
def action_list(request):
    scope = scope_for(request.user)
    form = ActionFilterForm(
        request.GET or None,
        years=selectors.action_years(scope=scope),
        department_choice=scope.sees_all,
    )
    filters = form.filters()
    page = paginate(request, selectors.action_list(scope=scope, filters=filters))
    enterprise = None
    if filters.get("enterprise"):
        try:
            enterprise = registry_selectors.enterprise_get(scope=scope, pk=filters["enterprise"])
        except ObjectDoesNotExist:
            raise Http404 from None
    context = {
        "form": form,
        "page_obj": page,
        "page_range": page_range(page),
        "scope": scope,
        "enterprise": enterprise,
    }
    return render_page_or_partial(
        request, "enforcement/action_list.html", "enforcement/_action_results.html", context
    )


@policy(SIGNED_IN)
def action_detail(request, pk: int):
    scope = scope_for(request.user)
    actions = selectors.action_list(scope=scope)
    try:
        action = (
            actions.select_related("created_by", "visit")
            .prefetch_related("items__department", "officers")
            .get(pk=pk)
        )
    except EnforcementAction.DoesNotExist:
        # Out of scope looks exactly like missing.
        raise Http404 from None
    joint = (
        actions.filter(joint_ref=action.joint_ref).exclude(pk=action.pk)
        if action.joint_ref
        else actions.none()
    )
    return render(
        request, "enforcement/action_detail.html", {"action": action, "joint_actions": joint}
    )
