"""The enterprise's file page: its timeline of visits and actions, counts and grade."""

from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from wurao.accounts.policy import SIGNED_IN, policy
from wurao.accounts.scope import scope_for
from wurao.audit.services import audit_read
from wurao.credit import selectors as credit_selectors
from wurao.dossier import selectors
from wurao.registry import selectors as registry_selectors
from wurao.registry.models import Enterprise


@policy(SIGNED_IN)
def enterprise_detail(request, pk: int):
    scope = scope_for(request.user)
    try:
        enterprise = registry_selectors.enterprise_get(scope=scope, pk=pk)
    except Enterprise.DoesNotExist:
        # 404, not 403: whoever may not see an enterprise must not learn that it exists.
        raise Http404 from None
    audit_read(request, "read.enterprise_file", enterprise)
    timeline = selectors.enterprise_timeline(scope=scope, enterprise_id=enterprise.pk)
    context = {
        "enterprise": enterprise,
        "timeline": timeline,
        "cases": list(selectors.enterprise_cases(scope=scope, enterprise_id=enterprise.pk)),
        # Pages of the findings, cases and documents areas, linked where they are mounted;
        # the enterprise reads its notices on its own pages, not the officers'.
        "links": {} if scope.enterprise_id else _mounted(),
        "scope": scope,
        "grade": credit_selectors.enterprise_grade_get(enterprise_id=enterprise.pk),
        **selectors.timeline_counts(timeline),
    }
    return render(request, "dossier/enterprise_detail.html", context)


def _mounted() -> dict[str, bool]:
    probes = {
        "findings": ("findings:action", {"pk": 1}),
        "cases": ("cases:case-detail", {"pk": 1}),
        "decision": ("outcome_docs:case-decision", {"pk": 1, "fmt": "pdf"}),
    }
    found = {}
    for key, (name, kwargs) in probes.items():
        try:
            reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            found[key] = False
        else:
            found[key] = True
    return found
