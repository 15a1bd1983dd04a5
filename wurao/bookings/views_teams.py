"""The teams' pages (a department admin, a street coordinator; the bureau reads): their teams,
a team's slots with the places left, one slot's bookings, recording an outcome; and the
bureau's overview."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from wurao.accounts.policy import allows, policy, require
from wurao.accounts.scope import scope_for
from wurao.bookings import selectors, services, services_teams
from wurao.bookings.choices import OPEN, BookingStatus, ServiceKind
from wurao.bookings.forms import OutcomeForm, SlotForm, TeamForm
from wurao.bookings.views_common import (
    NOT_AN_INSPECTION,
    booking_or_404,
    slot_or_404,
    team_or_404,
)

PAST_DAYS = 30  # the team's page shows the past month's slots too: outcomes to record


@policy("bookings.teams_browse")
def team_list(request):
    scope = scope_for(request.user)
    teams = list(selectors.team_list(scope=scope))
    today = timezone.localdate()
    slots = selectors.slot_list(scope=scope, filters={"date_from": today})
    upcoming: dict[int, int] = {}
    for slot in slots:
        upcoming[slot.team_id] = upcoming.get(slot.team_id, 0) + 1
    pending = {}
    for b in selectors.booking_list(scope=scope, filters={"status": BookingStatus.REQUESTED}):
        pending[b.slot.team_id] = pending.get(b.slot.team_id, 0) + 1
    for team in teams:
        team.upcoming = upcoming.get(team.pk, 0)
        team.pending = pending.get(team.pk, 0)
    return render(request, "bookings/team_list.html", {"teams": teams, "scope": scope})


def _team_fields(form) -> dict:
    data = dict(form.cleaned_data)
    data["kinds"] = list(data["kinds"])
    return data


@policy("bookings.team_create")
def team_new(request):
    form = TeamForm(request.POST or None, initial={"kind": "own", "active": True})
    if request.method == "POST" and form.is_valid():
        try:
            team = services_teams.team_create(actor=request.user, **_team_fields(form))
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("已设立服务队伍，可以发布服务时段了。"))
            return redirect("bookings:team-detail", pk=team.pk)
    return render(request, "bookings/team_form.html", {"form": form, "team": None})


@policy("bookings.team_manage")
def team_edit(request, pk: int):
    team = team_or_404(request, pk)
    require(request.user, "bookings.team_manage", team)
    initial = {f: getattr(team, f) for f in services_teams.TEAM_FIELDS}
    form = TeamForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_teams.team_update(actor=request.user, team=team, **_team_fields(form))
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("已保存。"))
            return redirect("bookings:team-detail", pk=team.pk)
    return render(request, "bookings/team_form.html", {"form": form, "team": team})


@policy("bookings.teams_browse")
def team_detail(request, pk: int):
    team = team_or_404(request, pk)
    scope = scope_for(request.user)
    since = timezone.localdate() - datetime.timedelta(days=PAST_DAYS)
    slots = list(selectors.slot_list(scope=scope, filters={"team": team.pk, "date_from": since}))
    bookings = selectors.booking_list(scope=scope).filter(slot__in=slots)
    by_slot: dict[int, list] = {}
    for b in bookings.order_by("booked_at"):
        by_slot.setdefault(b.slot_id, []).append(b)
    for slot in slots:
        slot.booking_rows = by_slot.get(slot.pk, [])
        slot.left = slot.capacity - slot.taken
        slot.pending = sum(b.status == BookingStatus.REQUESTED for b in slot.booking_rows)
        slot.to_record = slot.started and any(b.status in OPEN for b in slot.booking_rows)
    upcoming = [s for s in slots if not s.started]
    past = sorted((s for s in slots if s.started), key=lambda s: (s.date, s.start), reverse=True)
    context = {
        "team": team,
        "upcoming": upcoming,
        "past": past,
        "may_manage": allows(request.user, "bookings.team_manage", team),
        "past_days": PAST_DAYS,
    }
    return render(request, "bookings/team_detail.html", context)


@policy("bookings.team_manage")
def slot_new(request, pk: int):
    team = team_or_404(request, pk)
    require(request.user, "bookings.team_manage", team)
    form = SlotForm(request.POST or None, team=team, initial={"kind": (team.kinds or [""])[0]})
    if request.method == "POST" and form.is_valid():
        try:
            slots = services_teams.slot_publish(actor=request.user, team=team, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("已发布 %(n)s 个服务时段。") % {"n": len(slots)})
            return redirect("bookings:team-detail", pk=team.pk)
    return render(request, "bookings/slot_form.html", {"form": form, "team": team})


@policy("bookings.teams_browse")
def slot_detail(request, pk: int):
    slot = slot_or_404(request, pk)
    bookings = selectors.booking_list(scope=scope_for(request.user), filters={"slot": slot.pk})
    context = {
        "slot": slot,
        "left": slot.capacity - slot.taken,
        "bookings": bookings.order_by("booked_at"),
        "may_manage": allows(request.user, "bookings.team_manage", slot),
    }
    return render(request, "bookings/slot_detail.html", context)


@policy("bookings.team_manage")
def booking_outcome(request, pk: int):
    booking = booking_or_404(request, pk)
    require(request.user, "bookings.team_manage", booking)
    checkup = booking.slot.kind == ServiceKind.CHECKUP
    initial = {
        "attended": "0" if booking.status == BookingStatus.NO_SHOW else "1",
        "done": booking.outcome_done,
        "advice": booking.outcome_advice,
        "hazards": booking.hazards,
    }
    form = OutcomeForm(request.POST or None, checkup=checkup, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.booking_outcome_record(
                actor=request.user,
                booking=booking,
                attended=data["attended"],
                done=data["done"],
                advice=data["advice"],
                hazards=data.get("hazards", ""),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("已记录服务结果，企业可在“我的预约”中查看。"))
            return redirect("bookings:booking-detail", pk=booking.pk)
    context = {
        "booking": booking,
        "slot": booking.slot,
        "form": form,
        "is_checkup": checkup,
        "not_an_inspection": NOT_AN_INSPECTION,
    }
    return render(request, "bookings/outcome_form.html", context)


@policy("bookings.overview")
def overview(request):
    scope = scope_for(request.user)
    since = timezone.localdate().replace(day=1) - datetime.timedelta(days=365)
    figures = selectors.booking_overview(scope=scope, since=since.replace(day=1))
    labels = dict(ServiceKind.choices)
    for row in figures["by_kind"]:
        row["label"] = labels.get(row["slot__kind"], row["slot__kind"])
    for row in [*figures["by_kind"], *figures["by_team"]]:
        served = row["attended"] + row["no_show"]
        row["rate"] = round(100 * row["attended"] / served) if served else None
    return render(
        request, "bookings/overview.html", {"figures": figures, "since": since.replace(day=1)}
    )
