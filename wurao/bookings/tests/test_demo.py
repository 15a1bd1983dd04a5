"""The demo's bookings, built through the services on a small registry: every state is there,
and the key enterprise has a check-up to come and a training it attended."""

import pytest

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.bookings.choices import BookingStatus, ServiceKind
from wurao.bookings.models import Booking
from wurao.demo.portal_bookings import demo_bookings_build
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, StreetFactory

pytestmark = pytest.mark.django_db


def test_the_demo_builds_teams_slots_and_bookings_in_every_state():
    fucheng = StreetFactory(name="福城街道")
    DepartmentFactory(code="YJGL", name="区应急管理局")
    DepartmentFactory(code="SZ-SCJG", name="市市场监督管理局龙华监管局")
    EnterpriseFactory.create_batch(25, street=fucheng)
    key = UserFactory(
        username="qiye", role=Role.ENTERPRISE, enterprise=EnterpriseFactory(street=fucheng)
    )

    counts = demo_bookings_build(actor="demo", seed=20201)

    assert counts["service_teams"] == 3 and counts["service_bookings"] == Booking.objects.count()
    assert set(Booking.objects.values_list("status", flat=True)) == set(BookingStatus.values)
    own = Booking.objects.filter(enterprise=key.enterprise)
    checkup = own.get(slot__kind=ServiceKind.CHECKUP)
    training = own.get(slot__kind=ServiceKind.TRAINING)
    assert not checkup.slot.started and checkup.status == BookingStatus.CONFIRMED
    assert training.status == BookingStatus.ATTENDED and training.outcome_advice
    assert AuditEvent.objects.filter(verb="bookings.book").count() == counts["service_bookings"] - (
        Booking.objects.filter(rescheduled_from__isnull=False).count()
    )
