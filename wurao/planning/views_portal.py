"""The enterprise's portal: its joint visits (asking for another date while one is only
proposed) and its days (申报) for the scheduler to keep to.

Only an enterprise account may use these pages (the rules "planning.portal",
"planning.joint_visit_request_change" and "planning.slot_declare"; anyone else gets 403),
and only for its own visits and days: another's looks exactly like a missing one (404).
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from wurao.accounts.policy import policy
from wurao.accounts.scope import Scope
from wurao.planning import selectors, services_coordination
from wurao.planning.choices import JointVisitStatus
from wurao.planning.forms_coordination import ChangeRequestForm, SlotForm
from wurao.planning.models import JointVisit
from wurao.planning.views_coordination import _visit_row


def _portal_page(request, *, forms=None, status=200):
    enterprise = request.user.enterprise
    today = timezone.localdate()
    visits = (
        selectors.joint_visit_list(scope=Scope(enterprise_id=enterprise.pk))
        .prefetch_related("inspections__items")
        .order_by("date", "id")
    )
    forms = forms or {}
    upcoming = []
    for v in visits.filter(date__gte=today):
        row = _visit_row(v)
        if v.status == JointVisitStatus.PROPOSED:
            row["change_form"] = forms.get(v.pk) or ChangeRequestForm(prefix=f"c{v.pk}")
        upcoming.append(row)
    past = [_visit_row(v) for v in visits.filter(date__lt=today).order_by("-date", "-id")[:20]]
    context = {"enterprise": enterprise, "upcoming": upcoming, "past": past}
    return render(request, "planning/portal_mine.html", context, status=status)


@policy("planning.portal")
def portal_mine(request):
    return _portal_page(request)


@policy("planning.joint_visit_request_change")
@require_POST
def portal_change(request, pk: int):
    enterprise = request.user.enterprise
    try:
        visit = selectors.joint_visit_get(scope=Scope(enterprise_id=enterprise.pk), pk=pk)
    except JointVisit.DoesNotExist:
        raise Http404 from None
    form = ChangeRequestForm(request.POST, prefix=f"c{visit.pk}")
    if form.is_valid():
        try:
            services_coordination.joint_visit_request_change(
                actor=request.user,
                visit=visit,
                dates=form.dates(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                gettext(
                    "已向街道协调员申请改期（原定 %(day)s），建议日期已记入预约；请等待协调员安排。"
                )
                % {"day": f"{visit.date:%Y-%m-%d}"},
            )
            return redirect("planning_coordination:portal")
    return _portal_page(request, forms={visit.pk: form})


def _slots_page(request, form=None):
    enterprise = request.user.enterprise
    tomorrow = timezone.localdate() + timedelta(days=1)
    context = {
        "enterprise": enterprise,
        "slots": selectors.slot_list(enterprise_id=enterprise.pk, since=tomorrow),
        "form": form or SlotForm(initial={"date": tomorrow}),
        "tomorrow": tomorrow,
    }
    return render(request, "planning/portal_slots.html", context)


@policy("planning.slot_declare")
def slots(request):
    if request.method != "POST":
        return _slots_page(request)
    enterprise = request.user.enterprise
    form = SlotForm(request.POST)
    if form.is_valid():
        try:
            slot = services_coordination.slot_set(
                actor=request.user,
                enterprise=enterprise,
                day=form.cleaned_data["date"],
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                gettext("已申报 %(day)s：%(kind)s。排期时将据此安排。")
                % {"day": f"{slot.date:%Y-%m-%d}", "kind": slot.get_kind_display()},
            )
            return redirect("planning_coordination:slots")
    return _slots_page(request, form)


@policy("planning.slot_declare")
@require_POST
def slot_delete(request, pk: int):
    enterprise = request.user.enterprise
    slot = selectors.slot_list(enterprise_id=enterprise.pk, since=timezone.localdate()).filter(
        pk=pk
    )
    slot = slot.select_related("enterprise").first()
    if slot is None:
        raise Http404
    try:
        services_coordination.slot_delete(actor=request.user, slot=slot)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(
            request, gettext("已撤回 %(day)s 的申报。") % {"day": f"{slot.date:%Y-%m-%d}"}
        )
    return redirect("planning_coordination:slots")
