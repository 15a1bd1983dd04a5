"""The bookings API: the slots an enterprise may book, booking (409 when full), its bookings,
cancelling; the slot a body names is checked against the enterprise's scope."""

import pytest
from rest_framework.test import APIClient

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.bookings.choices import BookingStatus
from wurao.bookings.models import Booking
from wurao.bookings.tests.factories import BookingFactory, ServiceTeamFactory, SlotFactory
from wurao.registry.tests.factories import EnterpriseFactory, StreetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(enterprise_user):
    client = APIClient()
    client.force_authenticate(enterprise_user)
    return client


def test_the_api_lists_bookable_slots_with_places_taken(api, slot):
    BookingFactory(slot=slot)
    rows = api.get("/api/bookings/slots/").json()["results"]
    assert [(r["id"], r["taken"], r["capacity"]) for r in rows] == [(slot.pk, 1, 2)]


def test_the_api_books_and_answers_409_when_full(api, street, slot):
    BookingFactory(slot=slot, enterprise=EnterpriseFactory(street=street))

    booked = api.post(
        "/api/bookings/", {"slot": slot.pk, "note": "消防", "people": 2}, format="json"
    )
    other = APIClient()
    other.force_authenticate(
        UserFactory(role=Role.ENTERPRISE, enterprise=EnterpriseFactory(street=street))
    )
    full = other.post("/api/bookings/", {"slot": slot.pk, "note": "消防"}, format="json")

    assert booked.status_code == 201 and booked.json()["status"] == "requested"
    assert full.status_code == 409 and "已约满" in full.json()["slot"][0]


def test_a_bad_body_names_its_fields_and_stores_nothing(api, slot):
    answer = api.post("/api/bookings/", {"slot": "x", "people": 0}, format="json")
    assert answer.status_code == 400
    assert set(answer.json()) >= {"slot", "note", "people"}
    assert not Booking.objects.exists()


def test_a_slot_of_another_street_s_team_is_not_found(api):
    foreign = SlotFactory(team=ServiceTeamFactory(department=None, street=StreetFactory()))
    answer = api.post("/api/bookings/", {"slot": foreign.pk, "note": "x"}, format="json")
    assert answer.status_code == 404
    assert not Booking.objects.exists()


def test_the_api_lists_only_the_enterprise_s_own_bookings_and_cancels_them(
    api, enterprise_user, slot
):
    own = BookingFactory(slot=slot, enterprise=enterprise_user.enterprise)
    other = BookingFactory(slot=slot)

    rows = api.get("/api/bookings/").json()["results"]
    cancelled = api.post(f"/api/bookings/{own.pk}/cancel/", {"reason": "改期"}, format="json")
    foreign = api.post(f"/api/bookings/{other.pk}/cancel/", {"reason": "x"}, format="json")

    assert [r["id"] for r in rows] == [own.pk]
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert foreign.status_code == 404
    assert Booking.objects.get(pk=other.pk).status == BookingStatus.REQUESTED


def test_only_an_enterprise_books_through_the_api(dept_admin, slot):
    client = APIClient()
    client.force_authenticate(dept_admin)
    answer = client.post("/api/bookings/", {"slot": slot.pk, "note": "x"}, format="json")
    assert answer.status_code == 403
