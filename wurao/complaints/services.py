"""Writes on complaints: file, accept, ask a department for a statement, answer, rate, reveal,
escalate. Every write is one transaction with its audit event; no payload holds the filer's
identity, the complaint's text or its receipt (the departments never see the log, and the log
outlives any key rotation).

Routing (study 二.八: complaints "回到了被投诉的执法部门手中", 踢皮球): a complaint goes to the
justice bureau's supervision office and nowhere else; a department receives only a statement
request carrying the office's own neutral summary.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wurao.accounts.policy import require
from wurao.audit.services import audit_record
from wurao.complaints.choices import Finding, Stage, Status
from wurao.complaints.identity import filer_tag, identity_decrypt, identity_encrypt
from wurao.complaints.models import (
    Complaint,
    Escalation,
    IdentityReveal,
    StatementRequest,
    receipt_new,
    secret_new,
)
from wurao.registry.workdays import working_days_after

# Who files, as the audit log names it: never the person (the log would name the complainant).
FILER = "complaints.filer"


@dataclass(frozen=True)
class Filed:
    """What the filer sees once: the receipt and the secret (stored only as a hash)."""

    receipt: str
    secret: str
    pk: int


def _today() -> date:
    return timezone.localdate()


def _receipt_unique(model, prefix: str) -> str:
    for _attempt in range(10):
        receipt = receipt_new(prefix)
        if not model.objects.filter(receipt=receipt).exists():
            return receipt
    raise IntegrityError("no free receipt number")  # 31**8 numbers: never in practice


@transaction.atomic
def complaint_file(
    *,
    category: str,
    description: str,
    visit=None,
    department=None,
    officer=None,
    anonymous: bool,
    name: str = "",
    phone: str = "",
    contact: str = "",
    enterprise=None,
    disclose_consent: bool = False,
    filed_on: date | None = None,
    receipt: str = "",
    secret: str = "",
) -> Filed:
    """File a complaint (the form has validated what it names). Named: the name and phone (a
    visitor) or the enterprise (its user); anonymous: at most a contact, all encrypted.
    `receipt` and `secret` are the demo's fixed case (docs/complaints.md); never from a form."""
    if department is None and officer is not None:
        department = officer.department
    if department is None and visit is not None:
        department = visit.department
    if not anonymous and not (enterprise or (name and phone)):
        raise ValidationError({"name": _("实名投诉请填写姓名和联系电话")})
    filed_on = filed_on or _today()
    secret = secret or secret_new()
    identity = {"contact": contact}
    if not anonymous:
        identity |= {"name": name, "phone": phone}
        if enterprise is not None:
            identity |= {"enterprise_id": enterprise.pk, "enterprise_name": enterprise.name}
    complaint = Complaint.objects.create(
        receipt=receipt or _receipt_unique(Complaint, "TS"),
        secret_hash=make_password(secret),
        category=category,
        description=description,
        visit=visit,
        department=department,
        officer=officer,
        anonymous=anonymous,
        identity=identity_encrypt(identity),
        filer_tag=filer_tag(enterprise.pk if enterprise is not None and not anonymous else None),
        disclose_consent=bool(disclose_consent and enterprise is not None and not anonymous),
        filed_on=filed_on,
        accept_due=working_days_after(filed_on, settings.COMPLAINT_ACCEPT_DAYS),
    )
    audit_record(
        actor=FILER,
        verb="complaints.file",
        obj=complaint,
        payload={"category": category, "anonymous": anonymous, "routed_to": "supervision"},
    )
    return Filed(receipt=complaint.receipt, secret=secret, pk=complaint.pk)


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


@transaction.atomic
def complaint_accept(
    *, actor, complaint: Complaint, accept: bool, reason: str = "", on: date | None = None
) -> Complaint:
    require(actor, "complaints.office", complaint)
    complaint = _locked(complaint)
    if complaint.status != Status.RECEIVED:
        raise ValidationError(_("该投诉已作出受理决定"))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("不予受理须说明理由")})
    # A decision recorded for an earlier day (the demo's history) is dated that day.
    complaint.accepted_at = (
        timezone.now()
        if on is None
        else timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))
    )
    complaint.handled_by = actor if not isinstance(actor, str) else None
    if accept:
        complaint.status = Status.ACCEPTED
        complaint.answer_due = working_days_after(on or _today(), settings.COMPLAINT_ANSWER_DAYS)
    else:
        complaint.status = Status.NOT_ACCEPTED
        complaint.not_accepted_reason = reason.strip()
    complaint.save()
    audit_record(
        actor=actor,
        verb="complaints.accept" if accept else "complaints.not_accept",
        obj=complaint,
        payload={"answer_due": str(complaint.answer_due or "")},
    )
    return complaint


@transaction.atomic
def statement_request(
    *, actor, complaint: Complaint, department, summary: str, on: date | None = None
) -> StatementRequest:
    """Ask a department for its statement, with the office's own neutral summary."""
    require(actor, "complaints.office", complaint)
    complaint = _locked(complaint)
    if complaint.status not in (Status.ACCEPTED, Status.INVESTIGATING):
        raise ValidationError(_("只有已受理、尚未答复的投诉可以要求部门说明情况"))
    if not summary.strip():
        raise ValidationError({"summary": _("请填写事项摘要（不写投诉人信息）")})
    statement = StatementRequest.objects.create(
        complaint=complaint,
        department=department,
        summary=summary.strip(),
        requested_by=actor,
        due_on=working_days_after(on or _today(), settings.COMPLAINT_STATEMENT_DAYS),
    )
    complaint.status = Status.INVESTIGATING
    complaint.save(update_fields=["status"])
    audit_record(
        actor=actor,
        verb="complaints.statement_request",
        obj=statement,
        payload={"department": department.pk, "due_on": str(statement.due_on)},
    )
    return statement


@transaction.atomic
def statement_answer(*, actor, statement: StatementRequest, answer: str) -> StatementRequest:
    require(actor, "complaints.statement_answer", statement)
    statement = StatementRequest.objects.select_for_update().get(pk=statement.pk)
    if statement.answered_at is not None:
        raise ValidationError(_("本部门已就此作出说明"))
    if not answer.strip():
        raise ValidationError({"answer": _("请填写情况说明")})
    statement.answer = answer.strip()
    statement.answered_by = actor if not isinstance(actor, str) else None
    statement.answered_at = timezone.now()
    statement.save()
    audit_record(actor=actor, verb="complaints.statement_answer", obj=statement, payload={})
    return statement


@transaction.atomic
def complaint_answer(*, actor, complaint: Complaint, finding: str, answer: str) -> Complaint:
    require(actor, "complaints.office", complaint)
    complaint = _locked(complaint)
    if complaint.status not in (Status.ACCEPTED, Status.INVESTIGATING):
        raise ValidationError(_("只有已受理、尚未答复的投诉可以答复"))
    if finding not in Finding.values:
        raise ValidationError({"finding": _("请选择调查结论")})
    if not answer.strip():
        raise ValidationError({"answer": _("请填写答复意见")})
    complaint.finding = finding
    complaint.answer = answer.strip()
    complaint.answered_at = timezone.now()
    complaint.status = Status.ANSWERED
    complaint.save()
    audit_record(actor=actor, verb="complaints.answer", obj=complaint, payload={"finding": finding})
    return complaint


@transaction.atomic
def complaint_rate(*, complaint: Complaint, rating: int, comment: str = "") -> Complaint:
    """The filer (by receipt and secret, or its enterprise) rates the answer; the case closes."""
    complaint = _locked(complaint)
    if complaint.status != Status.ANSWERED:
        raise ValidationError(_("投诉答复后才能评价，且只能评价一次"))
    if rating not in range(1, 6):
        raise ValidationError({"rating": _("评分应为 1 到 5 分")})
    complaint.rating = rating
    complaint.rating_comment = comment.strip()
    complaint.rated_at = timezone.now()
    complaint.status = Status.CLOSED
    complaint.save()
    audit_record(actor=FILER, verb="complaints.rate", obj=complaint, payload={"rating": rating})
    return complaint


@transaction.atomic
def complaint_identity_reveal(*, actor, complaint: Complaint, reason: str) -> dict:
    """A supervision officer sees the filer's identity, for a recorded reason (audited: who,
    when, why; never what was seen)."""
    require(actor, "complaints.office", complaint)
    if not reason.strip():
        raise ValidationError({"reason": _("查看投诉人身份须填写理由")})
    reveal = IdentityReveal.objects.create(
        complaint=complaint,
        reason=reason.strip(),
        requested_by=actor,
        status="approved",
        approved_by=actor,
        approved_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        verb="complaints.identity_reveal",
        obj=complaint,
        payload={"reason": reveal.reason, "reveal": reveal.pk},
    )
    return identity_decrypt(complaint.identity)


def _overdue_stage(complaint: Complaint, today: date) -> tuple[str, date] | None:
    if complaint.status == Status.RECEIVED and today > complaint.accept_due:
        return Stage.ACCEPT, complaint.accept_due
    if (
        complaint.status in (Status.ACCEPTED, Status.INVESTIGATING)
        and complaint.answer_due
        and today > complaint.answer_due
    ):
        return Stage.ANSWER, complaint.answer_due
    return None


def complaints_escalate(*, actor="scheduler", today: date | None = None) -> int:
    """Flag each overdue stage and raise it to the bureau's head (once per stage); returns how
    many were raised. Run daily (tasks.py) and by `wurao complaints_escalate`."""
    today = today or _today()
    raised = 0
    candidates = Complaint.objects.filter(
        status__in=(Status.RECEIVED, Status.ACCEPTED, Status.INVESTIGATING)
    )
    for complaint in candidates.iterator():
        overdue = _overdue_stage(complaint, today)
        if overdue is None:
            continue
        with transaction.atomic():
            stage, due_on = overdue
            _escalation, created = Escalation.objects.get_or_create(
                complaint=complaint, stage=stage, defaults={"due_on": due_on}
            )
            if not created:
                continue
            Complaint.objects.filter(pk=complaint.pk).update(escalated=True)
            audit_record(
                actor=actor,
                verb="complaints.escalate",
                obj=complaint,
                payload={"stage": stage, "due_on": str(due_on)},
            )
            raised += 1
    return raised
