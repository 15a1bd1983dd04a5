"""The bureau's side of whistleblowing: the reports, assignment to the competent department,
the conclusion and reward, the evidence, and the two-person reveal of the filer's identity.
An enterprise's own named complaints are here too (views_mine)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wurao.accounts.policy import policy, require
from wurao.accounts.scope import scope_for
from wurao.audit.services import audit_read
from wurao.common.pagination import page_range, paginate
from wurao.complaints import selectors, services_whistle
from wurao.complaints.choices import WhistleStatus
from wurao.complaints.forms import AssignForm, ConcludeForm, RevealForm
from wurao.complaints.models import IdentityReveal, WhistleReport


def _report(request, pk: int) -> WhistleReport:
    try:
        return selectors.whistle_get(scope=scope_for(request.user), pk=pk)
    except WhistleReport.DoesNotExist:
        raise Http404 from None


@policy("complaints.whistle_office")
def whistle_office_list(request):
    status = request.GET.get("status") if request.GET.get("status") in WhistleStatus.values else ""
    page = paginate(
        request, selectors.whistle_list(scope=scope_for(request.user), filters={"status": status})
    )
    return render(
        request,
        "complaints/whistle_office_list.html",
        {
            "page_obj": page,
            "page_range": page_range(page),
            "status": status,
            "statuses": WhistleStatus.choices,
        },
    )


def _detail(request, report, *, forms=None, identity=None, status=200):
    forms = forms or {}
    context = {
        "report": report,
        "assign_form": forms.get("assign") or AssignForm(initial={"department": report.department}),
        "conclude_form": forms.get("conclude") or ConcludeForm(),
        "reveal_form": forms.get("reveal") or RevealForm(),
        "reveals": selectors.reveal_list(scope=scope_for(request.user), report=report),
        "identity": identity,
    }
    return render(request, "complaints/whistle_office_detail.html", context, status=status)


@policy("complaints.whistle_office")
@never_cache
def whistle_office_detail(request, pk: int):
    return _detail(request, _report(request, pk))


def _act(request, pk, name, form_class, act):
    report = _report(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(report, form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("complaints:whistle-office-detail", pk=report.pk)
    return _detail(request, report, forms={name: form}, status=400)


@policy("complaints.whistle_office")
@require_POST
def whistle_office_assign(request, pk: int):
    def act(report, data):
        services_whistle.whistle_assign(
            actor=request.user, report=report, department=data["department"]
        )

    return _act(request, pk, "assign", AssignForm, act)


@policy("complaints.whistle_office")
@require_POST
def whistle_office_conclude(request, pk: int):
    def act(report, data):
        services_whistle.whistle_conclude(
            actor=request.user,
            report=report,
            substantiated=data["substantiated"],
            conclusion=data["conclusion"],
            reward_amount=data["reward_amount"],
            reward_decision=data["reward_decision"],
            reward_paid_on=data["reward_paid_on"],
        )

    return _act(request, pk, "conclude", ConcludeForm, act)


@policy("complaints.whistle_office")
@require_POST
def whistle_reveal_request(request, pk: int):
    def act(report, data):
        services_whistle.whistle_reveal_request(
            actor=request.user, report=report, reason=data["reason"]
        )

    return _act(request, pk, "reveal", RevealForm, act)


def _reveal(request, pk: int) -> IdentityReveal:
    try:
        return selectors.reveal_get(scope=scope_for(request.user), pk=pk)
    except IdentityReveal.DoesNotExist:
        raise Http404 from None


@policy("complaints.whistle_office")
@require_POST
def whistle_reveal_approve(request, pk: int):
    reveal = _reveal(request, pk)
    try:
        services_whistle.whistle_reveal_approve(actor=request.user, reveal=reveal)
    except PermissionDenied as exc:  # the requester himself: said on the page
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已批准查看申请"))
    return redirect("complaints:whistle-office-detail", pk=reveal.report_id)


@policy("complaints.whistle_office")
@require_POST
@never_cache
def whistle_reveal_read(request, pk: int):
    reveal = _reveal(request, pk)
    try:
        identity = services_whistle.whistle_identity_read(actor=request.user, reveal=reveal)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("complaints:whistle-office-detail", pk=reveal.report_id)
    return _detail(request, reveal.report, identity=identity or {"none": True})


@policy("complaints.whistle_office")
def whistle_evidence(request, pk: int):
    report = _report(request, pk)
    require(request.user, "complaints.whistle_office", report)
    if not report.evidence:
        raise Http404
    audit_read(request, "complaints.whistle_evidence_read", report)
    return FileResponse(report.evidence.open("rb"), as_attachment=True)
