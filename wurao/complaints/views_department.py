"""A department's side: the statement requests addressed to it (the office's neutral summary,
nothing of the complaint itself), and the whistleblowing reports assigned to it (without any
identity). Out of scope is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wurao.accounts.policy import allows, policy
from wurao.accounts.scope import scope_for
from wurao.common.pagination import page_range, paginate
from wurao.complaints import selectors, services, services_whistle
from wurao.complaints.forms import DepartmentReportForm, StatementAnswerForm
from wurao.complaints.models import StatementRequest, WhistleReport


@policy("complaints.statement_browse")
def statement_list(request):
    page = paginate(request, selectors.statement_list(scope=scope_for(request.user)))
    return render(
        request,
        "complaints/statement_list.html",
        {"page_obj": page, "page_range": page_range(page)},
    )


@policy("complaints.statement_browse")
@require_http_methods(["GET", "POST"])
def statement_detail(request, pk: int):
    try:
        statement = selectors.statement_get(scope=scope_for(request.user), pk=pk)
    except StatementRequest.DoesNotExist:
        raise Http404 from None
    form = StatementAnswerForm(request.POST or None)
    if request.method == "POST":
        if not allows(request.user, "complaints.statement_answer", statement):
            raise Http404
        if form.is_valid():
            try:
                services.statement_answer(
                    actor=request.user, statement=statement, answer=form.cleaned_data["answer"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("情况说明已提交"))
                return redirect("complaints:statement-detail", pk=statement.pk)
    return render(
        request,
        "complaints/statement_detail.html",
        {"statement": statement, "form": form},
        status=400 if form.errors else 200,
    )


@policy("complaints.whistle_assigned")
def whistle_assigned_list(request):
    page = paginate(request, selectors.whistle_list(scope=scope_for(request.user)))
    return render(
        request,
        "complaints/whistle_assigned_list.html",
        {"page_obj": page, "page_range": page_range(page)},
    )


@policy("complaints.whistle_assigned")
@require_http_methods(["GET", "POST"])
def whistle_assigned_detail(request, pk: int):
    try:
        report = selectors.whistle_get(scope=scope_for(request.user), pk=pk)
    except WhistleReport.DoesNotExist:
        raise Http404 from None
    form = DepartmentReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_whistle.whistle_department_report(
                actor=request.user, report=report, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("核查情况已反馈"))
            return redirect("complaints:whistle-assigned-detail", pk=report.pk)
    return render(
        request,
        "complaints/whistle_assigned_detail.html",
        {"report": report, "form": form},
        status=400 if form.errors else 200,
    )
