"""Case pages: the list (a department its own, the bureau all, an enterprise its own decided
cases), a new case from a finding, the case with what the platform proposes and why, the
notice of rights, the decision and the closing. The published rules the cases are decided
under (discretion standards, exemption lists, observation periods) are in views_cases_rules.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from wurao.accounts.policy import allows, policy, require
from wurao.accounts.scope import scope_for
from wurao.audit.services import audit_read
from wurao.common.pagination import page_range, paginate
from wurao.common.rendering import render_page_or_partial
from wurao.outcomes import selectors_cases as selectors
from wurao.outcomes import services_cases as services
from wurao.outcomes.choices import CaseStatus, Disposition, Proposal
from wurao.outcomes.forms_cases import (
    CaseFilterForm,
    CaseOpenForm,
    CloseForm,
    DecideForm,
    NotifyForm,
    record_id,
)
from wurao.outcomes.models import Case, ItemCheck
from wurao.outcomes.selectors_cases_proposal import case_proposal
from wurao.registry.models import Inspector


def _case(request, pk: int) -> Case:
    try:
        return selectors.case_get(scope=scope_for(request.user), pk=pk)
    except Case.DoesNotExist:
        raise Http404 from None


# ---------------------------------------------------------------- list


@policy("cases.browse")
def case_list(request):
    scope = scope_for(request.user)
    form = CaseFilterForm(request.GET or None)
    page = paginate(request, selectors.case_list(scope=scope, filters=form.filters()))
    return render_page_or_partial(
        request,
        "outcomes/cases/case_list.html",
        "outcomes/cases/_case_results.html",
        {"form": form, "page_obj": page, "page_range": page_range(page), "scope": scope},
    )


# ---------------------------------------------------------------- open


@policy("cases.handle")
def case_new(request):
    """A new case from a finding (?check=<pk>): the department's other findings at the same
    enterprise may join it."""
    scope = scope_for(request.user)
    asked = request.GET.get("check") or ""
    if not asked:
        # No finding named: the department's latest findings, to choose one from.
        return render(
            request,
            "outcomes/cases/case_pick.html",
            {"findings": selectors.findings_recent(scope=scope)},
        )
    try:
        check = selectors.finding_get(scope=scope, pk=record_id(asked) or 0)
    except ItemCheck.DoesNotExist:
        raise Http404 from None
    enterprise = check.action.enterprise
    findings = list(selectors.findings_of_enterprise(scope=scope, enterprise_id=enterprise.pk))
    standards = list(selectors.standards_for_department(department_id=scope.department_id))
    officers = list(Inspector.objects.filter(department_id=scope.department_id, active=True))
    form = CaseOpenForm(
        request.POST if request.method == "POST" else None,
        findings=findings,
        standards=standards,
        officers=officers,
        initial={"checks": [str(check.pk)], "facts": check.description},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_pk = {str(c.pk): c for c in findings}
        chosen_standard = next((s for s in standards if str(s.pk) == data["standard"]), None)
        try:
            case = services.case_open(
                actor=request.user,
                checks=[by_pk[pk] for pk in data["checks"]],
                kind=data["kind"],
                facts=data["facts"],
                evidence_summary=data["evidence_summary"],
                officers=[o for o in officers if str(o.pk) in data["officers"]],
                standard=chosen_standard,
                opened_on=data["opened_on"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("已立案：%(number)s") % {"number": case.number})
            return redirect("cases:case-detail", pk=case.pk)
    return render(
        request,
        "outcomes/cases/case_new.html",
        {"form": form, "check": check, "enterprise": enterprise},
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------- one case


def _detail(
    request, case: Case, *, decide_form=None, notify_form=None, close_form=None, status=200
):
    scope = scope_for(request.user)
    handles = allows(request.user, "cases.handle", case) and bool(scope.department_id)
    open_ = case.status in (CaseStatus.OPEN, CaseStatus.NOTIFIED)
    decided = case.status in (CaseStatus.DECIDED, CaseStatus.CLOSED)
    if decided:
        proposal = case_proposal(
            case,
            minor_harm=case.minor_harm,
            corrected_on_spot=case.corrected_on_spot,
            on=case.decided_on,
        )
    else:
        proposal = case_proposal(case)
    if handles and open_:
        bands = list(case.standard.bands.order_by("order")) if case.standard_id else []
        notify_form = notify_form or NotifyForm(
            initial={
                "statement_offered_on": case.statement_offered_on or case.opened_on,
                "hearing_offered": case.hearing_offered,
            }
        )
        decide_form = decide_form or DecideForm(
            bands=bands,
            initial={
                "disposition": _initial_disposition(case, proposal),
                "legal_basis": case.legal_basis,
            },
        )
    if handles and case.status == CaseStatus.DECIDED:
        close_form = close_form or CloseForm(initial={"served_on": case.served_on})
    return render(
        request,
        "outcomes/cases/case_detail.html",
        {
            "case": case,
            "checks": list(case.checks.all()),
            "proposal": proposal,
            "candidate": proposal.candidate,
            "handles": handles,
            "decided": decided,
            "notify_form": notify_form if handles and open_ else None,
            "decide_form": decide_form if handles and open_ else None,
            "close_form": close_form if handles and case.status == CaseStatus.DECIDED else None,
            "bands": list(case.standard.bands.order_by("order")) if case.standard_id else [],
            "enterprise_view": bool(scope.enterprise_id),
        },
        status=status,
    )


def _initial_disposition(case: Case, proposal) -> str:
    if proposal.kind == Proposal.EXEMPTED or (
        proposal.candidate is not None and proposal.candidate.possible
    ):
        return Disposition.EXEMPTED
    if proposal.kind == Proposal.SOFT:
        return Disposition.SOFT
    return ""


@policy("cases.browse")
def case_detail(request, pk: int):
    case = _case(request, pk)
    audit_read(request, "read.case", case)
    return _detail(request, case)


@policy("cases.handle")
@require_POST
def case_notify(request, pk: int):
    case = _case(request, pk)
    require(request.user, "cases.handle", case)
    form = NotifyForm(request.POST)
    if form.is_valid():
        try:
            services.case_notify(
                actor=request.user,
                case=case,
                statement_offered_on=form.cleaned_data["statement_offered_on"],
                hearing_offered=form.cleaned_data["hearing_offered"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("已记录告知陈述、申辩（听证）权利。"))
            return redirect("cases:case-detail", pk=case.pk)
    return _detail(request, case, notify_form=form, status=400)


@policy("cases.handle")
@require_POST
def case_decide(request, pk: int):
    case = _case(request, pk)
    require(request.user, "cases.handle", case)
    bands = list(case.standard.bands.order_by("order")) if case.standard_id else []
    form = DecideForm(request.POST, bands=bands)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.case_decide(
                actor=request.user,
                case=case,
                disposition=data["disposition"],
                reasoning=data["reasoning"],
                legal_basis=data["legal_basis"],
                band=next((b for b in bands if str(b.pk) == data["band"]), None),
                band_reasons=data["band_reasons"],
                amount=data["amount"],
                measure=data["measure"],
                soft_measure=data["soft_measure"],
                minor_harm=data["minor_harm"],
                corrected_on_spot=data["corrected_on_spot"],
                override_reason=data["override_reason"],
                hearing_requested=data["hearing_requested"],
                decided_on=data["decided_on"],
                served_on=data["served_on"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("已作出决定。"))
            return redirect("cases:case-detail", pk=case.pk)
    return _detail(request, case, decide_form=form, status=400)


@policy("cases.handle")
@require_POST
def case_close(request, pk: int):
    case = _case(request, pk)
    require(request.user, "cases.handle", case)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.case_close(
                actor=request.user,
                case=case,
                closed_on=form.cleaned_data["closed_on"],
                served_on=form.cleaned_data["served_on"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("已结案。"))
            return redirect("cases:case-detail", pk=case.pk)
    return _detail(request, case, close_form=form, status=400)
