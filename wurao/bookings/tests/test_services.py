"""The booking rules: capacity, one place per enterprise, the cutoff, reschedule in one piece,
the team's decision and outcome, and a check-up that never becomes an inspection."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wurao.audit.models import AuditEvent
from wurao.bookings import services, services_teams
from wurao.bookings.choices import BookingStatus, ServiceKind, TeamKind
from wurao.bookings.models import Booking
from wurao.bookings.tests.factories import BookingFactory, ServiceTeamFactory, SlotFactory
from wurao.credit.models import EnterpriseGrade, GradeChange, MonitoringAlert, PositiveRecord
from wurao.enforcement.models import EnforcementAction
from wurao.registry.tests.factories import EnterpriseFactory, StreetFactory
from wurao.visits.models import Visit

pytestmark = pytest.mark.django_db


def _book(user, slot, **extra):
    return services.booking_create(
        actor=user,
        slot_id=slot.pk,
        enterprise=user.enterprise,
        note=extra.get("note", "消防通道和用电"),
        people=extra.get("people", 2),
    )


def _enterprise_user(street):
    from wurao.accounts.choices import Role
    from wurao.accounts.tests.factories import UserFactory

    return UserFactory(role=Role.ENTERPRISE, enterprise=EnterpriseFactory(street=street))


def test_an_enterprise_books_a_slot_and_the_booking_is_audited(enterprise_user, slot):
    booking = _book(enterprise_user, slot)

    assert booking.status == BookingStatus.REQUESTED
    assert AuditEvent.objects.filter(verb="bookings.book", object_id=str(booking.pk)).exists()


def test_a_full_slot_refuses_the_next_enterprise_with_a_clear_message(street, slot):
    _book(_enterprise_user(street), slot)
    _book(_enterprise_user(street), slot)

    with pytest.raises(ValidationError) as refused:
        _book(_enterprise_user(street), slot)

    assert "已约满" in refused.value.message_dict["slot"][0]
    assert Booking.objects.filter(slot=slot).count() == 2


def test_an_enterprise_cannot_book_the_same_slot_twice(enterprise_user, slot):
    _book(enterprise_user, slot)

    with pytest.raises(ValidationError) as refused:
        _book(enterprise_user, slot)

    assert "不能重复预约" in refused.value.message_dict["slot"][0]


def test_after_cancelling_the_place_is_free_and_the_enterprise_may_book_again(
    enterprise_user, street, slot
):
    first = _book(enterprise_user, slot)
    _book(_enterprise_user(street), slot)
    services.booking_cancel(actor=enterprise_user, booking=first, reason="人员出差")

    again = _book(enterprise_user, slot)

    assert again.status == BookingStatus.REQUESTED


def test_a_slot_in_the_past_cannot_be_booked(enterprise_user, past_slot):
    with pytest.raises(ValidationError) as refused:
        _book(enterprise_user, past_slot)
    assert "已开始或已过" in refused.value.message_dict["slot"][0]


def test_a_booking_needs_a_note_and_a_sensible_number_of_people(enterprise_user, slot):
    with pytest.raises(ValidationError) as refused:
        _book(enterprise_user, slot, note=" ", people=0)
    assert set(refused.value.message_dict) == {"note", "people"}
    assert not Booking.objects.exists()


def test_another_street_s_contracted_team_is_out_of_reach(enterprise_user):
    other = ServiceTeamFactory(
        department=None, street=StreetFactory(), kind=TeamKind.CONTRACTED, provider="某安全公司"
    )
    with pytest.raises(ValidationError) as refused:
        _book(enterprise_user, SlotFactory(team=other))
    assert "不在本企业可预约的范围" in refused.value.message_dict["slot"][0]


def test_reschedule_moves_the_place_to_another_slot_of_the_same_team_and_kind(
    enterprise_user, team, slot
):
    booking = _book(enterprise_user, slot)
    later = SlotFactory(team=team, date=slot.date + datetime.timedelta(days=7))

    moved = services.booking_reschedule(actor=enterprise_user, booking=booking, slot_id=later.pk)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.RESCHEDULED
    assert moved.slot == later and moved.rescheduled_from == booking
    holding = Booking.objects.filter(enterprise=enterprise_user.enterprise, status="requested")
    assert list(holding) == [moved]


def test_reschedule_into_a_full_slot_keeps_the_old_booking_and_adds_nothing(
    enterprise_user, street, team, slot
):
    booking = _book(enterprise_user, slot)
    full = SlotFactory(team=team, capacity=1, date=slot.date + datetime.timedelta(days=1))
    _book(_enterprise_user(street), full)

    with pytest.raises(ValidationError):
        services.booking_reschedule(actor=enterprise_user, booking=booking, slot_id=full.pk)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED
    assert not Booking.objects.filter(slot=full, enterprise=enterprise_user.enterprise).exists()


def test_reschedule_to_another_kind_or_team_is_refused(enterprise_user, team, slot):
    booking = _book(enterprise_user, slot)
    training = SlotFactory(team=team, kind=ServiceKind.TRAINING)
    elsewhere = SlotFactory(kind=ServiceKind.CHECKUP)

    for target in (training, elsewhere):
        with pytest.raises(ValidationError) as refused:
            services.booking_reschedule(actor=enterprise_user, booking=booking, slot_id=target.pk)
        assert "同一服务队伍、同一服务类别" in refused.value.message_dict["slot"][0]


def test_cancel_needs_a_reason_and_is_refused_once_the_slot_started(enterprise_user, past_slot):
    booking = BookingFactory(slot=past_slot, enterprise=enterprise_user.enterprise)

    with pytest.raises(ValidationError) as no_reason:
        services.booking_cancel(actor=enterprise_user, booking=booking, reason="")
    with pytest.raises(ValidationError) as too_late:
        services.booking_cancel(actor=enterprise_user, booking=booking, reason="临时有事")

    assert "reason" in no_reason.value.message_dict
    assert "已开始或已结束" in too_late.value.messages[0]
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_another_enterprise_cannot_cancel_someone_else_s_booking(street, enterprise_user, slot):
    booking = _book(enterprise_user, slot)
    with pytest.raises(PermissionDenied):
        services.booking_cancel(actor=_enterprise_user(street), booking=booking, reason="x")


def test_the_team_confirms_or_declines_with_a_reason_which_frees_the_place(
    dept_admin, street, enterprise_user, slot
):
    first = _book(enterprise_user, slot)
    second = _book(_enterprise_user(street), slot)

    services.booking_decide(actor=dept_admin, booking=first, confirm=True)
    with pytest.raises(ValidationError) as no_reason:
        services.booking_decide(actor=dept_admin, booking=second, confirm=False)
    services.booking_decide(actor=dept_admin, booking=second, confirm=False, reason="当天人手不足")

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == BookingStatus.CONFIRMED
    assert second.status == BookingStatus.DECLINED and second.reason == "当天人手不足"
    assert "reason" in no_reason.value.message_dict
    _book(_enterprise_user(street), slot)  # the declined place is free again


def test_another_department_cannot_decide_on_a_team_s_booking(enterprise_user, slot):
    from wurao.accounts.choices import Role
    from wurao.accounts.tests.factories import UserFactory

    booking = _book(enterprise_user, slot)
    stranger = UserFactory(role=Role.DEPT_ADMIN, department=ServiceTeamFactory().department)
    with pytest.raises(PermissionDenied):
        services.booking_decide(actor=stranger, booking=booking, confirm=True)


def test_the_outcome_is_recorded_only_after_the_service_started(
    dept_admin, enterprise_user, slot, past_slot
):
    upcoming = _book(enterprise_user, slot)
    with pytest.raises(ValidationError):
        services.booking_outcome_record(actor=dept_admin, booking=upcoming, attended=True, done="x")

    held = BookingFactory(slot=past_slot, enterprise=enterprise_user.enterprise)
    with pytest.raises(ValidationError) as no_content:
        services.booking_outcome_record(actor=dept_admin, booking=held, attended=True)
    services.booking_outcome_record(
        actor=dept_admin, booking=held, attended=True, done="检查配电房", advice="更换老化线路"
    )

    held.refresh_from_db()
    assert "done" in no_content.value.message_dict
    assert held.status == BookingStatus.ATTENDED and held.outcome_advice == "更换老化线路"


def test_a_no_show_is_recorded_as_such(dept_admin, enterprise_user, past_slot):
    held = BookingFactory(slot=past_slot, enterprise=enterprise_user.enterprise)
    services.booking_outcome_record(actor=dept_admin, booking=held, attended=False)
    held.refresh_from_db()
    assert held.status == BookingStatus.NO_SHOW


def test_a_check_up_s_hazards_never_become_an_action_a_visit_or_a_credit_record(
    dept_admin, enterprise_user, past_slot
):
    # Given a check-up that took place
    held = BookingFactory(slot=past_slot, enterprise=enterprise_user.enterprise)
    models = (
        EnforcementAction,
        Visit,
        EnterpriseGrade,
        GradeChange,
        MonitoringAlert,
        PositiveRecord,
    )
    before = {m: m.objects.count() for m in models}

    # When the team records the hazards it found
    services.booking_outcome_record(
        actor=dept_admin,
        booking=held,
        attended=True,
        done="全面隐患体检",
        hazards="1. 二楼消防通道堆放杂物\n2. 配电箱未上锁",
        advice="一周内清理通道",
    )

    # Then nothing an inspection would leave exists, and the audit keeps no finding
    assert {m: m.objects.count() for m in models} == before
    event = AuditEvent.objects.get(verb="bookings.outcome", object_id=str(held.pk))
    assert event.payload == {"attended": True, "hazards_recorded": True}
    assert "消防通道" not in str(event.payload)


def test_hazards_are_only_for_a_check_up(dept_admin, enterprise_user, team):
    training = SlotFactory(
        team=team, kind=ServiceKind.TRAINING, date=timezone.localdate() - datetime.timedelta(days=2)
    )
    held = BookingFactory(slot=training, enterprise=enterprise_user.enterprise)
    with pytest.raises(ValidationError) as refused:
        services.booking_outcome_record(
            actor=dept_admin, booking=held, attended=True, done="培训", hazards="x"
        )
    assert "hazards" in refused.value.message_dict


def test_slots_repeat_weekly_and_a_team_offers_only_its_kinds(dept_admin, team):
    team.kinds = [ServiceKind.TRAINING]
    team.save()
    day = timezone.localdate() + datetime.timedelta(days=3)
    slots = services_teams.slot_publish(
        actor=dept_admin,
        team=team,
        kind=ServiceKind.TRAINING,
        date=day,
        start=datetime.time(14),
        end=datetime.time(16),
        place="区应急管理局三楼会议室",
        capacity=20,
        repeat_weeks=4,
    )
    assert [s.date for s in slots] == [day + datetime.timedelta(weeks=w) for w in range(4)]

    with pytest.raises(ValidationError) as refused:
        services_teams.slot_publish(
            actor=dept_admin,
            team=team,
            kind=ServiceKind.CHECKUP,
            date=day - datetime.timedelta(days=10),
            start=datetime.time(16),
            end=datetime.time(14),
            place="",
            capacity=0,
        )
    assert set(refused.value.message_dict) == {"kind", "end", "place", "capacity"}


def test_a_street_coordinator_runs_its_street_s_contracted_team(street_user, dept_admin):
    team = services_teams.team_create(
        actor=street_user,
        name="福城街道驻点安全服务队",
        kind=TeamKind.CONTRACTED,
        provider="深圳市某安全技术服务公司",
        contact_name="王工",
        contact_phone="13800000000",
        kinds=[ServiceKind.CHECKUP, ServiceKind.DRILL],
    )
    assert team.street == street_user.street and team.department is None

    with pytest.raises(PermissionDenied):
        services_teams.team_update(actor=dept_admin, team=team, name="改名")
