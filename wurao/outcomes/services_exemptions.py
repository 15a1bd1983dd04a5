"""The published rules a case is decided under: a department's discretion standards (裁量基准),
the exemption lists (免罚清单) at city, district and department level, and the bureau's
observation periods for new business types (新业态观察期)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from wurao.accounts.policy import require
from wurao.audit.services import audit_record
from wurao.outcomes.choices import HIGH_RISK_TAGS, NEVER_EXEMPT, ExemptionKind, Level, Sector
from wurao.outcomes.models import (
    DiscretionBand,
    DiscretionStandard,
    ExemptionEntry,
    ExemptionList,
    ObservationType,
)


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _article_label(article) -> str:
    if article is None:
        return ""
    return f"{article.version.document.designation} {article.number}"


# ---------------------------------------------------------------- discretion standards


def _bands_checked(bands: list[dict]) -> list[dict]:
    """Bands in order 1..n, each named, with its circumstances and measure, min ≤ max, and the
    amounts rising from one band to the next (a heavier band never allows less)."""
    errors: dict[str, str] = {}
    if not bands:
        raise ValidationError({"bands": gettext("请至少填写一个裁量档次")})
    cleaned = []
    previous = None
    for n, band in enumerate(bands, start=1):
        name = (band.get("name") or "").strip()
        circumstances = (band.get("circumstances") or "").strip()
        measure = (band.get("measure") or "").strip()
        low, high = band.get("min_amount"), band.get("max_amount")
        low = Decimal(low) if low not in (None, "") else None
        high = Decimal(high) if high not in (None, "") else None
        if not name:
            errors[f"band_{n}_name"] = gettext("请填写第 %(n)s 档的名称") % {"n": n}
        if not circumstances:
            errors[f"band_{n}_circumstances"] = gettext("请填写第 %(n)s 档的适用情形") % {"n": n}
        if not measure:
            errors[f"band_{n}_measure"] = gettext("请填写第 %(n)s 档的处罚种类或措施") % {"n": n}
        for value, field in ((low, "min_amount"), (high, "max_amount")):
            if value is not None and value < 0:
                errors[f"band_{n}_{field}"] = gettext("第 %(n)s 档的罚款金额不能为负数") % {"n": n}
        if low is not None and high is not None and low > high:
            errors[f"band_{n}_max_amount"] = gettext(
                "第 %(n)s 档的罚款上限 %(high)s 元低于下限 %(low)s 元"
            ) % {"n": n, "high": high, "low": low}
        if previous is not None:
            p_low, p_high = previous
            if low is not None and p_low is not None and low < p_low:
                errors[f"band_{n}_min_amount"] = gettext(
                    "档次须由轻到重排列：第 %(n)s 档的下限低于上一档"
                ) % {"n": n}
            if high is not None and p_high is not None and high < p_high:
                errors[f"band_{n}_max_amount"] = gettext(
                    "档次须由轻到重排列：第 %(n)s 档的上限低于上一档"
                ) % {"n": n}
        previous = (low, high)
        cleaned.append(
            {
                "order": n,
                "name": name,
                "circumstances": circumstances,
                "measure": measure,
                "min_amount": low,
                "max_amount": high,
            }
        )
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def standard_save(
    *,
    actor,
    department,
    standard: DiscretionStandard | None = None,
    code: str,
    violation: str,
    legal_basis: str,
    bands: list[dict],
    item=None,
    breached_article=None,
    penalty_article=None,
    active: bool = True,
) -> DiscretionStandard:
    """Create a department's discretion standard, or edit it (`standard`). Each band: name,
    circumstances, measure, min_amount, max_amount, in order from the lightest. A band a
    decided case applied is kept: the standard may change its text, not take it away."""
    target = standard or DiscretionStandard(department=department)
    require(actor, "cases.standard_manage", target)
    if standard is not None and standard.department_id != department.pk:
        raise ValidationError({"department": gettext("不能把裁量基准改到其他部门")})
    errors: dict[str, str] = {}
    code, violation, legal_basis = code.strip(), violation.strip(), legal_basis.strip()
    if not code:
        errors["code"] = gettext("请填写裁量基准编号")
    elif (
        DiscretionStandard.objects.filter(department=department, code=code)
        .exclude(pk=getattr(standard, "pk", None))
        .exists()
    ):
        errors["code"] = gettext("本部门已有编号为 %(code)s 的裁量基准") % {"code": code}
    if not violation:
        errors["violation"] = gettext("请填写违法行为")
    if not legal_basis:
        errors["legal_basis"] = gettext("请填写法律依据")
    if item is not None and item.department_id != department.pk:
        errors["item"] = gettext("只能对应本部门的检查事项")
    try:
        cleaned = _bands_checked(bands)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
        cleaned = []
    if errors:
        raise ValidationError(errors)
    before = None
    if standard is not None:
        before = {
            "violation": standard.violation,
            "legal_basis": standard.legal_basis,
            "bands": [[b.name, str(b.min_amount), str(b.max_amount)] for b in standard.bands.all()],
        }
    target.code, target.violation, target.legal_basis = code, violation, legal_basis
    target.item, target.active = item, active
    target.breached_article, target.penalty_article = breached_article, penalty_article
    target.save()
    current = {b.order: b for b in target.bands.all()}
    for band in cleaned:
        row = current.pop(band["order"], None) or DiscretionBand(standard=target)
        for field, value in band.items():
            setattr(row, field, value)
        row.save()
    for band in current.values():
        if band.cases.exists():
            raise ValidationError(
                {
                    "bands": gettext("第 %(n)s 档“%(name)s”已有案件适用，不能删除")
                    % {"n": band.order, "name": band.name}
                }
            )
        band.delete()
    audit_record(
        actor=actor,
        verb="outcomes.standard_save",
        obj=target,
        payload={
            "department": department.code,
            "code": code,
            "violation": violation,
            "item": item.code if item else "",
            "breached_article": _article_label(breached_article),
            "penalty_article": _article_label(penalty_article),
            "bands": [
                [b["name"], str(b["min_amount"] or ""), str(b["max_amount"] or "")] for b in cleaned
            ],
            "active": active,
            "before": before,
        },
    )
    return target


# ---------------------------------------------------------------- exemption lists


@transaction.atomic
def exemption_list_create(
    *, actor, level: str, title: str, published_on: datetime.date, department=None
) -> ExemptionList:
    """The city's and the district's lists are the bureau's (no department); a department's
    list names the department."""
    errors: dict[str, str] = {}
    if level not in Level.values:
        errors["level"] = gettext("请选择清单层级：市级、区级或部门")
    elif level == Level.DEPARTMENT and department is None:
        errors["department"] = gettext("部门清单须写明部门")
    elif level != Level.DEPARTMENT and department is not None:
        errors["department"] = gettext("市级、区级清单不属于某个部门")
    if not title.strip():
        errors["title"] = gettext("请填写清单名称")
    if errors:
        raise ValidationError(errors)
    exemption_list = ExemptionList(
        level=level,
        department=department,
        title=title.strip(),
        published_on=published_on,
        created_by=_user(actor),
    )
    require(actor, "cases.exemption_manage", exemption_list)
    exemption_list.save()
    audit_record(
        actor=actor,
        verb="outcomes.exemption_list_create",
        obj=exemption_list,
        payload={
            "level": level,
            "department": department.code if department else "",
            "title": exemption_list.title,
            "published_on": published_on.isoformat(),
        },
    )
    return exemption_list


def never_exempt_errors(*, sector: str, item=None, standard=None) -> dict[str, str]:
    """Fields the rules never exempt: a sector of NEVER_EXEMPT (public-safety emergencies,
    price gouging in disasters, listed high-risk fields), or an item that applies to a listed
    high-risk risk tag (HIGH_RISK_TAGS), named directly or through the standard."""
    errors: dict[str, str] = {}
    if sector in NEVER_EXEMPT:
        errors["sector"] = gettext("“%(sector)s”属于不得免罚的领域，不能列入免罚清单") % {
            "sector": Sector(sector).label
        }
    for field, candidate in (("item", item), ("standard", getattr(standard, "item", None))):
        if candidate is None:
            continue
        risky = sorted(t.name for t in candidate.applicable_tags.all() if t.code in HIGH_RISK_TAGS)
        if risky:
            errors[field] = gettext(
                "检查事项“%(item)s”适用于高风险领域（%(tags)s），不能列入免罚清单"
            ) % {"item": candidate.name, "tags": "、".join(risky)}
    return errors


@transaction.atomic
def exemption_entry_save(
    *,
    actor,
    exemption_list: ExemptionList,
    entry: ExemptionEntry | None = None,
    kind: str,
    sector: str,
    violation: str,
    item=None,
    standard=None,
    legal_basis: str = "",
    needs_first_offence: bool = True,
    needs_minor_harm: bool = True,
    needs_corrected: bool = True,
    lookback_days: int = 730,
    active: bool = True,
) -> ExemptionEntry:
    """Add an entry to a list, or edit one (`entry`, of that list). Only the list's keeper may:
    a department never edits nor deactivates the city's or the district's entries."""
    require(actor, "cases.exemption_manage", exemption_list)
    if entry is not None and entry.exemption_list_id != exemption_list.pk:
        raise ValidationError({"entry": gettext("该事项不属于这份清单")})
    errors = never_exempt_errors(sector=sector, item=item, standard=standard)
    if kind not in ExemptionKind.values:
        errors["kind"] = gettext("请选择类型：首违不罚或轻微不罚")
    if sector not in Sector.values:
        errors["sector"] = gettext("请选择领域")
    if not violation.strip():
        errors["violation"] = gettext("请填写违法行为")
    if exemption_list.level == Level.DEPARTMENT:
        if item is not None and item.department_id != exemption_list.department_id:
            errors["item"] = gettext("部门清单只能对应本部门的检查事项")
        if standard is not None and standard.department_id != exemption_list.department_id:
            errors["standard"] = gettext("部门清单只能对应本部门的裁量基准")
    if not (needs_first_offence or needs_minor_harm or needs_corrected):
        errors["needs_corrected"] = gettext("至少须有一项适用条件")
    if not 1 <= int(lookback_days) <= 3650:
        errors["lookback_days"] = gettext("回溯期应在 1 至 3650 日之间")
    if errors:
        raise ValidationError(errors)
    before = None
    target = entry or ExemptionEntry(exemption_list=exemption_list)
    if entry is not None:
        before = {"violation": entry.violation, "sector": entry.sector, "active": entry.active}
    target.kind, target.sector, target.violation = kind, sector, violation.strip()
    target.item, target.standard, target.legal_basis = item, standard, legal_basis.strip()
    target.needs_first_offence = needs_first_offence
    target.needs_minor_harm = needs_minor_harm
    target.needs_corrected = needs_corrected
    target.lookback_days, target.active = int(lookback_days), active
    target.save()
    audit_record(
        actor=actor,
        verb="outcomes.exemption_entry_save",
        obj=target,
        payload={
            "list": exemption_list.pk,
            "level": exemption_list.level,
            "kind": kind,
            "sector": sector,
            "violation": target.violation,
            "item": item.code if item else "",
            "standard": standard.code if standard else "",
            "conditions": [needs_first_offence, needs_minor_harm, needs_corrected],
            "lookback_days": target.lookback_days,
            "active": active,
            "before": before,
        },
    )
    return target


# ---------------------------------------------------------------- observation periods


@transaction.atomic
def observation_type_save(
    *,
    actor,
    observation: ObservationType | None = None,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    industry_codes: list[str] = (),
    tags=(),
    note: str = "",
) -> ObservationType:
    """A new business type in its observation period: industry code prefixes (GB/T 4754)
    and/or risk tags, and the period. The bureau's alone."""
    require(actor, "cases.observation_manage", observation)
    codes = [str(c).strip() for c in industry_codes if str(c).strip()]
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = gettext("请填写新业态名称")
    bad = [c for c in codes if not c.isdigit() or len(c) > 4]
    if bad:
        errors["industry_codes"] = gettext(
            "行业代码应为 1 至 4 位数字（GB/T 4754 小类代码的前缀）：%(bad)s 不是"
        ) % {"bad": "、".join(bad)}
    tags = list(tags)
    if not codes and not tags:
        errors["industry_codes"] = gettext("请至少填写一个行业代码或选择一个风险标签")
    if ends_on < starts_on:
        errors["ends_on"] = gettext("观察期结束日期不能早于开始日期")
    if errors:
        raise ValidationError(errors)
    target = observation or ObservationType(created_by=_user(actor))
    target.name, target.industry_codes = name.strip(), codes
    target.starts_on, target.ends_on, target.note = starts_on, ends_on, note.strip()
    target.save()
    target.tags.set(tags)
    audit_record(
        actor=actor,
        verb="outcomes.observation_type_save",
        obj=target,
        payload={
            "name": target.name,
            "industry_codes": codes,
            "tags": sorted(t.code for t in tags),
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "edited": observation is not None,
        },
    )
    return target
