"""Writes of the credit capability: commitments, objections, repairs and their reviews.
Regrading lives in services_grading.py."""

import datetime
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from wurao.accounts.policy import require
from wurao.accounts.scope import Scope
from wurao.audit.services import audit_record
from wurao.credit.choices import CommitmentStatus, RecordSource, ReviewStatus
from wurao.credit.models import (
    CommitmentItem,
    CreditCommitment,
    CreditObjection,
    CreditRepair,
    MonitoringAlert,
    ReviewRequest,
)
from wurao.enforcement import selectors as enforcement_selectors
from wurao.registry.services import UpsertResult, bulk_upsert
from wurao.registry.workdays import working_days_after

# Evidence an enterprise may upload: documents and photographs, at most 10 MB.
EVIDENCE_TYPES = {
    ".pdf": b"%PDF",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG",
}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
ALERT_FIELDS = frozenset(
    {"enterprise_id", "department_id", "source", "date", "severity", "description"}
)


def _day_start(day: datetime.date) -> datetime.datetime:
    """A day given as a date, at the start of office hours (09:00 local time)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def _actor_user(actor):
    return actor if getattr(actor, "pk", None) else None


@transaction.atomic
def commitment_sign(
    *, actor, enterprise, item: CommitmentItem, day: datetime.date | None = None
) -> CreditCommitment:
    """An enterprise signs a commitment; fulfilling it counts in its favour, breaking it against."""
    require(actor, "credit.commitment_sign", enterprise)
    if not item.active:
        raise ValidationError(
            {"item": gettext("承诺事项“%(title)s”已停用") % {"title": item.title}}
        )
    if CreditCommitment.objects.filter(
        enterprise=enterprise, item=item, status=CommitmentStatus.SIGNED
    ).exists():
        raise ValidationError(
            {"item": gettext("已签署“%(title)s”，尚待部门认定履约情况") % {"title": item.title}}
        )
    commitment = CreditCommitment.objects.create(
        enterprise=enterprise,
        item=item,
        signed_on=day or timezone.localdate(),
        signed_by=_actor_user(actor),
    )
    audit_record(
        actor=actor,
        verb="credit_commitment.sign",
        obj=commitment,
        payload={"enterprise": enterprise.credit_code, "item": item.code},
    )
    return commitment


@transaction.atomic
def commitment_decide(
    *, actor, commitment: CreditCommitment, fulfilled: bool, note: str = ""
) -> CreditCommitment:
    """The department that offers the item records whether the enterprise kept its word."""
    require(actor, "credit.commitment_decide", commitment)
    commitment = CreditCommitment.objects.select_for_update().get(pk=commitment.pk)
    if commitment.status != CommitmentStatus.SIGNED:
        raise ValidationError(
            gettext("该承诺已认定为“%(status)s”，不能重复认定")
            % {"status": commitment.get_status_display()}
        )
    if not fulfilled and not note.strip():
        raise ValidationError({"decision_note": gettext("认定未履行承诺须写明事实和理由")})
    commitment.status = CommitmentStatus.FULFILLED if fulfilled else CommitmentStatus.BREACHED
    commitment.decided_on = timezone.localdate()
    commitment.decided_by = _actor_user(actor)
    commitment.decision_note = note.strip()
    commitment.save()
    audit_record(
        actor=actor,
        verb="credit_commitment.decide",
        obj=commitment,
        payload={"status": commitment.status, "note": commitment.decision_note},
    )
    return commitment


def _record_department_id(enterprise, source: str, record_id: int) -> int:
    """The department responsible for a record of this enterprise, or a ValidationError."""
    own = Scope(enterprise_id=enterprise.pk)
    lookups = {
        RecordSource.ACTION: lambda: (
            enforcement_selectors.action_list(scope=own)
            .filter(pk=record_id)
            .values_list("department_id", flat=True)
        ),
        RecordSource.ALERT: lambda: MonitoringAlert.objects.filter(
            pk=record_id, enterprise=enterprise
        ).values_list("department_id", flat=True),
        RecordSource.COMMITMENT: lambda: CreditCommitment.objects.filter(
            pk=record_id, enterprise=enterprise
        ).values_list("item__department_id", flat=True),
    }
    if source not in lookups:
        raise ValidationError(
            {"record_source": gettext("请选择记录类别：执法记录、非现场监测预警或信用承诺")}
        )
    department_id = lookups[RecordSource(source)]().first()
    if department_id is None:
        raise ValidationError({"record_id": gettext("本企业没有该记录")})
    return department_id


def _evidence_check(evidence) -> None:
    if evidence is None:
        return
    suffix = Path(evidence.name).suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        raise ValidationError({"evidence": gettext("证明材料须为 PDF、JPG 或 PNG 文件")})
    if evidence.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {
                "evidence": gettext("证明材料不能超过 10 MB（当前 %(size)s MB）")
                % {"size": f"{evidence.size / 1048576:.1f}"}
            }
        )
    head = evidence.read(8)
    evidence.seek(0)
    if not head.startswith(EVIDENCE_TYPES[suffix]):
        raise ValidationError(
            {
                "evidence": gettext("文件内容不是有效的 %(kind)s 文件（可能改了扩展名）")
                % {"kind": suffix[1:].upper()}
            }
        )


def _file(
    model: type[ReviewRequest],
    verb: str,
    *,
    actor,
    enterprise,
    record_source,
    record_id,
    reason,
    evidence,
    on: datetime.date | None = None,
):
    if not reason.strip():
        raise ValidationError({"reason": gettext("请写明理由")})
    department_id = _record_department_id(enterprise, record_source, record_id)
    _evidence_check(evidence)
    if model.objects.filter(
        enterprise=enterprise,
        record_source=record_source,
        record_id=record_id,
        status=ReviewStatus.SUBMITTED,
    ).exists():
        raise ValidationError({"record_id": gettext("该记录已有待审核的申请，请等待审核结果")})
    request = model.objects.create(
        enterprise=enterprise,
        record_source=record_source,
        record_id=record_id,
        department_id=department_id,
        reason=reason.strip(),
        evidence=evidence or "",
        due_on=working_days_after(on or timezone.localdate(), settings.CREDIT_REVIEW_WORKING_DAYS),
    )
    if on is not None:
        # Filed earlier (e.g. on paper at a service window) and registered now: the deadline
        # runs from the day it was filed. filed_at is auto_now_add, hence the update.
        request.filed_at = _day_start(on)
        model.objects.filter(pk=request.pk).update(filed_at=request.filed_at)
    audit_record(
        actor=actor,
        verb=verb,
        obj=request,
        payload={
            "enterprise": enterprise.credit_code,
            "record": f"{record_source}:{record_id}",
            "department": department_id,
            "filed_on": timezone.localtime(request.filed_at).date().isoformat(),
            "due_on": request.due_on.isoformat(),
        },
    )
    return request


@transaction.atomic
def objection_file(
    *,
    actor,
    enterprise,
    record_source: str,
    record_id: int,
    reason: str,
    evidence=None,
    on: datetime.date | None = None,
) -> CreditObjection:
    """信用异议: the enterprise says a record is wrong. It goes to the record's department.
    `on`: the day it was filed, when earlier than today (default today)."""
    require(actor, "credit.review_request", enterprise)
    return _file(
        CreditObjection, "credit_objection.file", actor=actor, enterprise=enterprise,
        record_source=record_source, record_id=record_id, reason=reason, evidence=evidence, on=on,
    )  # fmt: skip


@transaction.atomic
def repair_apply(
    *,
    actor,
    enterprise,
    record_source: str,
    record_id: int,
    reason: str,
    evidence=None,
    on: datetime.date | None = None,
) -> CreditRepair:
    """信用修复: the enterprise has corrected what a record found and asks to end its effect.
    `on`: the day it was filed, when earlier than today (default today)."""
    require(actor, "credit.review_request", enterprise)
    return _file(
        CreditRepair, "credit_repair.apply", actor=actor, enterprise=enterprise,
        record_source=record_source, record_id=record_id, reason=reason, evidence=evidence, on=on,
    )  # fmt: skip


@transaction.atomic
def review_decide(
    *, actor, request: ReviewRequest, approve: bool, reason: str, on: datetime.date | None = None
) -> ReviewRequest:
    """The responsible department decides, with reasons. An approval takes effect when the
    publicity period ends (公示期满), from then on the record stops counting. `on`: the day
    of a decision taken earlier and registered now (default today)."""
    request = type(request).objects.select_for_update().get(pk=request.pk)
    if request.status != ReviewStatus.SUBMITTED:
        raise ValidationError(
            gettext("该申请已审核为“%(status)s”") % {"status": request.get_status_display()}
        )
    require(actor, "credit.review_register", request)
    if not reason.strip():
        raise ValidationError({"decision_reason": gettext("请写明审核意见和理由")})
    today = on or timezone.localdate()
    if today < timezone.localtime(request.filed_at).date():
        raise ValidationError(gettext("审核日期不能早于申请提交日期"))
    request.status = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
    request.decided_at = timezone.now() if on is None else _day_start(on)
    request.decided_by = _actor_user(actor)
    request.decision_reason = reason.strip()
    request.effective_from = (
        today + datetime.timedelta(days=settings.CREDIT_PUBLICITY_DAYS) if approve else None
    )
    request.save()
    audit_record(
        actor=actor,
        verb=f"{request._meta.model_name}.decide",
        obj=request,
        payload={
            "status": request.status,
            "reason": request.decision_reason,
            "decided_on": today.isoformat(),
            "effective_from": request.effective_from.isoformat()
            if request.effective_from
            else None,
        },
    )
    return request


@transaction.atomic
def alert_upsert_many(
    *,
    actor,
    rows: Sequence[Mapping[str, Any]],
    fields: frozenset[str],
    source: Mapping[str, Any] | None = None,
    dry_run: bool = False,
) -> UpsertResult:
    """Create or update non-site monitoring alerts (非现场监测预警) by their monitoring
    system's number (来源编号), already checked row by row; one audit event per run."""
    if unknown := fields - ALERT_FIELDS:
        raise ValueError(f"MonitoringAlert import cannot write {sorted(unknown)}")
    return bulk_upsert(
        actor=actor,
        model=MonitoringAlert,
        key="external_id",
        rows=rows,
        fields=fields,
        verb="monitoring_alert.import",
        source=source,
        dry_run=dry_run,
    )
