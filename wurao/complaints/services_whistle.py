"""Writes on whistleblowing (内部举报): file, assign to the competent department, the
department's report, the conclusion and the reward; the two-person reveal of the filer's
identity; and the re-encryption of every protected identity with the newest key."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wurao.accounts.policy import require
from wurao.audit.services import audit_record
from wurao.complaints.choices import RevealStatus, WhistleStatus
from wurao.complaints.identity import identity_decrypt, identity_encrypt, identity_rotate
from wurao.complaints.models import (
    Complaint,
    IdentityReveal,
    WhistleReport,
    secret_new,
)
from wurao.complaints.services import FILER, Filed, _receipt_unique


@transaction.atomic
def whistle_file(
    *,
    enterprise,
    risk_kind: str,
    risk: str,
    evidence=None,
    name: str = "",
    contact: str = "",
    receipt: str = "",
    secret: str = "",
) -> Filed:
    """`receipt` and `secret` are the demo's fixed case only (docs/complaints.md)."""
    secret = secret or secret_new()
    report = WhistleReport.objects.create(
        receipt=receipt or _receipt_unique(WhistleReport, "JB"),
        secret_hash=make_password(secret),
        enterprise=enterprise,
        risk_kind=risk_kind,
        risk=risk,
        evidence=evidence or "",
        identity=identity_encrypt({"name": name, "contact": contact}),
    )
    audit_record(
        actor=FILER,
        verb="complaints.whistle_file",
        obj=report,
        payload={"risk_kind": risk_kind, "evidence": bool(evidence)},
    )
    return Filed(receipt=report.receipt, secret=secret, pk=report.pk)


def _locked(report: WhistleReport) -> WhistleReport:
    return WhistleReport.objects.select_for_update().get(pk=report.pk)


@transaction.atomic
def whistle_assign(*, actor, report: WhistleReport, department) -> WhistleReport:
    require(actor, "complaints.whistle_office", report)
    report = _locked(report)
    if report.status not in (WhistleStatus.RECEIVED, WhistleStatus.ASSIGNED):
        raise ValidationError(_("该举报已有核查结果，不能再交办"))
    report.department = department
    report.assigned_at = timezone.now()
    report.status = WhistleStatus.ASSIGNED
    report.save()
    audit_record(
        actor=actor,
        verb="complaints.whistle_assign",
        obj=report,
        payload={"department": department.pk},
    )
    return report


@transaction.atomic
def whistle_department_report(*, actor, report: WhistleReport, text: str) -> WhistleReport:
    require(actor, "complaints.whistle_report", report)
    report = _locked(report)
    if report.status != WhistleStatus.ASSIGNED:
        raise ValidationError(_("该举报不在待反馈状态"))
    if not text.strip():
        raise ValidationError({"text": _("请填写核查情况")})
    report.department_report = text.strip()
    report.reported_at = timezone.now()
    report.status = WhistleStatus.REPORTED
    report.save()
    audit_record(actor=actor, verb="complaints.whistle_department_report", obj=report, payload={})
    return report


@transaction.atomic
def whistle_conclude(
    *,
    actor,
    report: WhistleReport,
    substantiated: bool,
    conclusion: str,
    reward_amount: Decimal | None = None,
    reward_decision: str = "",
    reward_paid_on=None,
) -> WhistleReport:
    """The bureau's conclusion; a reward only for a substantiated report (《安全生产领域举报奖励办法》)."""
    require(actor, "complaints.whistle_office", report)
    report = _locked(report)
    if not conclusion.strip():
        raise ValidationError({"conclusion": _("请填写核查结论")})
    if not substantiated and (reward_amount or reward_decision or reward_paid_on):
        raise ValidationError({"reward_amount": _("查证不属实的举报不予奖励")})
    if reward_amount is not None and reward_amount < 0:
        raise ValidationError({"reward_amount": _("奖励金额不能为负数")})
    report.status = (
        WhistleStatus.SUBSTANTIATED if substantiated else WhistleStatus.NOT_SUBSTANTIATED
    )
    report.conclusion = conclusion.strip()
    report.concluded_at = timezone.now()
    report.reward_amount = reward_amount
    report.reward_decision = reward_decision.strip()
    report.reward_paid_on = reward_paid_on
    report.save()
    audit_record(
        actor=actor,
        verb="complaints.whistle_conclude",
        obj=report,
        payload={
            "substantiated": substantiated,
            "reward_amount": str(reward_amount) if reward_amount is not None else "",
            "reward_paid_on": str(reward_paid_on or ""),
        },
    )
    return report


# ---------------------------------------------------------------- two-person reveal


@transaction.atomic
def whistle_reveal_request(*, actor, report: WhistleReport, reason: str) -> IdentityReveal:
    require(actor, "complaints.whistle_office", report)
    if not reason.strip():
        raise ValidationError({"reason": _("申请查看举报人身份须填写理由")})
    reveal = IdentityReveal.objects.create(report=report, reason=reason.strip(), requested_by=actor)
    audit_record(
        actor=actor,
        verb="complaints.whistle_reveal_request",
        obj=report,
        payload={"reason": reveal.reason, "reveal": reveal.pk},
    )
    return reveal


@transaction.atomic
def whistle_reveal_approve(*, actor, reveal: IdentityReveal) -> IdentityReveal:
    require(actor, "complaints.whistle_reveal_approve", reveal)
    reveal = IdentityReveal.objects.select_for_update().get(pk=reveal.pk)
    if reveal.report_id is None or reveal.status != RevealStatus.PENDING:
        raise ValidationError(_("该申请不在待批准状态"))
    reveal.status = RevealStatus.APPROVED
    reveal.approved_by = actor
    reveal.approved_at = timezone.now()
    reveal.save()
    audit_record(
        actor=actor,
        verb="complaints.whistle_reveal_approve",
        obj=reveal.report,
        payload={"reveal": reveal.pk, "requested_by": reveal.requested_by.get_username()},
    )
    return reveal


def whistle_identity_read(*, actor, reveal: IdentityReveal) -> dict:
    """The identity, to the requester of an approved reveal only (each read audited)."""
    require(actor, "complaints.whistle_office", reveal.report)
    if reveal.status != RevealStatus.APPROVED or reveal.requested_by_id != actor.pk:
        raise ValidationError(_("查看举报人身份须经另一名司法局人员批准"))
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb="complaints.whistle_identity_read",
            obj=reveal.report,
            payload={"reveal": reveal.pk},
        )
    return identity_decrypt(reveal.report.identity)


# ---------------------------------------------------------------- key rotation


def identities_rekey(*, actor="rekey", commit: bool = False) -> dict[str, int]:
    """Re-encrypt every protected identity with the newest key (a dry run unless `commit`)."""
    counts = {"complaints": 0, "whistle": 0}
    for label, model in (("complaints", Complaint), ("whistle", WhistleReport)):
        for pk, token in (
            model.objects.exclude(identity="").values_list("pk", "identity").iterator()
        ):
            rotated = identity_rotate(token)
            counts[label] += 1
            if commit:
                model.objects.filter(pk=pk, identity=token).update(identity=rotated)
    if commit:
        with transaction.atomic():
            audit_record(actor=actor, verb="complaints.identities_rekey", payload=counts)
    return counts
