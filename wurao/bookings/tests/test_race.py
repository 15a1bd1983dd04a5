"""Capacity under concurrent writes, for real: threads with their own connections.

PostgreSQL only. Its writers interleave, so the slot's row lock (SELECT ... FOR UPDATE) is what
keeps the count honest, and a test can show it. SQLite has no row locks and runs one write
transaction at a time (IMMEDIATE): threads would only queue behind its file lock, so the
same test there proves nothing about the lock and costs seconds of busy waiting.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.bookings import services
from wurao.bookings.choices import BookingStatus
from wurao.bookings.models import Booking
from wurao.bookings.tests.factories import SlotFactory
from wurao.registry.tests.factories import EnterpriseFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and interleaved writers: PostgreSQL"
    ),
]


def _together(calls) -> list:
    """Runs the calls at once, each in its own thread and connection; their answers in order."""
    start = threading.Barrier(len(calls))
    answers: list = [None] * len(calls)

    def run(i, call):
        try:
            start.wait()
            answers[i] = call()
        except (ValidationError, Exception) as error:  # noqa: BLE001  the answer is the error
            answers[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return answers


def _users(street, n):
    return [
        UserFactory(role=Role.ENTERPRISE, enterprise=EnterpriseFactory(street=street))
        for _ in range(n)
    ]


def _booking(user, slot):
    return lambda: services.booking_create(
        actor=user, slot_id=slot.pk, enterprise=user.enterprise, note="用电检查", people=1
    )


def test_enterprises_racing_for_the_last_places_get_exactly_the_capacity(street, department):
    # Given a slot with 3 places and 8 enterprises pressing "book" at the same moment
    slot = SlotFactory(team__department=department, capacity=3)
    users = _users(street, 8)

    answers = _together([_booking(u, slot) for u in users])

    # Then exactly 3 succeed and the 5 others are told the slot is full
    booked = [a for a in answers if isinstance(a, Booking)]
    refused = [a for a in answers if isinstance(a, ValidationError)]
    assert len(booked) == 3 and len(refused) == 5
    assert all("已约满" in r.message_dict["slot"][0] for r in refused)
    assert Booking.objects.filter(slot=slot).count() == 3


def test_a_cancel_racing_bookings_frees_exactly_one_place(street, department):
    # Given a full slot of 2 places
    slot = SlotFactory(team__department=department, capacity=2)
    holders = _users(street, 2)
    first = services.booking_create(
        actor=holders[0], slot_id=slot.pk, enterprise=holders[0].enterprise, note="x", people=1
    )
    _booking(holders[1], slot)()
    newcomers = _users(street, 5)

    # When one holder cancels while five enterprises try to book
    cancel = lambda: services.booking_cancel(actor=holders[0], booking=first, reason="改期")  # noqa: E731
    answers = _together([cancel, *[_booking(u, slot) for u in newcomers]])

    # Then never more than the capacity hold a place, and at most the freed one was taken
    assert isinstance(answers[0], Booking) and answers[0].status == BookingStatus.CANCELLED
    held = Booking.objects.filter(slot=slot, status__in=["requested", "confirmed"]).count()
    booked = sum(isinstance(a, Booking) for a in answers[1:])
    assert held <= 2 and booked <= 1
    assert held == 1 + booked


def test_two_tabs_of_one_enterprise_booking_at_once_get_one_place(street, department):
    slot = SlotFactory(team__department=department, capacity=5)
    (user,) = _users(street, 1)

    answers = _together([_booking(user, slot), _booking(user, slot), _booking(user, slot)])

    assert sum(isinstance(a, Booking) for a in answers) == 1
    assert Booking.objects.filter(slot=slot, enterprise=user.enterprise).count() == 1
