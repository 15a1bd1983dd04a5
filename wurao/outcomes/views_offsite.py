"""Off-site inspection pages (非现场检查): the department's list, the record form, one
inspection with its evidence (reads audited) and an evidence file's download."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext

from wurao.accounts.policy import policy
from wurao.accounts.scope import scope_for
from wurao.audit.services import audit_read
from wurao.common.pagination import page_range, paginate
from wurao.common.rendering import render_page_or_partial
from wurao.outcomes import selectors_offsite as selectors
from wurao.outcomes import services_offsite as services
from wurao.outcomes.forms_offsite import OffsiteFilterForm, OffsiteForm


def findings_url(action_pk: int) -> str | None:
    """The item results page of the findings area (findings:action), when it is mounted."""
    try:
        return reverse("findings:action", args=[action_pk])
    except NoReverseMatch:
        return None


@policy("offsite.browse")
def offsite_list(request):
    scope = scope_for(request.user)
    form = OffsiteFilterForm(
        request.GET or None,
        years=selectors.offsite_years(scope=scope),
        department_choice=scope.sees_all,
    )
    page = paginate(request, selectors.offsite_list(scope=scope, filters=form.filters()))
    context = {
        "form": form,
        "page_obj": page,
        "page_range": page_range(page),
        "scope": scope,
        "may_record": bool(scope.department_id),
    }
    return render_page_or_partial(
        request, "outcomes/offsite/list.html", "outcomes/offsite/_results.html", context
    )


@policy("offsite.record")
def offsite_new(request):
    department = request.user.department
    if request.method == "POST":
        form = OffsiteForm(request.POST, request.FILES, department=department)
        if form.is_valid():
            try:
                action = services.offsite_record(actor=request.user, **form.arguments())
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    gettext("已录入非现场检查（%(name)s）。请逐项录入检查结果。")
                    % {"name": action.enterprise.name},
                )
                return redirect(
                    findings_url(action.pk) or reverse("offsite:detail", args=[action.pk])
                )
    else:
        form = OffsiteForm(department=department, initial={"day": timezone.localdate()})
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "outcomes/offsite/new.html",
        {"form": form, "department": department},
        status=status,
    )


@policy("offsite.browse")
def offsite_detail(request, pk: int):
    scope = scope_for(request.user)
    try:
        action = selectors.offsite_get(scope=scope, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    audit_read(request, "read.offsite_inspection", action)
    context = {
        "action": action,
        "evidence": selectors.offsite_evidence(action=action),
        "findings_url": findings_url(action.pk),
    }
    return render(request, "outcomes/offsite/detail.html", context)


@policy("offsite.browse")
def offsite_evidence(request, pk: int, evidence_pk: int):
    scope = scope_for(request.user)
    try:
        action = selectors.offsite_get(scope=scope, pk=pk)
        evidence = selectors.offsite_evidence(action=action).get(pk=evidence_pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    audit_read(request, "read.offsite_evidence", evidence)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=Path(evidence.name).name)
