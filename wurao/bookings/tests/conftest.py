import datetime

import pytest
from django.utils import timezone

from wurao.bookings.tests.factories import ServiceTeamFactory, SlotFactory


@pytest.fixture
def team(department):
    return ServiceTeamFactory(department=department, name="区应急管理局安全服务队")


@pytest.fixture
def slot(team):
    return SlotFactory(team=team, capacity=2)


@pytest.fixture
def past_slot(team):
    return SlotFactory(team=team, date=timezone.localdate() - datetime.timedelta(days=1))
