"""A rectification's life after the notice: the enterprise reports what it put right (on the
portal, text and files, as often as it needs), the department rejects a report that is not
enough, and closes the rectification by a documentary check of the report or by a re-check
visit (整改复查); a rectification past its deadline is flagged overdue (a credit record from
that day, 逾期未整改); two departments asking different things of one enterprise on one topic
are flagged to the justice bureau, which decides.

Each write is one transaction with its audit event; a state change that is not allowed is
refused with a ValidationError naming the field, in Chinese."""

import datetime
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from wurao.accounts.policy import require
from wurao.audit.services import audit_record
from wurao.enforcement.choices import ActionKind, Origin
from wurao.enforcement.models import EnforcementAction
from wurao.outcomes.choices import ClashStatus, ClosedBy, EvidenceKind, RectificationStatus
from wurao.outcomes.models import (
    Evidence,
    FindingNotice,
    Rectification,
    RectificationReport,
    RequirementClash,
)
from wurao.selfcheck.services import PHOTO_MAX_BYTES, PHOTO_TYPES

# A report's files: photos (as on the action page) or a PDF (an invoice, a certificate, a
# scanned contract), recognised by their first bytes, not by the name.
PDF_HEAD = b"%PDF-"
FILES_PER_REPORT = 9


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _locked(rectification: Rectification) -> Rectification:
    return (
        Rectification.objects.select_for_update()
        .select_related("notice", "item_check__item", "enterprise", "department")
        .get(pk=rectification.pk)
    )


def report_file_check(upload) -> EvidenceKind:
    """Refuses anything but a JPG, PNG or WebP photo or a PDF of at most 8 MB, saying why;
    answers the kind of evidence it is."""
    name = Path(upload.name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in PHOTO_TYPES and suffix != ".pdf":
        raise ValidationError(
            {
                "files": gettext("“%(name)s”不能上传：只能上传 JPG、PNG、WebP 图片或 PDF 文件")
                % {"name": name}
            }
        )
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            {
                "files": gettext("文件不能超过 8 MB（“%(name)s”为 %(size)s MB）")
                % {"name": name, "size": f"{upload.size / 1048576:.1f}"}
            }
        )
    head = upload.read(12)
    upload.seek(0)
    if suffix == ".pdf":
        valid, kind = head.startswith(PDF_HEAD), EvidenceKind.DOCUMENT
    else:
        valid = head.startswith(PHOTO_TYPES[suffix]) and (
            suffix != ".webp" or head[8:12] == b"WEBP"
        )
        kind = EvidenceKind.PHOTO
    if not valid:
        raise ValidationError(
            {"files": gettext("“%(name)s”的内容与文件类型不符（可能改了扩展名）") % {"name": name}}
        )
    return kind


def _future_deadline(value, today: datetime.date, field: str = "new_deadline") -> None:
    if not isinstance(value, datetime.date):
        raise ValidationError({field: gettext("请填写新的整改期限")})
    if value <= today:
        raise ValidationError(
            {field: gettext("新的整改期限须晚于今天（%(day)s）") % {"day": today.isoformat()}}
        )


def _overdue_when_closing(rectification: Rectification, closed_on: datetime.date) -> None:
    """A rectification put right after its deadline was overdue from the day after, whether or
    not the daily flagging ran in between."""
    if (
        rectification.overdue_on is None
        and closed_on > rectification.deadline
        and timezone.localtime(rectification.created_at).date() <= rectification.deadline
    ):
        rectification.overdue_on = rectification.deadline + datetime.timedelta(days=1)


# ---------------------------------------------------------------- the enterprise


@transaction.atomic
def rectification_report(
    *, actor, rectification: Rectification, text: str, files: Sequence = ()
) -> RectificationReport:
    """The enterprise's account of what it put right, with photos or PDFs. Allowed until the
    rectification is closed, as often as needed (a rejected report is answered by a new one)."""
    rectification = _locked(rectification)
    require(actor, "findings.report", rectification)
    if rectification.status == RectificationStatus.CLOSED:
        raise ValidationError({"text": gettext("该整改已经完成核查并关闭，不能再报告")})
    text = (text or "").strip()
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [gettext("请写明整改情况：做了什么、何时完成")]
    files = list(files or ())
    if len(files) > FILES_PER_REPORT:
        errors["files"] = [gettext("每次报告最多上传 %(n)s 个文件") % {"n": FILES_PER_REPORT}]
    kinds = []
    for upload in files if "files" not in errors else ():
        try:
            kinds.append(report_file_check(upload))
        except ValidationError as error:
            errors.setdefault("files", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    report = RectificationReport.objects.create(
        rectification=rectification, text=text, submitted_by=_user(actor)
    )
    names = []
    for upload, kind in zip(files, kinds, strict=True):
        name = Path(upload.name or "file").name[:200]
        Evidence.objects.create(
            report=report, kind=kind, file=upload, name=name, uploaded_by=_user(actor)
        )
        names.append(name)
    before = rectification.status
    rectification.status = RectificationStatus.REPORTED
    rectification.save(update_fields=["status"])
    audit_record(
        actor=actor,
        verb="outcomes.rectification_report",
        obj=rectification,
        payload={"report": report.pk, "before": before, "files": names, "text": text[:500]},
    )
    return report


@transaction.atomic
def notice_seen(*, actor, notice: FindingNotice) -> FindingNotice:
    """The enterprise opened its notice: the first time is recorded (送达 on the portal)."""
    notice = FindingNotice.objects.select_for_update().get(pk=notice.pk)
    require(actor, "findings.report", notice.action)
    if notice.seen_at is not None:
        return notice
    notice.seen_at = timezone.now()
    notice.save(update_fields=["seen_at"])
    audit_record(
        actor=actor,
        verb="outcomes.notice_seen",
        obj=notice,
        payload={"seen_at": notice.seen_at.isoformat()},
    )
    return notice


# ---------------------------------------------------------------- the department


@transaction.atomic
def report_reject(
    *,
    actor,
    rectification: Rectification,
    reason: str,
    new_deadline: datetime.date | None = None,
) -> Rectification:
    """The report is not enough: back to the enterprise with the reason (and a later deadline
    when the department gives one)."""
    rectification = _locked(rectification)
    require(actor, "findings.close", rectification)
    if rectification.status != RectificationStatus.REPORTED:
        raise ValidationError(
            {
                "reason": gettext("只有企业已报告、尚未核查的整改可以退回（当前状态：%(s)s）")
                % {"s": rectification.get_status_display()}
            }
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": gettext("请写明退回的理由：还缺什么、要怎样改")})
    today = timezone.localdate()
    if new_deadline is not None:
        _future_deadline(new_deadline, today)
    report = rectification.reports.order_by("-submitted_at", "-id").first()
    report.rejected_reason = reason
    report.save(update_fields=["rejected_reason"])
    before = {"deadline": rectification.deadline.isoformat()}
    rectification.status = RectificationStatus.ORDERED
    if new_deadline is not None:
        rectification.deadline = new_deadline
    rectification.save(update_fields=["status", "deadline"])
    audit_record(
        actor=actor,
        verb="outcomes.report_reject",
        obj=rectification,
        payload={
            "report": report.pk,
            "reason": reason,
            "before": before,
            "deadline": rectification.deadline.isoformat(),
        },
    )
    return rectification


@transaction.atomic
def rectification_close_documentary(
    *, actor, rectification: Rectification, note: str, day: datetime.date | None = None
) -> Rectification:
    """书面核查: the enterprise's report (and its files) shows the finding put right."""
    rectification = _locked(rectification)
    require(actor, "findings.close", rectification)
    if rectification.status == RectificationStatus.CLOSED:
        raise ValidationError({"note": gettext("该整改已经关闭")})
    if rectification.status != RectificationStatus.REPORTED:
        raise ValidationError(
            {
                "note": gettext(
                    "企业尚未报告整改（或报告已退回），不能书面核查；可以等企业报告，或现场复查"
                )
            }
        )
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": gettext("请写明核查意见：依据哪些材料认定已整改")})
    day = day or timezone.localdate()
    _overdue_when_closing(rectification, day)
    rectification.status = RectificationStatus.CLOSED
    rectification.closed_on = day
    rectification.closed_how = ClosedBy.DOCUMENTARY
    rectification.closed_by = _user(actor)
    rectification.closing_note = note
    rectification.save()
    audit_record(
        actor=actor,
        verb="outcomes.rectification_close",
        obj=rectification,
        payload={
            "how": ClosedBy.DOCUMENTARY,
            "closed_on": day.isoformat(),
            "note": note,
            "overdue_on": rectification.overdue_on.isoformat() if rectification.overdue_on else "",
        },
    )
    return rectification


def recheck_errors(rectification: Rectification, action) -> str:
    """Why `action` cannot be the re-check of `rectification` ("" when it can): an inspection
    of origin 整改复查 by the same department at the same enterprise, on or after the notice."""
    if action is None:
        return gettext("请选择复查记录")
    if (
        action.department_id != rectification.department_id
        or action.enterprise_id != rectification.enterprise_id
    ):
        return gettext("复查记录须是本部门对该企业的检查")
    if action.kind != ActionKind.INSPECTION or action.origin != Origin.RECHECK:
        return gettext("复查记录须是来源为“整改复查”的行政检查，请先登记整改复查入企")
    if action.date < rectification.notice.issued_on:
        return gettext("复查日期不能早于告知日期 %(day)s") % {
            "day": rectification.notice.issued_on.isoformat()
        }
    return ""


@transaction.atomic
def rectification_recheck(
    *,
    actor,
    rectification: Rectification,
    action: EnforcementAction,
    passed: bool,
    note: str,
    new_deadline: datetime.date | None = None,
) -> Rectification:
    """整改复查: a re-check visit's result. Passed, it closes the rectification (on the day of
    the re-check); not passed, it stays open with a new deadline later than today."""
    rectification = _locked(rectification)
    require(actor, "findings.close", rectification)
    if rectification.status == RectificationStatus.CLOSED:
        raise ValidationError({"action": gettext("该整改已经关闭，无需复查")})
    if wrong := recheck_errors(rectification, action):
        raise ValidationError({"action": wrong})
    note = (note or "").strip()
    today = timezone.localdate()
    if not passed:
        if not note:
            raise ValidationError({"note": gettext("复查未通过时请写明仍存在的问题")})
        _future_deadline(new_deadline, today)
    before = {"status": rectification.status, "deadline": rectification.deadline.isoformat()}
    rectification.recheck = action
    rectification.closing_note = note
    if passed:
        _overdue_when_closing(rectification, action.date)
        rectification.status = RectificationStatus.CLOSED
        rectification.closed_on = action.date
        rectification.closed_how = ClosedBy.RECHECK
        rectification.closed_by = _user(actor)
    else:
        rectification.status = RectificationStatus.ORDERED
        rectification.deadline = new_deadline
    rectification.save()
    audit_record(
        actor=actor,
        verb="outcomes.rectification_recheck",
        obj=rectification,
        payload={
            "action": action.pk,
            "passed": bool(passed),
            "note": note,
            "before": before,
            "deadline": rectification.deadline.isoformat(),
            "closed_on": rectification.closed_on.isoformat() if rectification.closed_on else "",
        },
    )
    return rectification


# ---------------------------------------------------------------- the platform, daily


def rectifications_flag_overdue(*, today: datetime.date, actor="scheduler") -> int:
    """Every rectification not closed whose deadline has passed gets its overdue day (the
    first day past the deadline), each in its own transaction with its audit event; a
    rectification already flagged keeps its first day. Answers how many were flagged.

    A rectification recorded on the platform only after its deadline (the 一表通查 form's
    lines moved here by planning's migration 0004) is never flagged: nobody followed it up and
    the enterprise had no way to report it, so the missed deadline is not held against it."""
    pks = list(
        Rectification.objects.exclude(status=RectificationStatus.CLOSED)
        .filter(deadline__lt=today, overdue_on__isnull=True, created_at__date__lte=F("deadline"))
        .values_list("pk", flat=True)
    )
    flagged = 0
    for pk in pks:
        with transaction.atomic():
            rectification = (
                Rectification.objects.select_for_update()
                .exclude(status=RectificationStatus.CLOSED)
                .filter(pk=pk, deadline__lt=today, overdue_on__isnull=True)
                .first()
            )
            if rectification is None:  # closed or flagged meanwhile
                continue
            rectification.overdue_on = rectification.deadline + datetime.timedelta(days=1)
            rectification.save(update_fields=["overdue_on"])
            audit_record(
                actor=actor,
                verb="outcomes.rectification_overdue",
                obj=rectification,
                payload={
                    "deadline": rectification.deadline.isoformat(),
                    "overdue_on": rectification.overdue_on.isoformat(),
                },
            )
            flagged += 1
    return flagged


# ---------------------------------------------------------------- clashes, for the bureau


def clashes_flag(*, actor, enterprise, topics: Iterable[str]) -> list[RequirementClash]:
    """After a notice: where the enterprise now has open rectifications of two or more
    departments on one topic, an open clash for the bureau lists them all (an open clash
    already there takes in the new ones). Runs inside the notice's transaction."""
    flagged = []
    for topic in sorted(set(topics)):
        open_ones = list(
            Rectification.objects.filter(enterprise=enterprise, topic=topic)
            .exclude(status=RectificationStatus.CLOSED)
            .order_by("pk")
        )
        if len({r.department_id for r in open_ones}) < 2:
            continue
        clash = (
            RequirementClash.objects.select_for_update()
            .filter(enterprise=enterprise, topic=topic, status=ClashStatus.OPEN)
            .first()
        )
        created = clash is None
        if created:
            clash = RequirementClash.objects.create(enterprise=enterprise, topic=topic)
        known = set(clash.rectifications.values_list("pk", flat=True))
        new = [r for r in open_ones if r.pk not in known]
        if not new:
            continue
        clash.rectifications.add(*new)
        audit_record(
            actor=actor,
            verb="outcomes.clash_flag",
            obj=clash,
            payload={
                "enterprise": enterprise.credit_code,
                "topic": topic,
                "created": created,
                "rectifications": [r.pk for r in new],
                "departments": sorted({r.department_id for r in open_ones}),
            },
        )
        flagged.append(clash)
    return flagged


@transaction.atomic
def clash_decide(*, actor, clash: RequirementClash, confirmed: bool, text: str) -> RequirementClash:
    """The bureau's decision: a clash confirmed and coordinated (with the decision the
    departments follow), or dismissed (with the reason)."""
    require(actor, "findings.clashes", clash)
    clash = RequirementClash.objects.select_for_update().get(pk=clash.pk)
    if clash.status != ClashStatus.OPEN:
        raise ValidationError(
            {"text": gettext("该冲突已经处理过（%(s)s）") % {"s": clash.get_status_display()}}
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError(
            {
                "text": gettext("请写明协调后的处理意见")
                if confirmed
                else gettext("请写明不构成冲突的理由")
            }
        )
    clash.status = ClashStatus.CONFIRMED if confirmed else ClashStatus.DISMISSED
    clash.decision = text
    clash.decided_by = _user(actor)
    clash.decided_at = timezone.now()
    clash.save()
    audit_record(
        actor=actor,
        verb="outcomes.clash_decide",
        obj=clash,
        payload={"status": clash.status, "decision": text},
    )
    return clash
