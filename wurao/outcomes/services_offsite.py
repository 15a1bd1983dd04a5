"""Off-site inspection (非现场检查): an inspection done without entering the enterprise — its
online monitoring data, video, the documents it submitted, a remote video check — recorded
with its evidence. It is an enforcement action of kind inspection, mode off_site and no
visit: it counts as an inspection, never as a visit, and uses none of the enterprise's caps.

The items' results are recorded afterwards like any other inspection's (services_checks).
The study (三.七) asks to replace on-site checks with off-site supervision where data allows;
the visit rules' 非举报不现场核查 sends listed low-risk items here."""

import hashlib
import io
import zipfile
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from wurao.accounts.policy import require
from wurao.audit.services import audit_record
from wurao.enforcement.choices import ActionKind, Mode, OffsiteMethod, Origin
from wurao.enforcement.models import EnforcementAction
from wurao.enforcement.services import action_record
from wurao.outcomes.choices import EvidenceKind
from wurao.outcomes.models import Evidence

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
EVIDENCE_MAX_FILES = 20
# 《行政处罚法》第四十二条: 执法人员不得少于两人 — off-site as on site.
MIN_OFFICERS = 2

# Where an off-site inspection can come from: not a joint visit or an enterprise's request
# for a visit, and a re-check that closes a rectification is the findings' own path.
ORIGINS = (
    Origin.PLAN,
    Origin.RANDOM_DRAW,
    Origin.COMPLAINT,
    Origin.REFERRAL,
    Origin.HIGHER_ORDER,
    Origin.CAMPAIGN,
    Origin.OTHER,
)

_IMAGE = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}
_TYPES = {".pdf": "PDF", **_IMAGE, ".csv": "CSV", ".xlsx": "XLSX"}
_MAGIC = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


def _is_text(head: bytes) -> bool:
    """A CSV extract: text in UTF-8 or GB18030 (what the monitoring platforms export)."""
    if b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as e:
            # The sample may end inside a character.
            if e.start >= len(head) - 4:
                return True
            continue
        return True
    return False


def _is_xlsx(upload) -> bool:
    data = upload.read()
    upload.seek(0)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def evidence_problem(upload, kind: str) -> str:
    """What is wrong with one evidence file, in Chinese, or "" when it may be kept: its type
    judged by its content, not its name, and its size."""
    name = Path(upload.name or "").name
    suffix = Path(name).suffix.lower()
    if kind not in EvidenceKind.values:
        return gettext("“%(name)s”：请选择材料类别") % {"name": name}
    if suffix not in _TYPES:
        return gettext("“%(name)s”：只能上传 PDF、JPG、PNG 图片，或 CSV、XLSX 格式的监测数据") % {
            "name": name
        }
    if kind == EvidenceKind.PHOTO and suffix not in _IMAGE:
        return gettext("“%(name)s”：照片须为 JPG 或 PNG 图片") % {"name": name}
    if upload.size > EVIDENCE_MAX_BYTES:
        return gettext("“%(name)s”超过 20 MB（%(size)s MB）") % {
            "name": name,
            "size": f"{upload.size / 1048576:.1f}",
        }
    if not upload.size:
        return gettext("“%(name)s”是空文件") % {"name": name}
    head = upload.read(4096)
    upload.seek(0)
    if suffix == ".csv":
        fits = _is_text(head)
    elif suffix == ".xlsx":
        fits = _is_xlsx(upload)
    else:
        fits = head.startswith(_MAGIC[suffix])
    if not fits:
        return gettext("“%(name)s”的内容不是有效的 %(kind)s 文件（可能改了扩展名）") % {
            "name": name,
            "kind": _TYPES[suffix],
        }
    return ""


def _digest(upload) -> str:
    sha = hashlib.sha256()
    for chunk in upload.chunks():
        sha.update(chunk)
    upload.seek(0)
    return sha.hexdigest()


@transaction.atomic
def offsite_record(
    *,
    actor,
    enterprise,
    department,
    day: date,
    method: str,
    items,
    officers,
    summary: str,
    evidence: list[dict],
    origin: str = Origin.PLAN,
) -> EnforcementAction:
    """Record an off-site inspection: the enforcement action (kind inspection, mode off_site,
    no visit) and its evidence files, each {"kind": EvidenceKind, "file": upload, "note"}.
    Every mistake is refused at once, by field; the items' results follow on the findings
    page (outcomes.services_checks.checks_record)."""
    require(actor, "offsite.record", department)
    items, officers = list(items), list(officers)
    errors: dict[str, str] = {}
    if origin not in ORIGINS:
        errors["origin"] = gettext(
            "请选择检查来源（计划、双随机、投诉举报、转办、交办、专项或其他）"
        )
    if method not in OffsiteMethod.values:
        errors["method"] = gettext(
            "请选择非现场检查手段（在线监测数据、视频监控、企业报送材料或远程视频检查）"
        )
    if not isinstance(day, date):
        errors["day"] = gettext("请填写检查日期")
    elif day > timezone.localdate():
        errors["day"] = gettext("检查日期 %(day)s 晚于今天：请在检查后录入") % {"day": day}
    if not items:
        errors["items"] = gettext("请从本部门检查事项清单中选择本次检查的事项")
    if len(officers) < MIN_OFFICERS:
        errors["officers"] = gettext(
            "执法人员不得少于 %(count)s 人（《行政处罚法》第四十二条）"
        ) % {"count": MIN_OFFICERS}
    if not (summary or "").strip():
        errors["summary"] = gettext("请写明检查情况：调取了哪些数据或材料、看到了什么")
    if not evidence:
        errors["evidence"] = gettext("请上传检查所依据的材料（监测数据、视频截图、企业报送材料等）")
    elif len(evidence) > EVIDENCE_MAX_FILES:
        errors["evidence"] = gettext("一次最多上传 %(count)s 个文件") % {
            "count": EVIDENCE_MAX_FILES
        }
    else:
        problems = [p for e in evidence if (p := evidence_problem(e["file"], e.get("kind", "")))]
        if problems:
            errors["evidence"] = gettext("；").join(problems)
    if errors:
        raise ValidationError(errors)
    # action_record refuses another department's items and officers, by field, and audits.
    action = action_record(
        actor=actor,
        enterprise=enterprise,
        department=department,
        day=day,
        kind=ActionKind.INSPECTION,
        origin=origin,
        items=items,
        officers=officers,
        summary=summary.strip(),
        visit=None,
        mode=Mode.OFF_SITE,
        offsite_method=method,
    )
    user = actor if getattr(actor, "pk", None) else None
    kept = []
    for entry in evidence:
        upload = entry["file"]
        sha = _digest(upload)
        row = Evidence(
            action=action,
            kind=entry["kind"],
            name=Path(upload.name).name[:200],
            note=(entry.get("note") or "").strip()[:200],
            uploaded_by=user,
        )
        row.file.save(Path(upload.name).name, upload, save=False)
        row.save()
        kept.append({"name": row.name, "kind": row.kind, "sha256": sha})
    audit_record(
        actor=actor,
        verb="outcomes.offsite_evidence",
        obj=action,
        payload={"method": method, "evidence": kept},
    )
    return action
