"""The justice bureau's dashboard: the study's Table 1, Figures 1 and 2, from live records."""

from django.shortcuts import render
from django.utils import timezone

from wurao.accounts.policy import policy
from wurao.accounts.scope import scope_for
from wurao.common.periods import latest_year_until
from wurao.enforcement import selectors as enforcement_selectors
from wurao.enforcement.choices import ActionKind
from wurao.oversight import selectors as oversight_selectors
from wurao.oversight.forms import DashboardForm
from wurao.oversight.selectors import enterprise_visits_by_organisation, oversight_summary
from wurao.registry import selectors as registry_selectors
from wurao.visits import selectors as visit_selectors

TABLE1_KINDS = [ActionKind.INSPECTION, ActionKind.PENALTY, ActionKind.COERCIVE]


def table1_rows(summary: dict) -> list[dict]:
    return [
        {
            "kind": kind.value,
            "label": kind.label,
            "count": summary["by_kind"][kind.value],
            "share": summary["shares"][kind.value],
        }
        for kind in TABLE1_KINDS
    ]


@policy("oversight.supervise")
def dashboard(request):
    scope = scope_for(request.user)
    today = timezone.localdate()
    years = enforcement_selectors.action_years(scope=scope) or [today.year]
    # The latest year with records up to today: a year not yet begun has nothing to show.
    default_year = (
        latest_year_until(enforcement_selectors.action_list(scope=scope), until=today) or years[0]
    )
    form = DashboardForm(request.GET or None, years=years)
    year, credit_code, date_from, date_to = form.choice(default_year=default_year)
    summary = oversight_summary(scope=scope, year=year)

    enterprise = None
    if credit_code:
        enterprise = (
            registry_selectors.enterprise_list(scope=scope).filter(credit_code=credit_code).first()
        )
        if enterprise is None:
            form.add_error("credit_code", "未找到该统一社会信用代码对应的企业")
    else:
        busiest = oversight_selectors.busiest_enterprise_id(
            scope=scope, date_from=date_from, date_to=date_to
        )
        if busiest is not None:
            enterprise = registry_selectors.enterprise_list(scope=scope).get(pk=busiest)
    visits = (
        enterprise_visits_by_organisation(
            scope=scope, enterprise_id=enterprise.pk, date_from=date_from, date_to=date_to
        )
        if enterprise
        else []
    )
    visits_enforcement = sum(r["enforcement"] for r in visits)
    visits_other = sum(r["other"] for r in visits)
    visits_total = visits_enforcement + visits_other

    by_department = summary["by_department"]
    top3 = sum(sorted(by_department.values(), reverse=True)[:3])
    district = summary["district_inspections"]
    context = {
        "form": form,
        "year": year,
        "years": years,
        "year_is_default": "year" not in request.GET,
        "summary": summary,
        "table1": table1_rows(summary),
        "top3_share": round(100 * top3 / summary["total"], 1) if summary["total"] else None,
        "random_share": round(100 * summary["random_draw_inspections"] / district, 1)
        if district
        else None,
        "figure1": {"names": list(by_department), "values": list(by_department.values())},
        "figure1_height": max(280, 34 * len(by_department) + 60),
        "enterprise": enterprise,
        "credit_code_default": not credit_code,
        "date_from": date_from,
        "date_to": date_to,
        "visits": visits,
        "visits_total": visits_total,
        "visits_enforcement": visits_enforcement,
        "visits_other": visits_other,
        "visits_other_share": round(100 * visits_other / visits_total, 1) if visits_total else None,
        "figure2": {
            "organisations": [r["organisation"] for r in visits],
            "enforcement": [r["enforcement"] for r in visits],
            "other": [r["other"] for r in visits],
        },
        "figure2_height": max(240, 34 * len(visits) + 80),
        "visit_refusals": visit_selectors.refusal_list(scope=scope, year=year).count(),
        "visit_overrides": visit_selectors.override_list(scope=scope, year=year).count(),
    }
    return render(request, "oversight/dashboard.html", context)


def _tab(request, tab: str) -> dict:
    """What every tab's template (oversight/base.html) needs: the filter bar and the slice."""
    from wurao.accounts.policy import allows
    from wurao.oversight.filters import slice_from_request

    scope = scope_for(request.user)
    form, slice_ = slice_from_request(request, scope)
    return {
        "tab": tab,
        "form": form,
        "slice": slice_,
        "scope": scope,
        "perms_simulate": allows(request.user, "oversight.simulate"),
    }


@policy("oversight.supervise")
def burden(request):
    return render(request, "oversight/burden.html", _tab(request, "burden"))


@policy("oversight.supervise")
def records(request):
    return render(request, "oversight/records.html", _tab(request, "records"))
