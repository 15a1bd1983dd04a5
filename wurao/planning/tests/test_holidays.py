"""Public holidays and make-up workdays (调休上班): joint visits and park days never fall on a
holiday, a weekend day worked is a working day, and the coordination page says when a month's
holidays are not known yet (the State Council publishes each year's arrangement late in the year
before)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.planning import services, services_coordination, services_park_days
from wurao.planning.forms_results import next_weekday
from wurao.planning.models import Holiday, JointVisit
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, ParkFactory
from wurao.registry.workdays import PUBLISHED_YEARS, special_days, working_days, year_covered

# Plans for March 2027 and park days in May 2027 are ahead of the day these were written for.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-07")]

JAN_2026 = datetime.date(2026, 1, 1)  # 元旦 1–3 January off, Sunday 4 January worked
UNPUBLISHED = max(PUBLISHED_YEARS) + 1  # a year the installed chinese-calendar does not know


def _planned(enterprise, earliest, latest):
    department = DepartmentFactory()
    admin = UserFactory(role=Role.DEPT_ADMIN, department=department)
    return services.plan_entry_add(
        actor=admin,
        department=department,
        month=earliest,
        enterprise=enterprise,
        items=[InspectionItemFactory(department=department)],
        earliest=earliest,
        latest=latest,
        late_reason="补报：测试节假日",
    )


def test_new_years_day_is_off_and_the_make_up_sunday_is_worked():
    days = working_days(JAN_2026)

    assert datetime.date(2026, 1, 1) not in days
    assert datetime.date(2026, 1, 2) not in days
    assert datetime.date(2026, 1, 4) in days  # a Sunday, 调休上班
    assert datetime.date(2026, 1, 5) in days


def test_the_spring_festival_week_has_no_working_day():
    days = working_days(datetime.date(2026, 2, 1))

    assert not [d for d in days if datetime.date(2026, 2, 16) <= d <= datetime.date(2026, 2, 23)]
    assert datetime.date(2026, 2, 14) in days and datetime.date(2026, 2, 28) in days


def test_the_scheduler_puts_the_visit_on_the_make_up_workday_not_on_new_years_day(
    street, street_user
):
    # given an inspection whose window runs from 元旦 to the make-up Sunday
    enterprise = EnterpriseFactory(street=street)
    _planned(enterprise, datetime.date(2026, 1, 1), datetime.date(2026, 1, 4))

    # when the street schedules January
    run = services.schedule_run(actor=street_user, month=JAN_2026, time_limit=5)

    # then the visit falls on Sunday 4 January, the only working day in the window
    assert run.visits == 1
    assert JointVisit.objects.get().date == datetime.date(2026, 1, 4)


def test_moving_a_visit_onto_a_holiday_is_refused_with_the_holidays_name(street, street_user):
    # given the visit proposed on the make-up Sunday
    enterprise = EnterpriseFactory(street=street)
    _planned(enterprise, datetime.date(2026, 1, 1), datetime.date(2026, 1, 4))
    services.schedule_run(actor=street_user, month=JAN_2026, time_limit=5)
    proposal = JointVisit.objects.get()

    # when the coordinator moves it to 2 January, inside the window but a holiday
    with pytest.raises(ValidationError) as refused:
        services_coordination.joint_visit_move(
            actor=street_user, visit=proposal, day=datetime.date(2026, 1, 2)
        )

    # then it is refused, naming the holiday
    assert refused.value.message_dict["date"] == ["2026-01-02 是法定节假日（元旦）"]


def test_a_plan_whose_window_is_all_holiday_is_refused(street):
    enterprise = EnterpriseFactory(street=street)

    with pytest.raises(ValidationError) as refused:
        _planned(enterprise, datetime.date(2026, 1, 1), datetime.date(2026, 1, 2))

    assert refused.value.message_dict["latest"] == ["检查窗口内没有工作日"]


def test_a_year_the_package_lacks_counts_once_the_admin_enters_its_holidays():
    # given a year after the installed calendar's last
    assert not year_covered(UNPUBLISHED)
    may_day = datetime.date(UNPUBLISHED, 5, 1)
    weekday_may_day = may_day + datetime.timedelta(days=(7 - may_day.weekday()) % 7)  # a Monday
    assert weekday_may_day in working_days(may_day)

    # when the administrator enters the published arrangement
    Holiday.objects.create(date=weekday_may_day, name="劳动节")

    # then the year is covered and the day is off
    assert year_covered(UNPUBLISHED)
    assert weekday_may_day not in working_days(may_day)


def test_a_park_day_on_a_holiday_is_refused_and_the_form_suggests_the_next_week(
    street, street_user
):
    # given a street whose park day is Wednesday, and a Wednesday entered as a holiday
    for _ in range(2):
        ParkFactory(street=street)
    services_park_days.park_day_setting_set(actor=street_user, street=street, weekday=2)
    first = datetime.date(UNPUBLISHED, 5, 1)
    wednesday = first + datetime.timedelta(days=(2 - first.weekday()) % 7)
    Holiday.objects.create(date=wednesday, name="劳动节")

    # when the coordinator commits a park day on it
    with pytest.raises(ValidationError) as refused:
        services_park_days.park_day_commit(
            actor=street_user,
            street=street,
            day=wednesday,
            departments=[DepartmentFactory(), DepartmentFactory()],
            observers=[],
        )

    # then it is refused with the holiday's name, and the form proposes the week after
    assert refused.value.message_dict["day"] == [
        f"{wednesday} 是法定节假日（劳动节），请改在下一周"
    ]
    day_before = wednesday - datetime.timedelta(days=1)
    assert next_weekday(2, after=day_before) == wednesday + datetime.timedelta(days=7)


def test_the_coordination_page_warns_when_the_months_holidays_are_not_known(client, street_user):
    client.force_login(street_user)

    page = client.get(f"/planning/schedule/?month={UNPUBLISHED}-01").content.decode()

    assert 'id="holidays-unknown"' in page
    assert f"{UNPUBLISHED}年的放假调休安排尚未公布" in page
    # the statutory New Year's Day is known all the same (the law fixes it)
    assert "1月1日 元旦（放假）" in page


def test_a_year_not_yet_published_still_keeps_its_statutory_holidays_free():
    # given a year whose arrangement (调休) the installed calendar does not know
    assert not year_covered(UNPUBLISHED)

    # then the days the law gives off are not working days: 元旦, 劳动节 and 国庆 by the
    # calendar, 春节 and 中秋 by the lunar calendar
    off = {datetime.date(UNPUBLISHED, 1, 1), datetime.date(UNPUBLISHED, 5, 1)}
    off |= {datetime.date(UNPUBLISHED, 10, day) for day in (1, 2, 3)}
    for day in off:
        if day.weekday() < 5:
            assert day not in working_days(day)
    spring_festival = [
        d
        for d in special_days(datetime.date(UNPUBLISHED, 1, 20), datetime.date(UNPUBLISHED, 2, 28))
    ]
    assert spring_festival and {d.name for d in spring_festival} == {"春节"}
    assert all(not d.is_workday and d.date.weekday() < 5 for d in spring_festival)


def test_the_coordination_page_lists_the_months_holidays_and_make_up_days(client, street_user):
    client.force_login(street_user)

    page = client.get("/planning/schedule/?month=2026-01").content.decode()

    assert 'id="holidays-unknown"' not in page
    assert "1月1日 元旦（放假）" in page
    assert "1月4日 元旦（调休上班）" in page
