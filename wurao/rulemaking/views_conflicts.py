"""Pages of the conflict register (标准冲突): the public register, the reports awaiting triage,
the report form and a conflict beside both of its texts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from wurao.accounts.policy import PUBLIC, allows, policy, require
from wurao.accounts.scope import scope_for
from wurao.common.pagination import page_range, paginate
from wurao.rulemaking import selectors
from wurao.rulemaking.choices import ConflictStatus
from wurao.rulemaking.forms import (
    ConflictFilterForm,
    ConflictReportForm,
    ProgressForm,
    StatementForm,
    TriageForm,
)
from wurao.rulemaking.models import Conflict
from wurao.rulemaking.services_conflicts import (
    RequirementInput,
    conflict_progress,
    conflict_report,
    conflict_statement,
    conflict_triage,
)


def _visible(request, pk: int) -> Conflict:
    try:
        return selectors.conflict_get(scope=scope_for(request.user), pk=pk)
    except Conflict.DoesNotExist:
        raise Http404 from None


@policy(PUBLIC)
def conflict_list(request):
    scope = scope_for(request.user)
    form = ConflictFilterForm(request.GET or None)
    page = paginate(request, selectors.conflict_list(scope=scope, filters=form.valid_data()))
    reports = None
    if allows(request.user, "rulemaking.conflict_report"):
        reports = selectors.conflict_report_list(scope=scope).filter(status=ConflictStatus.REPORTED)
    context = {
        "form": form,
        "page_obj": page,
        "page_range": page_range(page),
        "pending": reports.count() if reports is not None else None,
    }
    return render(request, "rulemaking/conflict_list.html", context)


@policy("rulemaking.conflict_report")
def report_list(request):
    scope = scope_for(request.user)
    page = paginate(request, selectors.conflict_report_list(scope=scope))
    context = {"page_obj": page, "page_range": page_range(page), "scope": scope}
    return render(request, "rulemaking/report_list.html", context)


@policy("rulemaking.conflict_report")
def conflict_new(request):
    form = ConflictReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        requirements = [
            RequirementInput(
                text=data[f"text_{i}"],
                article=data[f"article_{i}"],
                source=data[f"source_{i}"],
                department=data[f"department_{i}"],
            )
            for i in (1, 2)
        ]
        try:
            conflict = conflict_report(
                actor=request.user,
                topic=data["topic"],
                situation=data["situation"],
                requirements=requirements,
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, gettext("冲突已报告，区司法局受理后列入冲突登记；结果可在本页查看。")
            )
            return redirect("rulemaking:conflict-detail", pk=conflict.pk)
    context = {"form": form, "documents": selectors.document_choices()}
    return render(request, "rulemaking/conflict_form.html", context)


def _detail_context(request, conflict, **forms) -> dict:
    user = request.user
    requirements = list(conflict.requirements.all())
    for r in requirements:
        r.url = selectors.article_url(r.article) if r.article else ""
    triages = conflict.status == ConflictStatus.REPORTED and allows(
        user, "rulemaking.conflict_triage"
    )
    registered = conflict.status in (
        ConflictStatus.OPEN,
        ConflictStatus.COORDINATING,
        ConflictStatus.RESOLVED,
    )
    coordinates = registered and allows(user, "rulemaking.conflict_triage")
    states = conflict.status in (ConflictStatus.OPEN, ConflictStatus.COORDINATING) and allows(
        user, "rulemaking.conflict_statement", conflict
    )
    events = list(conflict.events.select_related("department"))
    labels = dict(ConflictStatus.choices)
    for e in events:
        e.from_label = labels.get(e.status_from, "")
        e.to_label = labels.get(e.status_to, "")
    return {
        "conflict": conflict,
        "requirements": requirements,
        "events": events,
        "triage_form": forms.get("triage") or (TriageForm() if triages else None),
        "progress_form": forms.get("progress")
        or (ProgressForm(initial={"status": conflict.status}) if coordinates else None),
        "statement_form": forms.get("statement") or (StatementForm() if states else None),
    }


@policy(PUBLIC)
def conflict_detail(request, pk: int):
    conflict = _visible(request, pk)
    return render(request, "rulemaking/conflict_detail.html", _detail_context(request, conflict))


@policy("rulemaking.conflict_triage")
@require_POST
def conflict_triage_view(request, pk: int):
    conflict = _visible(request, pk)
    require(request.user, "rulemaking.conflict_triage", conflict)
    form = TriageForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            conflict_triage(
                actor=request.user,
                conflict=conflict,
                accept=data["decision"] == "accept",
                coordinating_department=data["coordinating_department"],
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("已处理该报告。"))
            return redirect("rulemaking:conflict-detail", pk=pk)
    context = _detail_context(request, conflict, triage=form)
    return render(request, "rulemaking/conflict_detail.html", context, status=400)


@policy("rulemaking.conflict_triage")
@require_POST
def conflict_progress_view(request, pk: int):
    conflict = _visible(request, pk)
    require(request.user, "rulemaking.conflict_triage", conflict)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            conflict_progress(actor=request.user, conflict=conflict, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("已记录协调情况。"))
            return redirect("rulemaking:conflict-detail", pk=pk)
    context = _detail_context(request, conflict, progress=form)
    return render(request, "rulemaking/conflict_detail.html", context, status=400)


@policy("rulemaking.conflict_statement")
@require_POST
def conflict_statement_view(request, pk: int):
    conflict = _visible(request, pk)
    require(request.user, "rulemaking.conflict_statement", conflict)
    form = StatementForm(request.POST)
    if form.is_valid():
        try:
            conflict_statement(actor=request.user, conflict=conflict, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("部门意见已记录。"))
            return redirect("rulemaking:conflict-detail", pk=pk)
    context = _detail_context(request, conflict, statement=form)
    return render(request, "rulemaking/conflict_detail.html", context, status=400)
