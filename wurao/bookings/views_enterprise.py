"""The enterprise's pages: the slots it may book, booking one, its bookings, and one booking
(reschedule, cancel, the outcome). The same booking page serves the team and the bureau."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from wurao.accounts.policy import allows, policy
from wurao.accounts.scope import scope_for
from wurao.bookings import selectors, services
from wurao.bookings.choices import OPEN, BookingStatus, ServiceKind
from wurao.bookings.forms import (
    BookForm,
    CancelForm,
    DecideForm,
    RescheduleForm,
    SlotFilterForm,
)
from wurao.bookings.views_common import NOT_AN_INSPECTION, booking_or_404, slot_or_404
from wurao.common.pagination import page_range, paginate
from wurao.common.rendering import render_page_or_partial


@policy("bookings.slots_browse")
def slot_list(request):
    scope = scope_for(request.user)
    form = SlotFilterForm(request.GET or None, teams=selectors.team_list(scope=scope))
    filters = form.valid_data()
    page = paginate(
        request, selectors.slot_available_list(scope=scope, filters=filters), per_page=20
    )
    context = {
        "form": form,
        "page_obj": page,
        "page_range": page_range(page),
        "not_an_inspection": NOT_AN_INSPECTION,
    }
    return render_page_or_partial(
        request, "bookings/slot_list.html", "bookings/_slot_results.html", context
    )


@policy("bookings.book")
def book(request, pk: int):
    slot = slot_or_404(request, pk)
    enterprise = request.user.enterprise
    form = BookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.booking_create(
                actor=request.user,
                slot_id=slot.pk,
                enterprise=enterprise,
                note=form.cleaned_data["note"],
                people=form.cleaned_data["people"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                gettext("已预约，等待%(team)s确认；确认结果显示在“我的预约”中。")
                % {"team": slot.team.name},
            )
            return redirect("bookings:booking-detail", pk=booking.pk)
    context = {
        "slot": slot,
        "form": form,
        "left": slot.capacity - slot.taken,
        "is_checkup": slot.kind == ServiceKind.CHECKUP,
        "not_an_inspection": NOT_AN_INSPECTION,
    }
    return render(request, "bookings/book.html", context)


@policy("bookings.mine")
def mine(request):
    scope = scope_for(request.user)
    upcoming, past = selectors.booking_upcoming_split(selectors.booking_list(scope=scope))
    return render(
        request,
        "bookings/mine.html",
        {"upcoming": upcoming, "past": past, "not_an_inspection": NOT_AN_INSPECTION},
    )


def _detail_context(request, booking, **forms) -> dict:
    scope = scope_for(request.user)
    user = request.user
    can_change = (
        allows(user, "bookings.booking_change", booking)
        and booking.status in OPEN
        and not booking.slot.started
    )
    can_decide = (
        allows(user, "bookings.team_manage", booking)
        and booking.status in OPEN
        and not booking.slot.started
    )
    can_record = (
        allows(user, "bookings.team_manage", booking)
        and booking.slot.started
        and (booking.status in (*OPEN, BookingStatus.ATTENDED, BookingStatus.NO_SHOW))
    )
    choices = list(selectors.reschedule_choices(scope=scope, booking=booking)) if can_change else []
    context = {
        "booking": booking,
        "slot": booking.slot,
        "can_change": can_change,
        "can_decide": can_decide,
        "can_record": can_record,
        "is_checkup": booking.slot.kind == ServiceKind.CHECKUP,
        "not_an_inspection": NOT_AN_INSPECTION,
        "reschedule_form": RescheduleForm(slots=choices) if choices else None,
        "cancel_form": CancelForm(),
        "decide_form": DecideForm(),
    }
    context.update(forms)
    return context


@policy("bookings.booking_view")
def booking_detail(request, pk: int):
    booking = booking_or_404(request, pk)
    return render(request, "bookings/booking_detail.html", _detail_context(request, booking))


@policy("bookings.booking_change")
@require_POST
def booking_reschedule(request, pk: int):
    booking = booking_or_404(request, pk)
    choices = selectors.reschedule_choices(scope=scope_for(request.user), booking=booking)
    form = RescheduleForm(request.POST, slots=choices)
    if form.is_valid():
        try:
            moved = services.booking_reschedule(
                actor=request.user, booking=booking, slot_id=form.cleaned_data["slot"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("已改约到新的时段，等待服务队伍确认。"))
            return redirect("bookings:booking-detail", pk=moved.pk)
    context = _detail_context(request, booking, reschedule_form=form)
    return render(request, "bookings/booking_detail.html", context, status=400)


@policy("bookings.booking_change")
@require_POST
def booking_cancel(request, pk: int):
    booking = booking_or_404(request, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.booking_cancel(
                actor=request.user, booking=booking, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("已取消预约。"))
            return redirect("bookings:booking-detail", pk=booking.pk)
    context = _detail_context(request, booking, cancel_form=form)
    return render(request, "bookings/booking_detail.html", context, status=400)


@policy("bookings.team_manage")
@require_POST
def booking_decide(request, pk: int):
    booking = booking_or_404(request, pk)
    if not allows(request.user, "bookings.team_manage", booking):
        raise Http404  # the bureau sees the booking but does not run the team
    form = DecideForm(request.POST)
    if form.is_valid():
        confirm = form.cleaned_data["decision"] == "confirm"
        try:
            services.booking_decide(
                actor=request.user,
                booking=booking,
                confirm=confirm,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, gettext("已确认预约。") if confirm else gettext("已婉拒预约。")
            )
            return redirect("bookings:booking-detail", pk=booking.pk)
    context = _detail_context(request, booking, decide_form=form)
    return render(request, "bookings/booking_detail.html", context, status=400)
