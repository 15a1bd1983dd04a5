"""Registry pages (两库): enterprises and their files, inspectors, departments, streets."""

from collections import Counter
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render

from wurao.accounts.scope import Scope, scope_for
from wurao.catalogue import selectors as catalogue_selectors
from wurao.credit import selectors as credit_selectors
from wurao.registry import selectors
from wurao.registry.forms import EnterpriseFilterForm, InspectorFilterForm
from wurao.registry.models import Enterprise
from wurao.visits import selectors as visit_selectors
from wurao.web.pagination import page_range, paginate
from wurao.web.rendering import render_page_or_partial


@login_required
def enterprise_list(request):
    scope = scope_for(request.user)
    if scope.enterprise_id:
        # An enterprise has one file: its own.
        return redirect("registry:enterprise-detail", pk=scope.enterprise_id)
    form = EnterpriseFilterForm(request.GET or None, street_fixed=bool(scope.street_id))
    enterprises = selectors.enterprise_list(scope=scope, filters=form.filters()).prefetch_related(
        "risk_tags"
    )
    page = paginate(request, enterprises)
    context = {"form": form, "page_obj": page, "page_range": page_range(page), "scope": scope}
    return render_page_or_partial(
        request, "registry/enterprise_list.html", "registry/_enterprise_results.html", context
    )


@login_required
def enterprise_detail(request, pk: int):
    scope = scope_for(request.user)
    try:
        enterprise = selectors.enterprise_get(scope=scope, pk=pk)
    except Enterprise.DoesNotExist:
        # 404, not 403: whoever may not see an enterprise must not learn that it exists.
        raise Http404 from None
    timeline = visit_selectors.enterprise_timeline(scope=scope, enterprise_id=enterprise.pk)
    context = {
        "enterprise": enterprise,
        "timeline": timeline,
        "scope": scope,
        "grade": credit_selectors.enterprise_grade_get(enterprise_id=enterprise.pk),
        **timeline_counts(timeline),
    }
    return render(request, "registry/enterprise_detail.html", context)


def timeline_counts(timeline) -> dict:
    """The file's visits by year and by visiting organisation, enforcement and not, busiest
    first. A joint visit is one visit for the enterprise (the several departments' actions on it
    count once) and one visit for each organisation on it, as on the enterprise's own page.
    A registration still waiting for its override to be approved is listed, not counted."""
    by_year: dict[int, Counter] = {}
    by_organisation: dict[str, Counter] = {}
    seen, seen_by_organisation = set(), set()
    for entry in timeline:
        if not entry.counted:
            continue
        column = "enforcement" if entry.is_enforcement else "other"
        visit = entry.visit_code or ("action" if entry.is_action else "visit", entry.pk)
        if visit not in seen:
            seen.add(visit)
            by_year.setdefault(entry.date.year, Counter())[column] += 1
        if (entry.organisation, visit) not in seen_by_organisation:
            seen_by_organisation.add((entry.organisation, visit))
            by_organisation.setdefault(entry.organisation, Counter())[column] += 1

    def rows(groups: dict, key: str) -> list[dict]:
        return [
            {key: name, "enforcement": c["enforcement"], "other": c["other"], "total": c.total()}
            for name, c in groups.items()
        ]

    years = rows(by_year, "year")
    visits_in = {r["year"]: r["total"] for r in years}
    return {
        # The timeline by year, newest first, each headed by its number of visits.
        "timeline_years": [
            {"year": year, "visits": visits_in.get(year, 0), "entries": list(entries)}
            for year, entries in groupby(timeline, key=lambda e: e.date.year)
        ],
        "by_year": sorted(years, key=lambda r: r["year"], reverse=True),
        "by_organisation": sorted(
            rows(by_organisation, "organisation"), key=lambda r: (-r["total"], r["organisation"])
        ),
        "total_visits": sum(r["total"] for r in years),
        "total_enforcement": sum(r["enforcement"] for r in years),
        "total_other": sum(r["other"] for r in years),
    }


@login_required
def inspector_list(request):
    scope = scope_for(request.user)
    if scope.enterprise_id or scope.sees_nothing:
        # Enterprises check one badge at a time; they do not browse the staff list.
        raise PermissionDenied
    form = InspectorFilterForm(request.GET or None, department_fixed=bool(scope.department_id))
    inspectors = selectors.inspector_list(scope=scope, filters=form.filters())
    page = paginate(request, inspectors)
    context = {"form": form, "page_obj": page, "page_range": page_range(page), "scope": scope}
    return render_page_or_partial(
        request, "registry/inspector_list.html", "registry/_inspector_results.html", context
    )


@login_required
def department_list(request):
    departments = list(selectors.department_list())
    # Head counts per department are public, whoever asks; two grouped counts
    # rather than joining both tables into one row set.
    inspectors = dict(
        selectors.inspector_list(scope=Scope(sees_all=True))
        .filter(active=True)
        .values_list("department")
        .annotate(n=Count("id"))
        .order_by()
    )
    items = dict(
        catalogue_selectors.item_list()
        .prefetch_related(None)
        .values_list("department")
        .annotate(n=Count("id"))
        .order_by()
    )
    for department in departments:
        department.inspector_count = inspectors.get(department.pk, 0)
        department.item_count = items.get(department.pk, 0)
    return render(request, "registry/department_list.html", {"departments": departments})


@login_required
def street_list(request):
    streets = selectors.street_list(with_counts=True).prefetch_related("communities", "parks")
    return render(request, "registry/street_list.html", {"streets": streets})
