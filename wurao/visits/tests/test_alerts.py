"""Alerts the justice bureau sees: high frequency, repeat items, non-enforcement share."""

import datetime

import pytest

from wurao.accounts.scope import Scope
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.visits.alerts import AlertKind
from wurao.visits.selectors import visit_alerts_list
from wurao.visits.tests.factories import NonEnforcementVisitFactory, VisitFactory

pytestmark = pytest.mark.django_db
ALL = Scope(sees_all=True)


def test_four_visits_in_thirty_days_raise_a_high_frequency_alert(enterprise):
    # given four visits within 30 days and one long before
    days = [datetime.date(2020, 3, d) for d in (2, 9, 16, 23)]
    visits = [VisitFactory(enterprise=enterprise, date=d) for d in days]
    VisitFactory(enterprise=enterprise, date=datetime.date(2020, 1, 2))

    alerts = visit_alerts_list(
        scope=ALL,
        date_from=datetime.date(2020, 1, 1),
        date_to=datetime.date(2020, 12, 31),
        kind=AlertKind.HIGH_FREQUENCY,
    )

    assert len(alerts) == 1
    assert alerts[0].alert.count == 4
    assert set(alerts[0].alert.visit_ids) == {v.pk for v in visits}
    assert alerts[0].credit_code == enterprise.credit_code


def test_the_same_item_twice_within_the_window_is_a_repeat(enterprise):
    item = InspectionItemFactory()
    first = VisitFactory(enterprise=enterprise, date=datetime.date(2020, 3, 2), items=[item])
    second = VisitFactory(enterprise=enterprise, date=datetime.date(2020, 4, 2), items=[item])

    alerts = visit_alerts_list(
        scope=ALL,
        date_from=datetime.date(2020, 1, 1),
        date_to=datetime.date(2020, 12, 31),
        kind=AlertKind.REPEAT_ITEM,
    )

    assert [(a.alert.visit_ids, a.item_name) for a in alerts] == [
        ((first.pk, second.pk), item.name)
    ]


def test_more_than_forty_percent_non_enforcement_is_flagged(enterprise):
    for month in (1, 3, 5):
        VisitFactory(enterprise=enterprise, date=datetime.date(2020, month, 10))
    for month in (2, 4, 6):
        NonEnforcementVisitFactory(enterprise=enterprise, date=datetime.date(2020, month, 10))

    alerts = visit_alerts_list(
        scope=ALL,
        date_from=datetime.date(2020, 1, 1),
        date_to=datetime.date(2020, 12, 31),
        kind=AlertKind.NON_ENFORCEMENT_SHARE,
    )

    assert [a.alert.share for a in alerts] == [0.5]
