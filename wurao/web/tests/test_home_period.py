"""The landing page opens on the latest year with the user's records up to today, and says so."""

import datetime

import pytest
from django.utils import timezone

from wurao.enforcement.tests.factories import EnforcementActionFactory

pytestmark = pytest.mark.django_db


def test_department_landing_opens_on_the_latest_year_up_to_today_not_one_dated_ahead(
    client, dept_admin, department
):
    # given two inspections in 2020 and one already entered for a day next year
    next_year = timezone.localdate().year + 1
    EnforcementActionFactory.create_batch(2, department=department, date=datetime.date(2020, 6, 1))
    EnforcementActionFactory(
        department=department, date=datetime.date(next_year, 1, 15), enterprise__name="来年企业"
    )
    client.force_login(dept_admin)

    # when the department opens its landing page
    page = client.get("/").content.decode()

    # then it counts 2020's two actions, says that 2020 is the latest year with records up to
    # today, and lists no record dated ahead among the recent ones
    assert "本部门 2020 年执法行为" in page
    assert 'display-value">2<' in page
    assert "截至今天有执法记录的最近年度" in page
    assert "?year=2020" in page
    assert "来年企业" not in page
    assert f"{next_year} 年执法行为" not in page


def test_landing_without_records_opens_on_this_year(client, dept_admin):
    client.force_login(dept_admin)

    page = client.get("/").content.decode()

    assert f"本部门 {timezone.localdate().year} 年执法行为" in page
