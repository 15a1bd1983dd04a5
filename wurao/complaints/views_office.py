"""The supervision office (司法局执法监督): the queue with its deadlines, one complaint with
its actions, and the reveal of the filer's identity for a recorded reason. Only the bureau."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wurao.accounts.policy import policy
from wurao.accounts.scope import scope_for
from wurao.common.pagination import page_range, paginate
from wurao.complaints import selectors, services
from wurao.complaints.choices import Category, Status
from wurao.complaints.forms import AcceptForm, AnswerForm, RevealForm, StatementRequestForm
from wurao.complaints.models import Complaint


def _complaint(request, pk: int) -> Complaint:
    try:
        return selectors.complaint_get(scope=scope_for(request.user), pk=pk)
    except Complaint.DoesNotExist:
        raise Http404 from None


@policy("complaints.office")
def office_list(request):
    scope = scope_for(request.user)
    filters = {
        "status": request.GET.get("status") if request.GET.get("status") in Status.values else "",
        "category": request.GET.get("category")
        if request.GET.get("category") in Category.values
        else "",
        "overdue": request.GET.get("overdue") == "1",
    }
    page = paginate(request, selectors.complaint_list(scope=scope, filters=filters))
    for complaint in page.object_list:
        complaint.overdue = selectors.stage_overdue(complaint)
    return render(
        request,
        "complaints/office_list.html",
        {
            "page_obj": page,
            "page_range": page_range(page),
            "filters": filters,
            "statuses": Status.choices,
            "categories": Category.choices,
            "counts": selectors.office_counts(scope=scope),
        },
    )


def _detail(request, complaint: Complaint, *, forms: dict | None = None, identity=None, status=200):
    forms = forms or {}
    initial_department = complaint.officer.department if complaint.officer else complaint.department
    context = {
        "complaint": complaint,
        "overdue": selectors.stage_overdue(complaint),
        "statements": complaint.statements.select_related("department"),
        "escalations": complaint.escalations.all(),
        "reveals": complaint.reveals.select_related("requested_by"),
        "accept_form": forms.get("accept") or AcceptForm(),
        "statement_form": forms.get("statement")
        or StatementRequestForm(initial={"department": initial_department}),
        "answer_form": forms.get("answer") or AnswerForm(),
        "reveal_form": forms.get("reveal") or RevealForm(),
        "identity": identity,
    }
    return render(request, "complaints/office_detail.html", context, status=status)


@policy("complaints.office")
@never_cache
def office_detail(request, pk: int):
    return _detail(request, _complaint(request, pk))


def _act(request, pk: int, name: str, form_class, act):
    complaint = _complaint(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(complaint, form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("complaints:office-detail", pk=complaint.pk)
    return _detail(request, complaint, forms={name: form}, status=400)


@policy("complaints.office")
@require_POST
def office_accept(request, pk: int):
    def act(complaint, data):
        services.complaint_accept(
            actor=request.user,
            complaint=complaint,
            accept=data["decision"] == "accept",
            reason=data["reason"],
        )

    return _act(request, pk, "accept", AcceptForm, act)


@policy("complaints.office")
@require_POST
def office_statement(request, pk: int):
    def act(complaint, data):
        services.statement_request(
            actor=request.user,
            complaint=complaint,
            department=data["department"],
            summary=data["summary"],
        )

    return _act(request, pk, "statement", StatementRequestForm, act)


@policy("complaints.office")
@require_POST
def office_answer(request, pk: int):
    def act(complaint, data):
        services.complaint_answer(
            actor=request.user, complaint=complaint, finding=data["finding"], answer=data["answer"]
        )

    return _act(request, pk, "answer", AnswerForm, act)


@policy("complaints.office")
@require_POST
@never_cache
def office_reveal(request, pk: int):
    """查看身份: shown on this response only, after the reason is recorded and audited."""
    complaint = _complaint(request, pk)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return _detail(request, complaint, forms={"reveal": form}, status=400)
    identity = services.complaint_identity_reveal(
        actor=request.user, complaint=complaint, reason=form.cleaned_data["reason"]
    )
    return _detail(request, complaint, identity=identity or {"none": True})
