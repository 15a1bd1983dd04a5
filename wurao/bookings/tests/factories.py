import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from wurao.bookings.choices import ServiceKind, TeamKind
from wurao.bookings.models import Booking, ServiceTeam, Slot
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory


class ServiceTeamFactory(DjangoModelFactory):
    class Meta:
        model = ServiceTeam

    name = factory.Sequence(lambda n: f"安全服务队{n}")
    kind = TeamKind.OWN
    department = factory.SubFactory(DepartmentFactory)
    street = None
    contact_name = "李工"
    contact_phone = "0755-12345678"
    kinds = factory.LazyFunction(lambda: list(ServiceKind.values))


class SlotFactory(DjangoModelFactory):
    """A slot a week from today (bookable) unless told otherwise."""

    class Meta:
        model = Slot

    team = factory.SubFactory(ServiceTeamFactory)
    kind = ServiceKind.CHECKUP
    date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    start = datetime.time(9, 30)
    end = datetime.time(11, 30)
    place = "企业现场"
    capacity = 3


class BookingFactory(DjangoModelFactory):
    class Meta:
        model = Booking

    slot = factory.SubFactory(SlotFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    note = "车间用电和消防通道"
    people = 2
