"""The pages, as each role sees them: an enterprise browses, books and changes its own bookings;
a team confirms and records; the bureau reads the overview; nobody sees another's records."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.bookings.choices import BookingStatus, ServiceKind, TeamKind
from wurao.bookings.models import Booking
from wurao.bookings.tests.factories import BookingFactory, ServiceTeamFactory, SlotFactory
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, StreetFactory

pytestmark = pytest.mark.django_db


def test_the_slot_list_shows_bookable_slots_and_says_a_check_up_is_no_inspection(
    client, enterprise_user, slot, past_slot
):
    other_street = ServiceTeamFactory(department=None, street=StreetFactory(), name="外街道驻点队")
    SlotFactory(team=other_street)
    client.force_login(enterprise_user)

    page = client.get(reverse("bookings:slot-list")).content.decode()

    assert f'data-slot="{slot.pk}"' in page
    assert f'data-slot="{past_slot.pk}"' not in page
    assert "外街道驻点队" not in page
    assert "不作为处罚或信用扣分的依据" in page


def test_the_slot_list_filters_by_kind(client, enterprise_user, team, slot):
    training = SlotFactory(team=team, kind=ServiceKind.TRAINING)
    client.force_login(enterprise_user)

    page = client.get(reverse("bookings:slot-list"), {"kind": "training"}).content.decode()

    assert f'data-slot="{training.pk}"' in page and f'data-slot="{slot.pk}"' not in page


def test_an_enterprise_books_on_the_page_and_finds_it_in_its_bookings(
    client, enterprise_user, slot
):
    client.force_login(enterprise_user)
    form = client.get(reverse("bookings:book", args=[slot.pk])).content.decode()
    assert "体检发现的问题仅供企业自行整改" in form

    answer = client.post(
        reverse("bookings:book", args=[slot.pk]), {"note": "检查仓库消防", "people": "3"}
    )

    booking = Booking.objects.get()
    assert answer.status_code == 302 and booking.people == 3
    mine = client.get(reverse("bookings:mine")).content.decode()
    assert f'data-booking="{booking.pk}"' in mine


def test_a_bad_booking_form_names_the_field_and_stores_nothing(client, enterprise_user, slot):
    client.force_login(enterprise_user)
    answer = client.post(reverse("bookings:book", args=[slot.pk]), {"note": "", "people": "abc"})
    page = answer.content.decode()
    assert 'data-field="note"' in page and 'data-field="people"' in page
    assert not Booking.objects.exists()


def test_an_enterprise_sees_only_its_own_bookings(client, enterprise_user, street, slot):
    other = BookingFactory(slot=slot, enterprise=EnterpriseFactory(street=street))
    client.force_login(enterprise_user)

    assert client.get(reverse("bookings:booking-detail", args=[other.pk])).status_code == 404
    answer = client.post(reverse("bookings:booking-cancel", args=[other.pk]), {"reason": "x"})
    assert answer.status_code == 404
    assert Booking.objects.get(pk=other.pk).status == BookingStatus.REQUESTED


def test_the_enterprise_reschedules_and_cancels_on_the_booking_page(
    client, enterprise_user, team, slot
):
    booking = BookingFactory(slot=slot, enterprise=enterprise_user.enterprise)
    later = SlotFactory(team=team, date=slot.date + datetime.timedelta(days=7))
    client.force_login(enterprise_user)

    client.post(reverse("bookings:booking-reschedule", args=[booking.pk]), {"slot": later.pk})
    moved = Booking.objects.get(slot=later)
    client.post(reverse("bookings:booking-cancel", args=[moved.pk]), {"reason": "生产任务调整"})

    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.RESCHEDULED
    assert Booking.objects.get(pk=moved.pk).status == BookingStatus.CANCELLED


def test_a_department_sees_its_teams_only_and_confirms_on_the_booking_page(
    client, dept_admin, team, slot
):
    foreign = ServiceTeamFactory(department=DepartmentFactory(), name="外部门服务队")
    booking = BookingFactory(slot=slot)
    client.force_login(dept_admin)

    teams = client.get(reverse("bookings:team-list")).content.decode()
    assert team.name in teams and "外部门服务队" not in teams
    assert client.get(reverse("bookings:team-detail", args=[foreign.pk])).status_code == 404
    detail = client.get(reverse("bookings:team-detail", args=[team.pk])).content.decode()
    assert f'data-slot="{slot.pk}"' in detail and "剩 1" in detail

    client.post(reverse("bookings:booking-decide", args=[booking.pk]), {"decision": "confirm"})
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_a_street_coordinator_sees_its_street_s_team_and_not_a_department_s(
    client, street_user, team
):
    own = ServiceTeamFactory(
        department=None, street=street_user.street, kind=TeamKind.CONTRACTED, provider="某公司"
    )
    client.force_login(street_user)

    page = client.get(reverse("bookings:team-list")).content.decode()

    assert own.name in page and team.name not in page
    assert client.get(reverse("bookings:team-detail", args=[team.pk])).status_code == 404


def test_the_team_records_a_check_up_s_outcome_and_the_enterprise_reads_it(
    client, dept_admin, enterprise_user, past_slot
):
    booking = BookingFactory(slot=past_slot, enterprise=enterprise_user.enterprise)
    client.force_login(dept_admin)
    form = client.get(reverse("bookings:booking-outcome", args=[booking.pk])).content.decode()
    assert "不作为处罚或信用扣分的依据" in form

    client.post(
        reverse("bookings:booking-outcome", args=[booking.pk]),
        {
            "attended": "1",
            "done": "隐患体检",
            "advice": "加装应急照明",
            "hazards": "安全出口指示灯损坏",
        },
    )

    client.force_login(enterprise_user)
    page = client.get(reverse("bookings:booking-detail", args=[booking.pk])).content.decode()
    assert "安全出口指示灯损坏" in page and "不作为处罚或信用扣分的依据" in page


def test_a_department_admin_publishes_weekly_slots(client, dept_admin, team):
    client.force_login(dept_admin)
    day = timezone.localdate() + datetime.timedelta(days=2)
    client.post(
        reverse("bookings:slot-new", args=[team.pk]),
        {
            "kind": "training",
            "date": day.isoformat(),
            "start": "14:00",
            "end": "16:00",
            "place": "三楼会议室",
            "capacity": "30",
            "repeat_weeks": "3",
        },
    )
    assert team.slots.count() == 3


def test_the_bureau_reads_the_overview_and_others_may_not(
    client, justice_user, dept_admin, enterprise_user, past_slot
):
    BookingFactory(slot=past_slot, status=BookingStatus.ATTENDED)
    BookingFactory(slot=past_slot, status=BookingStatus.NO_SHOW)
    client.force_login(justice_user)
    page = client.get(reverse("bookings:overview")).content.decode()
    assert "隐患体检" in page and "50%" in page

    for user in (dept_admin, enterprise_user):
        client.force_login(user)
        assert client.get(reverse("bookings:overview")).status_code == 403


def test_an_inspector_has_no_team_pages(client, department):
    inspector = UserFactory(role=Role.INSPECTOR, department=department)
    client.force_login(inspector)
    assert client.get(reverse("bookings:team-list")).status_code == 403
