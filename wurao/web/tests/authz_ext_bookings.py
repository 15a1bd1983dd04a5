"""The authorisation matrix's records and routes of the bookings app (see authz_extensions.py).

Each scope k has: a team of department k (any enterprise may book its slots; department k runs
it) and a contracted 驻点 team of street k (only street k's enterprises book it; street k runs
it), each with two check-up slots a week after the world's day; enterprise k has booked the
first slot of each. A department team's bookings are its department's, a street team's its
street's, and each is its enterprise's own."""

from __future__ import annotations

import datetime

from wurao.bookings import services, services_teams
from wurao.bookings.choices import ServiceKind, TeamKind
from wurao.web.tests.authz_targets import _each_scope, _own
from wurao.web.tests.authz_world import SCOPES, TODAY, mark

VISIBLE: dict = {
    # a department's team and its slots: every enterprise may book them
    "dept_team": dict(department="own", street="none", enterprise="all"),
    # a street's contracted team and its slots: its street's enterprises
    "street_team": dict(department="none", street="own", enterprise="own"),
    "dept_booking": dict(department="own", street="none", enterprise="own"),
    "street_booking": dict(department="none", street="own", enterprise="own"),
}


def _x(s, name):
    return s.extra[name]


def _team(kind):
    return _each_scope(kind, lambda w, s: ({"pk": _x(s, kind).pk}, _x(s, kind)))


def _slot(kind):
    return _each_scope(kind, lambda w, s: ({"pk": _x(s, f"{kind}_slot").pk}, _x(s, f"{kind}_slot")))


def _booking(kind):
    return _each_scope(kind, lambda w, s: ({"pk": _x(s, kind).pk}, _x(s, kind)))


def _both(*makers):
    return lambda world: [t for make in makers for t in make(world)]


teams = _both(_team("dept_team"), _team("street_team"))
slots = _both(_slot("dept_team"), _slot("street_team"))
bookings = _both(_booking("dept_booking"), _booking("street_booking"))
# booking a slot: the rule asks about the enterprise booking, not the slot
bookable = _both(
    _each_scope("dept_team", lambda w, s: ({"pk": _x(s, "dept_team_slot").pk}, None)),
    _each_scope("street_team", lambda w, s: ({"pk": _x(s, "street_team_slot").pk}, None)),
)

TARGETS: dict = {
    "bookings:book": bookable,
    "bookings:slot-detail": slots,
    "bookings:team-detail": teams,
    "bookings:team-edit": teams,
    "bookings:slot-new": teams,
    "bookings:booking-detail": bookings,
    "bookings:booking-reschedule": bookings,
    "bookings:booking-cancel": bookings,
    "bookings:booking-decide": bookings,
    "bookings:booking-outcome": bookings,
    "api-booking-cancel": bookings,
}

_TEAM_BODY = {
    "name": "矩阵服务队",
    "kind": "own",
    "contact_name": "矩阵",
    "contact_phone": "0755-0000",
    "kinds": ["training", "checkup"],
    "active": "on",
}


def _second_slot(w, identity, target):
    booking = target.obj if target else None
    if booking is None:
        return {"slot": _own(w, identity).extra["dept_team_slot2"].pk}
    return {"slot": booking.slot.team.slots.exclude(pk=booking.slot_id).first().pk}


BODIES: dict = {
    "bookings:book": lambda w, i, t: {"note": "矩阵预约", "people": "1"},
    "bookings:booking-reschedule": _second_slot,
    "bookings:booking-cancel": lambda w, i, t: {"reason": "矩阵取消"},
    "bookings:booking-decide": lambda w, i, t: {"decision": "confirm"},
    "bookings:booking-outcome": lambda w, i, t: {"attended": "1", "done": "矩阵服务"},
    "bookings:team-new": lambda w, i, t: dict(_TEAM_BODY),
    "bookings:team-edit": lambda w, i, t: dict(_TEAM_BODY),
    "bookings:slot-new": lambda w, i, t: {
        "kind": "checkup",
        "date": (TODAY + datetime.timedelta(days=10)).isoformat(),
        "start": "09:00",
        "end": "10:00",
        "place": "矩阵现场",
        "capacity": "3",
        "repeat_weeks": "1",
    },
    "api-booking-list": lambda w, i, t: {
        "slot": _own(w, i).extra["dept_team_slot"].pk,
        "note": "矩阵预约",
        "people": 1,
    },
    "api-booking-cancel": lambda w, i, t: {"reason": "矩阵取消"},
}


def build(world) -> None:
    day = TODAY + datetime.timedelta(days=7)
    for k in SCOPES:
        s = world[k]
        kinds = [ServiceKind.CHECKUP.value, ServiceKind.TRAINING.value]
        dept_team = services_teams.team_create(
            actor="authz",
            department=s.department,
            name=f"矩阵{k}部门服务队",
            contact_name="矩阵",
            contact_phone="0755-0000",
            kinds=kinds,
        )
        street_team = services_teams.team_create(
            actor="authz",
            street=s.street,
            kind=TeamKind.CONTRACTED,
            provider=f"矩阵{k}安全公司",
            name=f"矩阵{k}街道驻点队",
            contact_name="矩阵",
            contact_phone="0755-0000",
            kinds=kinds,
        )
        for name, team in (("dept_team", dept_team), ("street_team", street_team)):
            first, second = (
                services_teams.slot_publish(
                    actor="authz",
                    team=team,
                    kind=ServiceKind.CHECKUP,
                    date=day + datetime.timedelta(days=offset),
                    start=datetime.time(9),
                    end=datetime.time(11),
                    place="矩阵现场",
                    capacity=10,
                )[0]
                for offset in (0, 1)
            )
            s.extra[name] = team
            s.extra[f"{name}_slot"] = first
            s.extra[f"{name}_slot2"] = second
        for name, slot in (
            ("dept_booking", "dept_team_slot"),
            ("street_booking", "street_team_slot"),
        ):
            s.extra[name] = services.booking_create(
                actor="authz",
                slot_id=s.extra[slot].pk,
                enterprise=s.enterprise,
                note=mark(k, name),
                people=2,
            )


def shown(world, k: int) -> dict:
    from wurao.web.tests.authz_targets import Target

    return {
        mark(k, "dept_booking"): Target({}, "dept_booking", k),
        mark(k, "street_booking"): Target({}, "street_booking", k),
    }
