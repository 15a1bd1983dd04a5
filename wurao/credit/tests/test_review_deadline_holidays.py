"""A review deadline is counted in working days of the one calendar: 国庆 does not count, the
make-up Saturday after it does, and a day the admin enters as a holiday is skipped too."""

import datetime

import pytest

from wurao.credit.choices import RecordSource
from wurao.credit.services import objection_file
from wurao.enforcement.choices import ActionKind
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.planning.models import Holiday
from wurao.registry.workdays import working_days_after

pytestmark = pytest.mark.django_db

EVE_OF_NATIONAL_DAY = datetime.date(2026, 9, 30)  # a Wednesday; 1–7 October are off


def test_an_objection_filed_before_national_day_is_due_fifteen_working_days_after_the_holiday(
    enterprise_user, enterprise, department
):
    # given a penalty the enterprise objects to on the eve of 国庆
    penalty = EnforcementActionFactory(
        enterprise=enterprise, department=department, kind=ActionKind.PENALTY
    )

    # when the objection is filed that day
    objection = objection_file(
        actor=enterprise_user,
        enterprise=enterprise,
        record_source=RecordSource.ACTION,
        record_id=penalty.pk,
        reason="处罚决定已被复议撤销",
        on=EVE_OF_NATIONAL_DAY,
    )

    # then the seven days of 国庆 do not count and Saturday 10 October (调休上班) does: the
    # department has until 27 October, not 21 October as Monday to Friday would say
    assert objection.due_on == datetime.date(2026, 10, 27)


def test_a_day_entered_as_a_holiday_in_the_admin_moves_the_deadline():
    # given a Friday the admin's 节假日 table marks as a local day off
    Holiday.objects.create(date=datetime.date(2026, 12, 4), name="区级调整")

    # then a deadline of five working days from Monday 30 November skips it
    assert working_days_after(datetime.date(2026, 11, 30), 5) == datetime.date(2026, 12, 8)
