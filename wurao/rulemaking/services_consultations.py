"""Writes of consultations (征求意见): a department's draft, its comment period, the comments
of enterprises and associations, the department's public answer to each, hearings and the
decision.

《优化营商环境条例》第六十二条: rules that concern market entities are made hearing their views,
with a comment period generally of no less than 30 days; the study (三.五) asks that every
comment be answered publicly, adopted or not and why."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wurao.accounts.policy import require
from wurao.audit.services import audit_record
from wurao.rulemaking.choices import AnswerKind, CommenterKind, ConsultationStatus
from wurao.rulemaking.models import Comment, Consultation, Meeting

EDITABLE = (ConsultationStatus.DRAFT,)
LIVE = (ConsultationStatus.OPEN, ConsultationStatus.CLOSED)


def _person(actor):
    return None if isinstance(actor, str) else actor


def _moment(day) -> datetime.datetime:
    now = timezone.localtime()
    if day is None or day == now.date():
        return now
    return now.replace(year=day.year, month=day.month, day=day.day)


def consultation_accepts_comments(consultation: Consultation, *, today=None) -> bool:
    today = today or timezone.localdate()
    return (
        consultation.status == ConsultationStatus.OPEN
        and consultation.starts_on <= today <= consultation.ends_on
    )


def _check_dates(starts_on, ends_on, effective_on) -> None:
    errors = {}
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "截止日期不能早于开始日期"
    if effective_on and ends_on and effective_on <= ends_on:
        errors["effective_on"] = "拟施行日期须在征求意见截止之后"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def consultation_save(
    *,
    actor: Any,
    department,
    title: str,
    text: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    effective_on: datetime.date | None = None,
    document=None,
    consultation: Consultation | None = None,
) -> Consultation:
    """Create a draft, or edit one still a draft, for the actor's own department."""
    if consultation is None:
        consultation = Consultation(department=department)
    elif consultation.status not in EDITABLE:
        raise ValidationError("已发布的征求意见稿不能修改；如需修改请撤回后重新起草")
    require(actor, "rulemaking.consultation_manage", consultation)
    _check_dates(starts_on, ends_on, effective_on)
    consultation.title = title.strip()
    consultation.text = text.strip()
    consultation.starts_on = starts_on
    consultation.ends_on = ends_on
    consultation.effective_on = effective_on
    consultation.document = document
    created = consultation.pk is None
    consultation.save()
    audit_record(
        actor=actor,
        verb="rulemaking.consultation_create" if created else "rulemaking.consultation_edit",
        obj=consultation,
        payload={"department": consultation.department_id, "ends_on": str(ends_on)},
    )
    return consultation


def _refuse_transition(c: Consultation, action: str, today, unanswered: int) -> str:
    if action == "publish":
        return "" if c.status == ConsultationStatus.DRAFT else "只有草稿可以发布"
    if action == "withdraw":
        ok = c.status in (ConsultationStatus.DRAFT, *LIVE)
        return "" if ok else "该征求意见已有结果，不能撤回"
    if c.status not in LIVE:
        return "只有已发布的征求意见可以结束或通过"
    if today <= c.ends_on:
        return f"征求意见期至 {c.ends_on:%Y-%m-%d} 截止，截止后才能{'结束' if action == 'close' else '通过'}"
    if action == "adopt" and unanswered:
        return f"还有 {unanswered} 条意见未答复，须逐条答复后才能通过"
    if action == "close" and c.status != ConsultationStatus.OPEN:
        return "意见征集已经结束"
    return ""


TRANSITIONS = {
    "publish": ConsultationStatus.OPEN,
    "close": ConsultationStatus.CLOSED,
    "adopt": ConsultationStatus.ADOPTED,
    "withdraw": ConsultationStatus.WITHDRAWN,
}


@transaction.atomic
def consultation_transition(
    *, actor: Any, consultation: Consultation, action: str, note: str = "", today=None
) -> Consultation:
    """publish (draft → open), close (after the period), adopt (after the period, every
    comment answered) or withdraw."""
    require(actor, "rulemaking.consultation_manage", consultation)
    if action not in TRANSITIONS:
        raise ValidationError({"action": "未知的操作"})
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    today = today or timezone.localdate()
    unanswered = consultation.comments.filter(answered_at=None).count()
    if refusal := _refuse_transition(consultation, action, today, unanswered):
        raise ValidationError(refusal)
    before = consultation.status
    consultation.status = TRANSITIONS[action]
    if action in ("adopt", "withdraw"):
        consultation.decided_at = timezone.now()
        consultation.decision_note = note.strip()
    consultation.save()
    audit_record(
        actor=actor,
        verb=f"rulemaking.consultation_{action}",
        obj=consultation,
        payload={"from": before, "to": consultation.status},
    )
    return consultation


@transaction.atomic
def comment_submit(
    *,
    actor: Any,
    consultation: Consultation,
    text: str,
    commenter_kind: str = CommenterKind.ENTERPRISE,
    organisation: str = "",
    article=None,
    paragraph: str = "",
    today=None,
    enterprise=None,
) -> Comment:
    """An enterprise's comment, named as the enterprise or as an association it speaks for;
    the account behind it is never shown. `enterprise` names it only for the platform acting
    alone (an import, the demo); a person comments as their own enterprise."""
    require(actor, "rulemaking.consultation_comment", consultation)
    if not consultation_accepts_comments(consultation, today=today):
        raise ValidationError(
            f"该征求意见稿的意见征集期为 {consultation.starts_on:%Y-%m-%d} 至 "
            f"{consultation.ends_on:%Y-%m-%d}，当前不接受意见"
        )
    errors = {}
    if not text.strip():
        errors["text"] = "请填写意见"
    if commenter_kind not in CommenterKind.values:
        errors["commenter_kind"] = "请选择署名方式"
    elif commenter_kind == CommenterKind.ORGANISATION and not organisation.strip():
        errors["organisation"] = "以组织名义提交时请填写组织（协会）名称"
    if (
        article is not None
        and consultation.document_id is not None
        and article.version.document_id != consultation.document_id
    ):
        errors["article"] = "所选条文不属于该征求意见稿所涉文件"
    if errors:
        raise ValidationError(errors)
    person = _person(actor)
    if person is not None:
        enterprise = getattr(person, "enterprise", None)
    name = (
        organisation.strip()
        if commenter_kind == CommenterKind.ORGANISATION
        else (enterprise.name if enterprise else "")
    )
    comment = Comment.objects.create(
        consultation=consultation,
        author=person,
        enterprise=enterprise,
        commenter_kind=commenter_kind,
        commenter_name=name,
        article=article,
        paragraph=paragraph.strip(),
        text=text.strip(),
        # filed on the day given (an import of comments received earlier), else now
        created_at=_moment(today),
    )
    audit_record(
        actor=actor,
        verb="rulemaking.comment_submit",
        obj=comment,
        payload={"consultation": consultation.pk, "kind": commenter_kind},
    )
    return comment


@transaction.atomic
def comment_answer(*, actor: Any, comment: Comment, kind: str, answer: str) -> Comment:
    """The department's public answer to one comment: adopted, partly adopted or not, and why."""
    consultation = comment.consultation
    require(actor, "rulemaking.consultation_manage", consultation)
    if consultation.status not in LIVE:
        raise ValidationError("该征求意见已有结果，不能再修改答复")
    errors = {}
    if kind not in AnswerKind.values:
        errors["kind"] = "请选择采纳、部分采纳或不予采纳"
    if not answer.strip():
        errors["answer"] = "请写明答复和理由"
    if errors:
        raise ValidationError(errors)
    comment.answer_kind = kind
    comment.answer = answer.strip()
    comment.answered_at = timezone.now()
    comment.save(update_fields=["answer_kind", "answer", "answered_at"])
    audit_record(actor=actor, verb="rulemaking.comment_answer", obj=comment, payload={"kind": kind})
    return comment


@transaction.atomic
def meeting_record(
    *,
    actor: Any,
    consultation: Consultation,
    kind: str,
    held_on: datetime.date,
    place: str,
    minutes: str = "",
) -> Meeting:
    require(actor, "rulemaking.consultation_manage", consultation)
    if consultation.status == ConsultationStatus.DRAFT:
        raise ValidationError("请先发布征求意见稿，再安排听证会或座谈会")
    if not place.strip():
        raise ValidationError({"place": "请填写地点"})
    meeting = Meeting.objects.create(
        consultation=consultation,
        kind=kind,
        held_on=held_on,
        place=place.strip(),
        minutes=minutes.strip(),
    )
    audit_record(
        actor=actor,
        verb="rulemaking.meeting_record",
        obj=meeting,
        payload={"consultation": consultation.pk, "kind": kind},
    )
    return meeting
