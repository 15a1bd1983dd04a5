"""Credit pages for the departments: the objections and repairs addressed to them, to review,
and the commitments signed with them, to record as kept or broken.
Who sees what: see `views_common`.
"""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from wurao.accounts.policy import SIGNED_IN, allows, policy, require
from wurao.accounts.scope import scope_for
from wurao.audit.services import audit_read
from wurao.common.pagination import page_range, paginate
from wurao.common.rendering import render_page_or_partial
from wurao.credit import selectors, services
from wurao.credit.choices import CommitmentStatus, ReviewStatus
from wurao.credit.forms import (
    CommitmentDecideForm,
    CommitmentFilterForm,
    ReviewDecideForm,
    ReviewFilterForm,
)
from wurao.credit.views_common import KIND_LABELS, REVIEW_KINDS, annotated_requests, explained_grade

# ---------------------------------------------------------------- finding a request


def _visible_request(user, kind: str, pk: int):
    """An objection or repair for its enterprise, its department or the justice bureau; to
    anyone else (a street too) it looks missing."""
    scope = scope_for(user)
    if kind not in REVIEW_KINDS or not (
        allows(user, "credit.reviews_browse") or allows(user, "credit.review_request")
    ):
        raise Http404
    model = REVIEW_KINDS[kind]
    try:
        return selectors.review_request_list(scope=scope, kind=model).get(pk=pk)
    except model.DoesNotExist:
        raise Http404 from None


# ---------------------------------------------------------------- departments: reviews


@policy("credit.reviews_browse")
def review_list(request):
    scope = scope_for(request.user)
    form = ReviewFilterForm(request.GET or None)
    kind = request.GET.get("kind") if request.GET.get("kind") in REVIEW_KINDS else "objection"
    queryset = selectors.review_request_list(
        scope=scope, kind=REVIEW_KINDS[kind], filters=form.filters()
    )
    page = paginate(request, queryset)
    page.object_list = annotated_requests(page.object_list)
    tabs = [
        {
            "kind": k,
            "label": KIND_LABELS[k],
            "active": k == kind,
            "pending": selectors.review_request_list(
                scope=scope, kind=model, filters={"status": ReviewStatus.SUBMITTED}
            ).count(),
            "overdue": selectors.review_request_list(
                scope=scope, kind=model, filters={"overdue": True}
            ).count(),
        }
        for k, model in REVIEW_KINDS.items()
    ]
    context = {
        "form": form,
        "kind": kind,
        "tabs": tabs,
        "page_obj": page,
        "page_range": page_range(page),
        "scope": scope,
    }
    return render_page_or_partial(
        request, "credit/review_list.html", "credit/_review_results.html", context
    )


def _review_context(request, review, *, form=None) -> dict:
    (review,) = annotated_requests([review])
    explained = explained_grade(review.enterprise_id)
    row = next(
        (
            r
            for r in explained["rows"]
            if r["source"] == review.record_source and r["source_id"] == review.record_id
        ),
        None,
    )
    decides = (
        allows(request.user, "credit.review_decide", review)
        and review.status == ReviewStatus.SUBMITTED
    )
    return {
        "review": review,
        "row": row,
        "explained": explained,
        "form": (form or ReviewDecideForm()) if decides else None,
        "scope": scope_for(request.user),
    }


@policy(SIGNED_IN)
def review_detail(request, kind: str, pk: int):
    review = _visible_request(request.user, kind, pk)
    return render(request, "credit/review_detail.html", _review_context(request, review))


# The request is found first (a 404 for anyone it is not addressed to), then its rule.
@policy(SIGNED_IN)
@require_POST
def review_decide(request, kind: str, pk: int):
    review = _visible_request(request.user, kind, pk)
    require(request.user, "credit.review_decide", review)
    form = ReviewDecideForm(request.POST)
    if form.is_valid():
        try:
            review = services.review_decide(
                actor=request.user, request=review, **form.decide_kwargs()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            outcome = (
                gettext("已通过，公示期满后（%(day)s 起）该记录不再计分")
                % {"day": review.effective_from}
                if review.status == ReviewStatus.APPROVED
                else gettext("未通过，记录照常计分")
            )
            messages.success(
                request,
                gettext("%(kind)s审核完成：%(outcome)s。企业可在门户查看审核意见。")
                % {"kind": KIND_LABELS[kind], "outcome": outcome},
            )
            return redirect("credit:review-detail", kind=kind, pk=pk)
    context = _review_context(request, review, form=form)
    return render(request, "credit/review_detail.html", context)


@policy(SIGNED_IN)
def review_evidence(request, kind: str, pk: int):
    """The evidence file, served only to the enterprise, the department and the justice bureau
    (never from MEDIA_URL, which would serve it to anyone who has the link)."""
    review = _visible_request(request.user, kind, pk)
    if not review.evidence:
        raise Http404
    try:
        handle = review.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    audit_read(request, "read.evidence", review)
    return FileResponse(handle, as_attachment=True, filename=Path(review.evidence.name).name)


# ---------------------------------------------------------------- departments: commitments


def _commitment_context(request, scope, *, forms=None) -> dict:
    form = CommitmentFilterForm(request.GET or None)
    filters = form.valid_data()
    page = paginate(request, selectors.commitment_list(scope=scope, filters=filters))
    forms = forms or {}
    rows = [
        {
            "commitment": c,
            "form": forms.get(c.pk) or CommitmentDecideForm(prefix=f"c{c.pk}")
            if c.status == CommitmentStatus.SIGNED
            and allows(request.user, "credit.commitment_decide", c)
            else None,
        }
        for c in page.object_list
    ]
    return {
        "form": form,
        "page_obj": page,
        "page_range": page_range(page),
        "rows": rows,
        "scope": scope,
    }


@policy("credit.reviews_browse")
def commitment_list(request):
    scope = scope_for(request.user)
    return render_page_or_partial(
        request,
        "credit/commitment_list.html",
        "credit/_commitment_results.html",
        _commitment_context(request, scope),
    )


@policy("credit.reviews_browse")
@require_POST
def commitment_decide(request, pk: int):
    scope = scope_for(request.user)
    commitment = selectors.commitment_list(scope=scope).filter(pk=pk).first()
    if commitment is None:
        raise Http404
    require(request.user, "credit.commitment_decide", commitment)
    form = CommitmentDecideForm(request.POST, prefix=f"c{pk}")
    if form.is_valid():
        try:
            commitment = services.commitment_decide(
                actor=request.user, commitment=commitment, **form.decide_kwargs()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                gettext("已认定 %(enterprise)s“%(title)s”%(status)s，下次评级时计入信用分。")
                % {
                    "enterprise": commitment.enterprise.name,
                    "title": commitment.item.title,
                    "status": commitment.get_status_display(),
                },
            )
            return redirect("credit:commitment-list")
    context = _commitment_context(request, scope, forms={pk: form})
    return render(request, "credit/commitment_list.html", context)
