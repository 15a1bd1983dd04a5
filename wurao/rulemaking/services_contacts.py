"""Writes of the contact-point enterprises (涉企执法联系点, 调研报告 三.五): the justice bureau
designates enterprises per street for a term and logs their feedback and its follow-up."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from wurao.accounts.policy import require
from wurao.audit.services import audit_record
from wurao.rulemaking.choices import FeedbackChannel
from wurao.rulemaking.models import ContactPoint, Feedback


@transaction.atomic
def contact_point_designate(
    *,
    actor: Any,
    enterprise,
    term_from: datetime.date,
    term_to: datetime.date,
    note: str = "",
) -> ContactPoint:
    require(actor, "rulemaking.contact_point_designate")
    errors = {}
    if term_to <= term_from:
        errors["term_to"] = "任期结束须晚于任期开始"
    overlapping = ContactPoint.objects.filter(
        enterprise=enterprise, term_from__lte=term_to, term_to__gte=term_from
    )
    if overlapping.exists():
        errors["enterprise"] = "该企业在此期间已是联系点"
    if errors:
        raise ValidationError(errors)
    point = ContactPoint.objects.create(
        enterprise=enterprise,
        street_id=enterprise.street_id,
        term_from=term_from,
        term_to=term_to,
        note=note.strip(),
    )
    audit_record(
        actor=actor,
        verb="rulemaking.contact_point_designate",
        obj=point,
        payload={"enterprise": enterprise.pk, "street": point.street_id},
    )
    return point


@transaction.atomic
def feedback_log(
    *,
    actor: Any,
    contact_point: ContactPoint,
    received_on: datetime.date,
    channel: str,
    topic: str,
    text: str,
    department=None,
) -> Feedback:
    require(actor, "rulemaking.contact_feedback_log", contact_point)
    errors = {}
    if channel not in FeedbackChannel.values:
        errors["channel"] = "请选择反映渠道"
    if not topic.strip():
        errors["topic"] = "请填写主题"
    if not text.strip():
        errors["text"] = "请填写反映内容"
    if errors:
        raise ValidationError(errors)
    feedback = Feedback.objects.create(
        contact_point=contact_point,
        received_on=received_on,
        channel=channel,
        topic=topic.strip(),
        text=text.strip(),
        department=department,
    )
    audit_record(
        actor=actor,
        verb="rulemaking.feedback_log",
        obj=feedback,
        payload={"contact_point": contact_point.pk, "department": feedback.department_id},
    )
    return feedback


@transaction.atomic
def feedback_follow_up(
    *,
    actor: Any,
    feedback: Feedback,
    follow_up_by: str,
    follow_up: str,
    closed_on: datetime.date | None = None,
) -> Feedback:
    require(actor, "rulemaking.contact_feedback_log", feedback.contact_point)
    errors = {}
    if not follow_up_by.strip():
        errors["follow_up_by"] = "请填写跟进人（部门或姓名）"
    if not follow_up.strip():
        errors["follow_up"] = "请写明做了什么"
    if closed_on and closed_on < feedback.received_on:
        errors["closed_on"] = "办结日期不能早于反映日期"
    if errors:
        raise ValidationError(errors)
    feedback.follow_up_by = follow_up_by.strip()
    feedback.follow_up = follow_up.strip()
    feedback.closed_on = closed_on
    feedback.save(update_fields=["follow_up_by", "follow_up", "closed_on"])
    audit_record(
        actor=actor,
        verb="rulemaking.feedback_follow_up",
        obj=feedback,
        payload={"closed": closed_on is not None},
    )
    return feedback
