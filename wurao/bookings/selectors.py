"""Reads of 预约服务, each scoped: a department sees its own teams and their bookings, a street
its street's teams, an enterprise the slots it may book and only its own bookings, the bureau
everything. Out of scope is DoesNotExist (a 404)."""

import datetime

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from wurao.accounts.scope import Scope
from wurao.bookings.choices import HOLDS_PLACE, BookingStatus
from wurao.bookings.models import Booking, ServiceTeam, Slot
from wurao.registry.models import Enterprise

HOLDING = Q(bookings__status__in=[s.value for s in HOLDS_PLACE])


def _team_q(scope: Scope, prefix: str = "") -> Q | None:
    """Which teams a person runs or oversees (None: all of them)."""
    if scope.sees_all:
        return None
    if scope.department_id:
        return Q(**{f"{prefix}department_id": scope.department_id})
    if scope.street_id:
        return Q(**{f"{prefix}street_id": scope.street_id})
    return Q(pk__in=[])


def _bookable_q(enterprise_id: int, prefix: str = "") -> Q:
    """The teams an enterprise may book: every department's, and its own street's."""
    street_id = (
        Enterprise.objects.filter(pk=enterprise_id).values_list("street_id", flat=True).first()
    )
    return Q(**{f"{prefix}active": True}) & (
        Q(**{f"{prefix}department__isnull": False}) | Q(**{f"{prefix}street_id": street_id})
    )


def team_list(*, scope: Scope) -> QuerySet[ServiceTeam]:
    teams = ServiceTeam.objects.select_related("department", "street")
    if scope.enterprise_id:
        return teams.filter(_bookable_q(scope.enterprise_id))
    q = _team_q(scope)
    return teams if q is None else teams.filter(q)


def team_get(*, scope: Scope, pk: int) -> ServiceTeam:
    return team_list(scope=scope).get(pk=pk)


def _with_counts(slots: QuerySet[Slot]) -> QuerySet[Slot]:
    return slots.select_related("team", "team__department", "team__street").annotate(
        taken=Count("bookings", filter=HOLDING)
    )


def slot_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[Slot]:
    """Slots of the teams in scope, each with `taken` (the places held)."""
    slots = Slot.objects.all()
    if scope.enterprise_id:
        slots = slots.filter(_bookable_q(scope.enterprise_id, "team__"))
    else:
        q = _team_q(scope, "team__")
        if q is not None:
            slots = slots.filter(q)
    filters = filters or {}
    if filters.get("kind"):
        slots = slots.filter(kind=filters["kind"])
    if filters.get("team"):
        slots = slots.filter(team_id=filters["team"])
    if filters.get("date_from"):
        slots = slots.filter(date__gte=filters["date_from"])
    if filters.get("date_to"):
        slots = slots.filter(date__lte=filters["date_to"])
    return _with_counts(slots)


def slot_available_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[Slot]:
    """Slots an enterprise may still book: not begun, with a place left."""
    now = timezone.localtime()
    later_today = Q(date=now.date(), start__gt=now.time())
    return (
        slot_list(scope=scope, filters=filters)
        .filter(Q(date__gt=now.date()) | later_today)
        .filter(taken__lt=F("capacity"))
        .order_by("date", "start", "pk")
    )


def slot_get(*, scope: Scope, pk: int) -> Slot:
    return slot_list(scope=scope).get(pk=pk)


def booking_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[Booking]:
    bookings = Booking.objects.select_related(
        "slot", "slot__team", "slot__team__department", "slot__team__street", "enterprise"
    )
    if scope.enterprise_id:
        bookings = bookings.filter(enterprise_id=scope.enterprise_id)
    else:
        q = _team_q(scope, "slot__team__")
        if q is not None:
            bookings = bookings.filter(q)
    filters = filters or {}
    if filters.get("status"):
        bookings = bookings.filter(status=filters["status"])
    if filters.get("kind"):
        bookings = bookings.filter(slot__kind=filters["kind"])
    if filters.get("slot"):
        bookings = bookings.filter(slot_id=filters["slot"])
    return bookings


def booking_get(*, scope: Scope, pk: int) -> Booking:
    return booking_list(scope=scope).get(pk=pk)


def booking_upcoming_split(bookings) -> tuple[list[Booking], list[Booking]]:
    """Upcoming (the slot not begun, soonest first) and past (latest first)."""
    upcoming, past = [], []
    for b in bookings:
        (past if b.slot.started else upcoming).append(b)
    upcoming.sort(key=lambda b: (b.slot.date, b.slot.start))
    past.sort(key=lambda b: (b.slot.date, b.slot.start), reverse=True)
    return upcoming, past


def reschedule_choices(*, scope: Scope, booking: Booking) -> QuerySet[Slot]:
    """Other slots of the same team and kind the enterprise could move to."""
    return slot_available_list(
        scope=scope, filters={"team": booking.slot.team_id, "kind": booking.slot.kind}
    ).exclude(pk=booking.slot_id)


def booking_overview(*, scope: Scope, since: datetime.date) -> dict:
    """The bureau's figures: bookings per kind, per team and per month, and attendance."""
    bookings = booking_list(scope=scope).filter(slot__date__gte=since)
    held = [s.value for s in HOLDS_PLACE]

    def rows(*fields):
        return list(
            bookings.values(*fields)
            .annotate(
                total=Count("pk"),
                held=Count("pk", filter=Q(status__in=held)),
                attended=Count("pk", filter=Q(status=BookingStatus.ATTENDED)),
                no_show=Count("pk", filter=Q(status=BookingStatus.NO_SHOW)),
                cancelled=Count("pk", filter=Q(status=BookingStatus.CANCELLED)),
                declined=Count("pk", filter=Q(status=BookingStatus.DECLINED)),
            )
            .order_by(*fields)
        )

    months: dict[str, dict] = {}
    for day, status in bookings.values_list("slot__date", "status"):
        key = day.strftime("%Y-%m")
        row = months.setdefault(key, {"month": key, "total": 0, "attended": 0, "no_show": 0})
        row["total"] += 1
        row["attended"] += status == BookingStatus.ATTENDED
        row["no_show"] += status == BookingStatus.NO_SHOW
    for r in months.values():
        served = r["attended"] + r["no_show"]
        r["rate"] = round(100 * r["attended"] / served) if served else None
    return {
        "by_kind": rows("slot__kind"),
        "by_team": rows("slot__team_id", "slot__team__name"),
        "by_month": sorted(months.values(), key=lambda r: r["month"]),
        "total": bookings.count(),
    }
