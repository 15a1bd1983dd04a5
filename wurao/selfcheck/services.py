"""Writes of 自查自纠: start a self-inspection, record an entry (result, note, fix, photos),
complete it; the street's park campaigns. Each write is one transaction with its audit event.

What an enterprise records here is its own finding: no service here creates an enforcement
action, a penalty or a credit record. Grading reads only the completion (credit's
selectors_grading, as the points table says)."""

import datetime
from collections.abc import Sequence
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from wurao.accounts.policy import require
from wurao.audit.services import audit_record
from wurao.registry.choices import EnterpriseStatus
from wurao.registry.models import Enterprise, Park
from wurao.selfcheck import selectors
from wurao.selfcheck.choices import EntryResult, InspectionStatus
from wurao.selfcheck.models import (
    EntryPhoto,
    ParkCampaign,
    SelfInspection,
    SelfInspectionEntry,
)

# Photos only (a phone's camera gives JPEG, HEIC is converted by the browser's picker, or
# PNG/WebP), recognised by their first bytes, not by the name.
PHOTO_TYPES = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".webp": (b"RIFF",),
}
PHOTO_MAX_BYTES = 8 * 1024 * 1024
PHOTOS_PER_ENTRY = 6


def photo_check(photo) -> None:
    """Refuses anything but a JPEG, PNG or WebP photo of at most 8 MB, saying why."""
    suffix = Path(photo.name or "").suffix.lower()
    if suffix not in PHOTO_TYPES:
        raise ValidationError(
            {
                "photos": gettext("“%(name)s”不是照片：只能上传 JPG、PNG 或 WebP 图片")
                % {"name": Path(photo.name or "").name}
            }
        )
    if photo.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            {
                "photos": gettext("照片不能超过 8 MB（“%(name)s”为 %(size)s MB）")
                % {"name": Path(photo.name).name, "size": f"{photo.size / 1048576:.1f}"}
            }
        )
    head = photo.read(12)
    photo.seek(0)
    if not head.startswith(PHOTO_TYPES[suffix]) or (suffix == ".webp" and head[8:12] != b"WEBP"):
        raise ValidationError(
            {
                "photos": gettext("“%(name)s”的内容不是有效的图片（可能改了扩展名）")
                % {"name": Path(photo.name).name}
            }
        )


@transaction.atomic
def inspection_start(
    *,
    actor,
    enterprise: Enterprise,
    department_ids: Sequence[int] | None = None,
    on: datetime.date | None = None,
) -> SelfInspection:
    """A checklist of every catalogue item that applies to the enterprise (of the chosen
    departments, or all), one entry per item with its check points."""
    require(actor, "selfcheck.run", enterprise)
    on = on or timezone.localdate()
    if selectors.inspection_in_progress(enterprise_id=enterprise.pk):
        raise ValidationError(
            {"departments": gettext("已有一次进行中的自查，请先完成它再开始新的自查")}
        )
    items = selectors.items_applicable(
        enterprise=enterprise, department_ids=list(department_ids or [])
    )
    if not items:
        raise ValidationError(
            {"departments": gettext("所选部门没有适用于本企业的检查事项，请选择其他部门或全部")}
        )
    campaign = selectors.campaign_open_for(enterprise_id=enterprise.pk, on=on)
    departments = sorted({i.department.name for i in items})
    inspection = SelfInspection.objects.create(
        enterprise=enterprise,
        campaign=campaign,
        title=gettext("%(year)s年企业自查（%(scope)s）")
        % {
            "year": on.year,
            "scope": gettext("全部事项") if not department_ids else "、".join(departments),
        },
        started_by=actor if getattr(actor, "pk", None) else None,
        started_on=on,
    )
    SelfInspectionEntry.objects.bulk_create(
        SelfInspectionEntry(
            inspection=inspection, item=item, department_id=item.department_id, position=n
        )
        for n, item in enumerate(items, start=1)
    )
    audit_record(
        actor=actor,
        verb="selfcheck.start",
        obj=inspection,
        payload={
            "enterprise": enterprise.credit_code,
            "items": len(items),
            "departments": sorted({i.department_id for i in items}),
            "campaign": campaign.pk if campaign else None,
        },
    )
    return inspection


@transaction.atomic
def entry_record(
    *,
    actor,
    entry: SelfInspectionEntry,
    result: str,
    note: str = "",
    fix_action: str = "",
    fixed_on: datetime.date | None = None,
    photos: Sequence = (),
) -> SelfInspectionEntry:
    """One item's answer. After completion only a problem's fix and photos may still be added
    (the answers themselves are what the enterprise declared when it completed)."""
    entry = (
        SelfInspectionEntry.objects.select_for_update()
        .select_related("inspection")
        .get(pk=entry.pk)
    )
    inspection = entry.inspection
    require(actor, "selfcheck.run", inspection)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if result not in EntryResult.values:
        errors["result"] = gettext("请选择结果：符合、发现问题或不适用")
    completed = inspection.status == InspectionStatus.COMPLETED
    if completed and (result != entry.result or entry.result != EntryResult.PROBLEM):
        errors["result"] = gettext("自查已完成，结果不能再改；发现的问题仍可补充整改情况")
    if result != EntryResult.PROBLEM and (fix_action.strip() or fixed_on):
        errors["fix_action"] = gettext("只有“发现问题”的事项需要填写整改情况")
    if fixed_on and fixed_on > today:
        errors["fixed_on"] = gettext("整改日期不能晚于今天（%(today)s）") % {"today": today}
    if fixed_on and not fix_action.strip():
        errors["fix_action"] = gettext("填写了整改日期，请说明采取了什么整改措施")
    if result == EntryResult.PROBLEM and not note.strip():
        errors["note"] = gettext("请简要说明发现的问题")
    if len(photos) + entry.photos.count() > PHOTOS_PER_ENTRY:
        errors["photos"] = gettext("每个事项最多 %(n)s 张照片") % {"n": PHOTOS_PER_ENTRY}
    if errors:
        raise ValidationError(errors)
    for photo in photos:
        photo_check(photo)
    entry.result = result
    entry.note = note.strip()
    entry.fix_action = fix_action.strip()
    entry.fixed_on = fixed_on if fix_action.strip() else None
    entry.answered_at = timezone.now()
    entry.save(update_fields=["result", "note", "fix_action", "fixed_on", "answered_at"])
    for photo in photos:
        EntryPhoto.objects.create(entry=entry, image=photo)
    audit_record(
        actor=actor,
        verb="selfcheck.entry_record",
        obj=inspection,
        payload={
            "entry": entry.pk,
            "item": entry.item_id,
            "result": result,
            "fixed": bool(entry.fixed_on),
            "photos": len(photos),
        },
    )
    return entry


@transaction.atomic
def inspection_complete(
    *, actor, inspection: SelfInspection, on: datetime.date | None = None
) -> SelfInspection:
    """Completed once every entry is answered; a problem without a fix stays open."""
    inspection = SelfInspection.objects.select_for_update().get(pk=inspection.pk)
    require(actor, "selfcheck.run", inspection)
    if inspection.status == InspectionStatus.COMPLETED:
        raise ValidationError({"status": gettext("这次自查已经完成")})
    unanswered = inspection.entries.filter(result="").count()
    if unanswered:
        raise ValidationError(
            {
                "entries": gettext("还有 %(n)s 个事项未填写，全部填写后才能完成自查")
                % {"n": unanswered}
            }
        )
    inspection.status = InspectionStatus.COMPLETED
    inspection.completed_on = on or timezone.localdate()
    inspection.save(update_fields=["status", "completed_on"])
    counts = {r: inspection.entries.filter(result=r).count() for r in EntryResult.values}
    audit_record(
        actor=actor,
        verb="selfcheck.complete",
        obj=inspection,
        payload={
            "enterprise": inspection.enterprise.credit_code,
            "completed_on": inspection.completed_on.isoformat(),
            **counts,
            "open": inspection.entries.filter(
                result=EntryResult.PROBLEM, fixed_on__isnull=True
            ).count(),
        },
    )
    return inspection


@transaction.atomic
def campaign_start(
    *,
    actor,
    park: Park,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> ParkCampaign:
    """A park-level self-inspection: the street invites every live enterprise of the park."""
    campaign = ParkCampaign(park=park, street_id=park.street_id)
    require(actor, "selfcheck.campaign_run", campaign)
    errors = {}
    if not title.strip():
        errors["title"] = gettext("请填写活动名称")
    if ends_on < starts_on:
        errors["ends_on"] = gettext("截止日期不能早于开始日期")
    enterprises = list(
        Enterprise.objects.filter(park=park, status=EnterpriseStatus.ACTIVE).values_list(
            "pk", flat=True
        )
    )
    if not enterprises:
        errors["park"] = gettext("该园区没有存续的企业")
    if errors:
        raise ValidationError(errors)
    campaign.title = title.strip()
    campaign.starts_on, campaign.ends_on = starts_on, ends_on
    campaign.created_by = actor if getattr(actor, "pk", None) else None
    campaign.save()
    campaign.invited.set(enterprises)
    audit_record(
        actor=actor,
        verb="selfcheck.campaign_start",
        obj=campaign,
        payload={
            "park": park.pk,
            "invited": len(enterprises),
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
        },
    )
    return campaign
