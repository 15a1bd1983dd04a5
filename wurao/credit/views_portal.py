"""Credit pages for the enterprise (信用分级分类): its grade, every reason behind it, its
objections, repairs and commitments; and the same grade, explained, for officers.
Who sees what: see `views_common`.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from wurao.accounts.policy import SIGNED_IN, policy
from wurao.accounts.scope import Scope, scope_for
from wurao.credit import selectors, services
from wurao.credit.choices import CommitmentStatus, Grade, ReviewStatus
from wurao.credit.forms import CommitmentSignForm, ReviewRequestForm
from wurao.credit.views_common import (
    GRADES,
    KIND_LABELS,
    REVIEW_KINDS,
    annotated_requests,
    explained_grade,
)
from wurao.registry import selectors as registry_selectors
from wurao.registry.models import Enterprise

# ---------------------------------------------------------------- the enterprise's own


def _own_enterprise(user) -> tuple[Scope, Enterprise]:
    """The signed-in enterprise (the page's rule made sure it is one)."""
    scope = scope_for(user)
    try:
        return scope, registry_selectors.enterprise_get(scope=scope, pk=scope.enterprise_id)
    except Enterprise.DoesNotExist:
        raise Http404 from None


def effect_rows(current: str | None) -> list[dict]:
    """What each grade means today, from the table in force: the grade's own row marked."""
    effects = selectors.grade_effects()
    return [
        {
            "grade": g,
            "label": Grade(g).label,
            "weight": effects[g]["sampling_weight"],
            "visit_cap": effects[g].get("visit_cap_per_year"),
            "quiet_days": effects[g]["quiet_period_days"],
            "flags": effects[g].get("flags", []),
            "current": g == current,
        }
        for g in GRADES
        if g in effects
    ]


# ---------------------------------------------------------------- enterprise portal


def _portal_context(request, scope: Scope, enterprise, *, sign_form=None) -> dict:
    explained = explained_grade(enterprise.pk)
    requests = annotated_requests(
        [
            *selectors.objection_list(scope=scope),
            *selectors.repair_list(scope=scope),
        ]
    )
    requests.sort(key=lambda r: r.filed_at, reverse=True)
    pending = {
        (r.record_source, r.record_id): r.kind_label
        for r in requests
        if r.status == ReviewStatus.SUBMITTED
    }
    for row in explained["rows"]:
        row["pending"] = pending.get((row["source"], row["source_id"]))
    commitments = list(selectors.commitment_list(scope=scope))
    awaiting = {c.item_id for c in commitments if c.status == CommitmentStatus.SIGNED}
    grade = explained["grade"]
    return {
        "enterprise": enterprise,
        "explained": explained,
        "effects": effect_rows(grade.grade if grade else None),
        "requests": requests,
        "items": selectors.commitment_item_list(),
        "awaiting_items": awaiting,
        "commitments": commitments,
        "sign_form": sign_form,
        "scope": scope,
        "portal": True,
    }


@policy("credit.browse")
def portal(request):
    """The enterprise's portal; the government side lands on its own credit page."""
    scope = scope_for(request.user)
    if not scope.enterprise_id:
        if scope.department_id:
            return redirect("credit:review-list")
        return redirect("credit:change-list")
    scope, enterprise = _own_enterprise(request.user)
    return render(request, "credit/portal.html", _portal_context(request, scope, enterprise))


@policy("credit.review_request")
def request_new(request, kind: str, source: str, record_id: int):
    """An objection (信用异议) or a repair application (信用修复) about one record of the
    breakdown that lowers the score."""
    scope, enterprise = _own_enterprise(request.user)
    explained = explained_grade(enterprise.pk)
    row = next(
        (
            r
            for r in explained["rows"]
            if r["reviewable"] and r["source"] == source and r["source_id"] == record_id
        ),
        None,
    )
    if kind not in REVIEW_KINDS or row is None:
        raise Http404
    form = ReviewRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = services.objection_file if kind == "objection" else services.repair_apply
        try:
            filed = file(
                actor=request.user,
                enterprise=enterprise,
                record_source=source,
                record_id=record_id,
                reason=form.cleaned_data["reason"],
                evidence=form.cleaned_data["evidence"] or None,
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                gettext(
                    "已提交%(kind)s，由%(department)s在 %(due)s 前审核；"
                    "审核结果将显示在本页“异议与修复”中。"
                )
                % {
                    "kind": KIND_LABELS[kind],
                    "department": filed.department.name,
                    "due": filed.due_on,
                },
            )
            return redirect(f"{reverse('credit:portal')}#requests")
    record = selectors.review_record_labels(refs=[(source, record_id)]).get((source, record_id))
    context = {
        "form": form,
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "row": row,
        "record": record,
        "enterprise": enterprise,
        "review_days": settings.CREDIT_REVIEW_WORKING_DAYS,
    }
    return render(request, "credit/request_form.html", context)


@policy("credit.commitment_sign")
@require_POST
def commitment_sign(request):
    scope, enterprise = _own_enterprise(request.user)
    form = CommitmentSignForm(request.POST, items=selectors.commitment_item_list())
    if form.is_valid():
        item = form.cleaned_data["item"]
        try:
            services.commitment_sign(actor=request.user, enterprise=enterprise, item=item)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                gettext(
                    "已签署“%(title)s”。%(department)s将认定履约情况："
                    "履行承诺计入加分，违背承诺计入扣分。"
                )
                % {"title": item.title, "department": item.department.name},
            )
            return redirect(f"{reverse('credit:portal')}#commitments")
    context = _portal_context(request, scope, enterprise, sign_form=form)
    return render(request, "credit/portal.html", context)


# ---------------------------------------------------------------- one enterprise, for officers


@policy(SIGNED_IN)
def enterprise_detail(request, pk: int):
    scope = scope_for(request.user)
    if scope.enterprise_id and scope.enterprise_id == pk:
        return redirect("credit:portal")
    try:
        # The registry's own rule: departments and the bureau any, a street its area.
        enterprise = registry_selectors.enterprise_get(scope=scope, pk=pk)
    except Enterprise.DoesNotExist:
        raise Http404 from None
    explained = explained_grade(enterprise.pk)
    grade = explained["grade"]
    context = {
        "enterprise": enterprise,
        "explained": explained,
        "effects": effect_rows(grade.grade if grade else None),
        "changes": selectors.grade_change_list(scope=scope).filter(enterprise_id=pk)[:20],
        "scope": scope,
    }
    return render(request, "credit/enterprise.html", context)
