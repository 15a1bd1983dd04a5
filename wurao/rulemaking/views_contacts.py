"""Pages of the contact-point enterprises (涉企执法联系点): the bureau's designations per
street, each point's feedback and follow-up. An enterprise sees its own, a street its own."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from wurao.accounts.policy import allows, policy, require
from wurao.accounts.scope import scope_for
from wurao.registry.selectors import street_list
from wurao.rulemaking import selectors
from wurao.rulemaking.forms import ContactPointForm, FeedbackForm, FollowUpForm
from wurao.rulemaking.models import ContactPoint, Feedback
from wurao.rulemaking.services_contacts import (
    contact_point_designate,
    feedback_follow_up,
    feedback_log,
)


def _visible(request, pk: int) -> ContactPoint:
    try:
        return selectors.contact_point_get(scope=scope_for(request.user), pk=pk)
    except ContactPoint.DoesNotExist:
        raise Http404 from None


@policy("rulemaking.contact_points_browse")
def contact_point_list(request):
    scope = scope_for(request.user)
    points = list(selectors.contact_point_list(scope=scope))
    streets = {}
    for p in points:
        streets.setdefault(p.street, []).append(p)
    context = {
        "streets": list(streets.items()),
        "count": len(points),
        "scope": scope,
        "street_count": street_list().count() if scope.sees_all else None,
        "designates": allows(request.user, "rulemaking.contact_point_designate"),
    }
    return render(request, "rulemaking/contact_point_list.html", context)


@policy("rulemaking.contact_point_designate")
def contact_point_new(request):
    form = ContactPointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            point = contact_point_designate(
                actor=request.user,
                enterprise=data["enterprise"],
                term_from=data["term_from"],
                term_to=data["term_to"],
                note=data["note"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("已确定为涉企执法联系点。"))
            return redirect("rulemaking:contact-point-detail", pk=point.pk)
    return render(request, "rulemaking/contact_point_form.html", {"form": form})


def _detail_context(request, point, *, feedback_form=None, follow_forms=None) -> dict:
    logs = allows(request.user, "rulemaking.contact_feedback_log", point)
    follow_forms = follow_forms or {}
    items = list(point.feedback.select_related("department"))
    for f in items:
        f.form = follow_forms.get(f.pk) or (
            FollowUpForm(
                prefix=f"f{f.pk}",
                initial={
                    "follow_up_by": f.follow_up_by,
                    "follow_up": f.follow_up,
                    "closed_on": f.closed_on,
                },
            )
            if logs
            else None
        )
    return {
        "point": point,
        "items": items,
        "feedback_form": feedback_form or (FeedbackForm() if logs else None),
    }


@policy("rulemaking.contact_points_browse")
def contact_point_detail(request, pk: int):
    point = _visible(request, pk)
    return render(request, "rulemaking/contact_point_detail.html", _detail_context(request, point))


@policy("rulemaking.contact_feedback_log")
@require_POST
def feedback_new(request, pk: int):
    point = _visible(request, pk)
    require(request.user, "rulemaking.contact_feedback_log", point)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            feedback_log(actor=request.user, contact_point=point, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("反映已登记。"))
            return redirect("rulemaking:contact-point-detail", pk=pk)
    context = _detail_context(request, point, feedback_form=form)
    return render(request, "rulemaking/contact_point_detail.html", context, status=400)


@policy("rulemaking.contact_feedback_log")
@require_POST
def feedback_follow_up_view(request, pk: int, feedback_pk: int):
    point = _visible(request, pk)
    require(request.user, "rulemaking.contact_feedback_log", point)
    try:
        feedback = point.feedback.get(pk=feedback_pk)
    except Feedback.DoesNotExist:
        raise Http404 from None
    form = FollowUpForm(request.POST, prefix=f"f{feedback.pk}")
    if form.is_valid():
        try:
            feedback_follow_up(actor=request.user, feedback=feedback, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("跟进情况已记录。"))
            return redirect("rulemaking:contact-point-detail", pk=pk)
    context = _detail_context(request, point, follow_forms={feedback.pk: form})
    return render(request, "rulemaking/contact_point_detail.html", context, status=400)
