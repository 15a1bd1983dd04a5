"""Writes of the bookings themselves: book, reschedule, cancel, confirm or decline, outcome.

Capacity is never exceeded: every write that takes or frees a place locks the slot's row first
(SELECT ... FOR UPDATE on PostgreSQL; SQLite runs write transactions one at a time, IMMEDIATE),
then counts the places held. Locks are always taken slot first, in the order of their ids, then
the booking, so two writers never wait on each other in a circle.

A check-up (隐患体检) is no inspection: nothing here writes an enforcement action, a visit or a
credit record, and no other capability reads a booking's findings.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wurao.accounts.policy import is_platform, require
from wurao.audit.services import audit_record
from wurao.bookings.choices import HOLDS_PLACE, OPEN, BookingStatus, ServiceKind
from wurao.bookings.models import Booking, Slot
from wurao.registry.models import Enterprise

MAX_PEOPLE = 500


def _locked_slots(*ids: int) -> dict[int, Slot]:
    slots = (
        Slot.objects.select_for_update(of=("self",))
        .select_related("team")
        .filter(pk__in=sorted(set(ids)))
        .order_by("pk")
    )
    found = {s.pk: s for s in slots}
    if len(found) != len(set(ids)):
        raise ValidationError({"slot": _("该服务时段不存在")})
    return found


def _held(slot: Slot) -> int:
    return Booking.objects.filter(slot=slot, status__in=HOLDS_PLACE).count()


def _may_book(slot: Slot, enterprise: Enterprise, actor) -> None:
    """The slot the body names must be one this enterprise may book, with a place left."""
    team = slot.team
    if not team.active or (team.street_id and team.street_id != enterprise.street_id):
        raise ValidationError({"slot": _("该服务时段不在本企业可预约的范围内")})
    if slot.started and not is_platform(actor):  # the platform may record past bookings
        raise ValidationError({"slot": _("该时段已开始或已过，不能预约，请选择其他时段")})
    if Booking.objects.filter(slot=slot, enterprise=enterprise, status__in=HOLDS_PLACE).exists():
        raise ValidationError({"slot": _("本企业已预约该时段，不能重复预约")})
    if _held(slot) >= slot.capacity:
        message = _("该时段已约满（共 %(n)s 个名额），请选择其他时段") % {"n": slot.capacity}
        raise ValidationError({"slot": ValidationError(message, code="full")})


def _check_request(note: str, people: int) -> None:
    errors = {}
    if not (note or "").strip():
        errors["note"] = _("请说明需求：希望检查或培训的内容")
    if not isinstance(people, int) or not 1 <= people <= MAX_PEOPLE:
        errors["people"] = _("参加人数须为 1 到 %(n)s 之间的整数") % {"n": MAX_PEOPLE}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def booking_create(
    *, actor, slot_id: int, enterprise: Enterprise, note: str, people: int
) -> Booking:
    """The enterprise books one place of a slot; the team confirms it later."""
    require(actor, "bookings.book", enterprise)
    _check_request(note, people)
    slot = _locked_slots(slot_id)[slot_id]
    _may_book(slot, enterprise, actor)
    booking = Booking.objects.create(
        slot=slot,
        enterprise=enterprise,
        note=note.strip(),
        people=people,
        booked_by=None if is_platform(actor) else actor,
    )
    audit_record(
        actor=actor,
        verb="bookings.book",
        obj=booking,
        payload={"slot": slot.pk, "enterprise": enterprise.pk, "kind": slot.kind, "people": people},
    )
    return booking


def _locked_booking(booking_id: int, *other_slots: int) -> tuple[Booking, dict[int, Slot]]:
    slot_id = Booking.objects.values_list("slot_id", flat=True).get(pk=booking_id)
    slots = _locked_slots(slot_id, *other_slots)
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot", "slot__team", "enterprise")
        .get(pk=booking_id)
    )
    return booking, slots


def _still_open(booking: Booking, what: str) -> None:
    if booking.status not in OPEN:
        raise ValidationError(
            _("该预约%(status)s，不能%(what)s")
            % {"status": booking.get_status_display(), "what": what}
        )
    if booking.slot.started:
        raise ValidationError(_("服务已开始或已结束，不能%(what)s") % {"what": what})


@transaction.atomic
def booking_reschedule(*, actor, booking: Booking, slot_id: int) -> Booking:
    """Moves the booking to another slot of the same team and kind, in one transaction: the
    old place is freed only if the new one is taken (never both, never neither)."""
    require(actor, "bookings.booking_change", booking)
    booking, slots = _locked_booking(booking.pk, slot_id)
    _still_open(booking, _("改约"))
    new = slots[slot_id]
    if new.pk == booking.slot_id:
        raise ValidationError({"slot": _("请选择另一个时段")})
    if new.team_id != booking.slot.team_id or new.kind != booking.slot.kind:
        raise ValidationError({"slot": _("只能改约到同一服务队伍、同一服务类别的其他时段")})
    _may_book(new, booking.enterprise, actor)
    booking.status = BookingStatus.RESCHEDULED
    booking.save(update_fields=["status"])
    moved = Booking.objects.create(
        slot=new,
        enterprise=booking.enterprise,
        note=booking.note,
        people=booking.people,
        booked_by=None if is_platform(actor) else actor,
        rescheduled_from=booking,
    )
    audit_record(
        actor=actor,
        verb="bookings.reschedule",
        obj=moved,
        payload={"from_booking": booking.pk, "from_slot": booking.slot_id, "slot": new.pk},
    )
    return moved


@transaction.atomic
def booking_cancel(*, actor, booking: Booking, reason: str) -> Booking:
    """The enterprise cancels, with a reason, up to the start of the slot."""
    require(actor, "bookings.booking_change", booking)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写取消的理由")})
    booking, _slots = _locked_booking(booking.pk)
    _still_open(booking, _("取消"))
    booking.status = BookingStatus.CANCELLED
    booking.reason = reason.strip()
    booking.decided_at = timezone.now()
    booking.save(update_fields=["status", "reason", "decided_at"])
    audit_record(
        actor=actor, verb="bookings.cancel", obj=booking, payload={"slot": booking.slot_id}
    )
    return booking


@transaction.atomic
def booking_decide(*, actor, booking: Booking, confirm: bool, reason: str = "") -> Booking:
    """The team confirms a requested booking, or declines it with a reason (which frees the place)."""
    require(actor, "bookings.team_manage", booking)
    booking, _slots = _locked_booking(booking.pk)
    if confirm:
        if booking.status != BookingStatus.REQUESTED:
            raise ValidationError(
                _("该预约%(status)s，不能确认") % {"status": booking.get_status_display()}
            )
        if booking.slot.started:
            raise ValidationError(_("服务已开始或已结束，不能确认"))
        booking.status = BookingStatus.CONFIRMED
    else:
        if not (reason or "").strip():
            raise ValidationError({"reason": _("婉拒须说明理由，企业会看到")})
        _still_open(booking, _("婉拒"))
        booking.status = BookingStatus.DECLINED
        booking.reason = reason.strip()
    booking.decided_at = timezone.now()
    booking.save(update_fields=["status", "reason", "decided_at"])
    audit_record(
        actor=actor,
        verb="bookings.confirm" if confirm else "bookings.decline",
        obj=booking,
        payload={"slot": booking.slot_id},
    )
    return booking


@transaction.atomic
def booking_outcome_record(
    *, actor, booking: Booking, attended: bool, done: str = "", advice: str = "", hazards: str = ""
) -> Booking:
    """After the service: attended or not, what was done, the advice and, for a check-up, the
    hazards found. The findings are the enterprise's to fix: they never become a penalty, an
    enforcement action, a visit or a credit record (a check-up is not an inspection)."""
    require(actor, "bookings.team_manage", booking)
    booking, _slots = _locked_booking(booking.pk)
    if booking.status not in (*OPEN, BookingStatus.ATTENDED, BookingStatus.NO_SHOW):
        raise ValidationError(
            _("该预约%(status)s，不能记录服务结果") % {"status": booking.get_status_display()}
        )
    if not booking.slot.started:
        raise ValidationError(_("服务开始后才能记录服务结果"))
    errors = {}
    if attended and not (done or "").strip():
        errors["done"] = _("请填写本次服务的内容")
    if hazards.strip() and booking.slot.kind != ServiceKind.CHECKUP:
        errors["hazards"] = _("只有隐患体检可以记录发现的隐患")
    if not attended and hazards.strip():
        errors["hazards"] = _("企业未到场，不能记录体检发现")
    if errors:
        raise ValidationError(errors)
    booking.status = BookingStatus.ATTENDED if attended else BookingStatus.NO_SHOW
    booking.outcome_done = done.strip()
    booking.outcome_advice = advice.strip()
    booking.hazards = hazards.strip()
    booking.outcome_at = timezone.now()
    booking.save(
        update_fields=["status", "outcome_done", "outcome_advice", "hazards", "outcome_at"]
    )
    # The payload says that findings were recorded, never what they are.
    audit_record(
        actor=actor,
        verb="bookings.outcome",
        obj=booking,
        payload={"attended": attended, "hazards_recorded": bool(booking.hazards)},
    )
    return booking
