"""Cases (行政处罚、行政强制): opened from findings, the parties told of their rights, decided
with the discretion band and its reasons (or no penalty under an exemption entry, or a soft
measure in an observation period), closed once served. Each step is audited.

A penalty or coercive measure decided here is recorded as an enforcement action
(enforcement.services.action_record) linked as `case.action`: it is what the enterprise's
file (一企一档), the figures and the grading count. A case decided without a penalty
(exempted, soft measure) records none."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from wurao.accounts.policy import require
from wurao.audit.services import audit_record
from wurao.enforcement.choices import ActionKind, Severity
from wurao.enforcement.services import action_record
from wurao.outcomes.choices import (
    CaseKind,
    CaseStatus,
    CheckResult,
    Disposition,
    Proposal,
    SoftMeasure,
)
from wurao.outcomes.models import Case, DiscretionBand, DiscretionStandard, ItemCheck
from wurao.outcomes.selectors_cases import observation_for
from wurao.outcomes.selectors_cases_proposal import CaseProposal, case_proposal
from wurao.registry.choices import EnterpriseKind

# 《行政处罚法》第六十三条: a "较大数额罚款" must come with the right to a hearing. The province
# sets the amounts; these are Guangdong's (《广东省行政处罚听证程序实施办法》): 5,000 yuan for a
# natural person (an individual business is run by one), 100,000 yuan for a legal person or
# other organisation. Change them here if the province revises them.
HEARING_AMOUNT_PERSON = Decimal("5000")
HEARING_AMOUNT_ORGANISATION = Decimal("100000")

VERB_DECIDE = "outcomes.case_decide"
VERB_EXEMPTION_OVERRIDE = "outcomes.case_exemption_override"
VERB_OBSERVATION_OVERRIDE = "outcomes.case_observation_override"


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def hearing_amount(enterprise) -> Decimal:
    """The fine from which the hearing must be offered (第六十三条 较大数额)."""
    if enterprise.kind == EnterpriseKind.INDIVIDUAL:
        return HEARING_AMOUNT_PERSON
    return HEARING_AMOUNT_ORGANISATION


def band_severity(band: DiscretionBand | None) -> int:
    """The enforcement action's severity from the band's place among its standard's bands:
    the first (lightest) 1 较轻, the last 3 严重, any between 2 一般. A standard of one band,
    or a measure without a band, counts as 2 一般."""
    if band is None:
        return Severity.GENERAL
    orders = list(band.standard.bands.order_by("order").values_list("order", flat=True))
    if len(orders) < 2:
        return Severity.GENERAL
    if band.order == orders[0]:
        return Severity.MINOR
    if band.order == orders[-1]:
        return Severity.SERIOUS
    return Severity.GENERAL


def case_number(*, department, kind: str, day: datetime.date) -> str:
    """案件编号: the department's code, 罚 or 强, the year and the department's count that year."""
    word = "罚" if kind == CaseKind.PENALTY else "强"
    count = Case.objects.filter(department=department, opened_on__year=day.year).count()
    while True:
        count += 1
        number = f"{department.code}-{word}〔{day.year}〕{count}号"
        if not Case.objects.filter(number=number).exists():
            return number


# ---------------------------------------------------------------- open


@transaction.atomic
def case_open(
    *,
    actor,
    checks: list[ItemCheck],
    kind: str,
    facts: str,
    evidence_summary: str = "",
    officers=(),
    standard: DiscretionStandard | None = None,
    opened_on: datetime.date | None = None,
) -> Case:
    """Open a case from one or more findings of one department at one enterprise. Without a
    `standard`, the department's active standard for one of the findings' items is taken.
    The exemption entry that may apply and the observation period are noted on the case."""
    opened_on = opened_on or timezone.localdate()
    errors: dict[str, str] = {}
    checks = list(checks)
    if not checks:
        raise ValidationError({"checks": gettext("请至少选择一项检查发现的问题")})
    departments = {c.action.department_id for c in checks}
    enterprises = {c.action.enterprise_id for c in checks}
    if len(departments) > 1 or len(enterprises) > 1:
        raise ValidationError({"checks": gettext("一个案件只能涉及同一部门对同一企业的检查发现")})
    department, enterprise = checks[0].action.department, checks[0].action.enterprise
    require(actor, "cases.handle", Case(department=department))
    if any(c.result != CheckResult.FINDING for c in checks):
        errors["checks"] = gettext("只能对“发现问题”的检查结果立案")
    if kind not in CaseKind.values:
        errors["kind"] = gettext("请选择案件类别：行政处罚或行政强制")
    if not facts.strip():
        errors["facts"] = gettext("请写明查明的事实")
    officers = list(officers)
    foreign = [o.name for o in officers if o.department_id != department.pk]
    if foreign:
        errors["officers"] = gettext("承办人员 %(names)s 不属于本部门") % {
            "names": "、".join(foreign)
        }
    if standard is not None and (standard.department_id != department.pk or not standard.active):
        errors["standard"] = gettext("只能选择本部门有效的裁量基准")
    if opened_on < max(c.action.date for c in checks):
        errors["opened_on"] = gettext("立案日期不能早于检查日期")
    if errors:
        raise ValidationError(errors)
    if standard is None:
        items = [c.item_id for c in checks]
        standard = (
            DiscretionStandard.objects.filter(department=department, active=True, item_id__in=items)
            .order_by("code")
            .first()
        )
    case = Case.objects.create(
        number=case_number(department=department, kind=kind, day=opened_on),
        kind=kind,
        enterprise=enterprise,
        department=department,
        opened_on=opened_on,
        facts=facts.strip(),
        evidence_summary=evidence_summary.strip(),
        standard=standard,
        legal_basis=standard.legal_basis if standard else "",
        created_by=_user(actor),
    )
    case.checks.set(checks)
    case.officers.set(officers)
    proposal = case_proposal(case, on=opened_on)
    candidate = proposal.candidate
    case.exemption = candidate.entry if candidate else None
    case.observation = observation_for(enterprise=enterprise, on=opened_on)
    case.save(update_fields=["exemption", "observation"])
    audit_record(
        actor=actor,
        verb="outcomes.case_open",
        obj=case,
        payload={
            "number": case.number,
            "kind": kind,
            "enterprise": enterprise.credit_code,
            "department": department.code,
            "checks": [c.pk for c in checks],
            "officers": [o.badge_no for o in officers],
            "standard": standard.code if standard else "",
            "exemption": case.exemption_id,
            "observation": case.observation_id,
            "opened_on": opened_on.isoformat(),
        },
    )
    return case


# ---------------------------------------------------------------- notify


@transaction.atomic
def case_notify(
    *, actor, case: Case, statement_offered_on: datetime.date, hearing_offered: bool
) -> Case:
    """The parties told of the intended penalty and their rights to state their case and be
    heard (《行政处罚法》第四十四条、第六十三条): open → notified."""
    require(actor, "cases.handle", case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in (CaseStatus.OPEN, CaseStatus.NOTIFIED):
        raise ValidationError({"__all__": gettext("案件已作出决定，不能再告知")})
    if statement_offered_on < case.opened_on:
        raise ValidationError({"statement_offered_on": gettext("告知日期不能早于立案日期")})
    case.statement_offered_on, case.hearing_offered = statement_offered_on, hearing_offered
    case.status = CaseStatus.NOTIFIED
    case.save(update_fields=["statement_offered_on", "hearing_offered", "status"])
    audit_record(
        actor=actor,
        verb="outcomes.case_notify",
        obj=case,
        payload={
            "statement_offered_on": statement_offered_on.isoformat(),
            "hearing_offered": hearing_offered,
        },
    )
    return case


# ---------------------------------------------------------------- decide


def _penalty_errors(
    case: Case, *, disposition, band, amount, measure, hearing_offered: bool
) -> dict[str, str]:
    errors: dict[str, str] = {}
    wanted = Disposition.PENALTY if case.kind == CaseKind.PENALTY else Disposition.MEASURE
    if disposition != wanted:
        errors["disposition"] = gettext("%(kind)s案件的决定应为“%(disposition)s”") % {
            "kind": case.get_kind_display(),
            "disposition": wanted.label,
        }
    if case.status != CaseStatus.NOTIFIED:
        errors["disposition"] = gettext(
            "作出处罚或强制措施决定前，须先告知当事人拟作出的决定及陈述、申辩权利"
        )
    if case.standard_id is None and disposition == Disposition.PENALTY:
        errors["band"] = gettext("行政处罚须适用本部门的裁量基准，请先为案件选择裁量基准")
    if band is None and case.standard_id:
        errors["band"] = gettext("请选择适用的裁量档次")
    elif band is not None and band.standard_id != case.standard_id:
        errors["band"] = gettext("只能选择本案裁量基准的档次")
    if band is not None and band.standard_id == case.standard_id:
        has_amounts = band.min_amount is not None or band.max_amount is not None
        if has_amounts and amount is None:
            errors["amount"] = gettext("“%(band)s”档须填写罚款金额") % {"band": band.name}
        elif amount is not None and not has_amounts:
            errors["amount"] = gettext("“%(band)s”档不含罚款") % {"band": band.name}
        elif amount is not None:
            low, high = band.min_amount, band.max_amount
            if (low is not None and amount < low) or (high is not None and amount > high):
                errors["amount"] = gettext(
                    "罚款 %(amount)s 元不在“%(band)s”档的幅度内（%(low)s 至 %(high)s 元）"
                ) % {
                    "amount": amount,
                    "band": band.name,
                    "low": low if low is not None else "0",
                    "high": high if high is not None else "—",
                }
    if amount is not None and amount >= hearing_amount(case.enterprise) and not hearing_offered:
        errors["hearing_offered"] = gettext(
            "罚款 %(amount)s 元属较大数额（%(limit)s 元以上），须告知当事人有要求听证的权利"
            "（《行政处罚法》第六十三条）"
        ) % {"amount": amount, "limit": hearing_amount(case.enterprise)}
    if not measure:
        errors["measure"] = gettext("请写明处罚种类或强制措施")
    return errors


@transaction.atomic
def case_decide(
    *,
    actor,
    case: Case,
    disposition: str,
    reasoning: str,
    legal_basis: str = "",
    band: DiscretionBand | None = None,
    band_reasons: str = "",
    amount: Decimal | None = None,
    measure: str = "",
    soft_measure: str = "",
    minor_harm: bool = False,
    corrected_on_spot: bool = False,
    override_reason: str = "",
    hearing_requested: bool = False,
    decided_on: datetime.date | None = None,
    served_on: datetime.date | None = None,
) -> Case:
    """Decide the case. The platform's proposal (case_proposal, with the officer's two
    confirmations) is recorded with the decision; penalising where it proposed no penalty
    (an exemption entry's conditions hold) or soft measures (an observation period, no
    serious risk, no refusal to correct) needs a written `override_reason` and is audited as
    an override. A penalty or measure is recorded as an enforcement action (case.action)."""
    require(actor, "cases.handle", case)
    case = (
        Case.objects.select_for_update().select_related("enterprise", "department").get(pk=case.pk)
    )
    decided_on = decided_on or timezone.localdate()
    if case.status not in (CaseStatus.OPEN, CaseStatus.NOTIFIED):
        raise ValidationError({"__all__": gettext("案件已作出决定")})
    proposal = case_proposal(
        case, minor_harm=minor_harm, corrected_on_spot=corrected_on_spot, on=decided_on
    )
    reasoning, legal_basis = reasoning.strip(), (legal_basis or case.legal_basis).strip()
    measure, override_reason = measure.strip(), override_reason.strip()
    errors: dict[str, str] = {}
    if disposition not in Disposition.values:
        errors["disposition"] = gettext("请选择处理结果")
    if not reasoning:
        errors["reasoning"] = gettext("请写明说理：认定的事实、适用的依据和作出决定的理由")
    if decided_on < case.opened_on:
        errors["decided_on"] = gettext("决定日期不能早于立案日期")
    if served_on is not None and served_on < decided_on:
        errors["served_on"] = gettext("送达日期不能早于决定日期")
    penalising = disposition in (Disposition.PENALTY, Disposition.MEASURE)
    verb = VERB_DECIDE
    if disposition == Disposition.EXEMPTED and proposal.kind != Proposal.EXEMPTED:
        errors["disposition"] = gettext(
            "没有条件全部满足的免罚清单事项，不能依免罚清单不予处罚（请确认危害后果轻微、及时改正等条件）"
        )
    if disposition == Disposition.SOFT:
        if proposal.observation is None and proposal.kind != Proposal.EXEMPTED:
            errors["disposition"] = gettext(
                "企业不在新业态观察期内，也不符合免罚条件，不能只采取柔性措施"
            )
        if soft_measure not in SoftMeasure.values:
            errors["soft_measure"] = gettext("请选择柔性措施")
    elif soft_measure:
        errors["soft_measure"] = gettext("只有柔性执法决定才选择柔性措施")
    if penalising:
        errors.update(
            _penalty_errors(
                case,
                disposition=disposition,
                band=band,
                amount=amount,
                measure=measure or (band.measure if band else ""),
                hearing_offered=case.hearing_offered,
            )
        )
        if not legal_basis:
            errors["legal_basis"] = gettext("请写明法律依据")
        if band is not None and not band_reasons.strip():
            errors["band_reasons"] = gettext("请写明适用该档次的理由")
        if proposal.penalty_needs_reason:
            verb = (
                VERB_EXEMPTION_OVERRIDE
                if proposal.kind == Proposal.EXEMPTED
                else VERB_OBSERVATION_OVERRIDE
            )
            if not override_reason:
                errors["override_reason"] = (
                    gettext("平台建议不予处罚（免罚清单条件均满足）；如仍处罚，须写明不采纳的理由")
                    if proposal.kind == Proposal.EXEMPTED
                    else gettext(
                        "企业处于新业态观察期，平台建议先采取柔性措施；如仍处罚，须写明理由"
                        "（发现严重风险或企业拒不改正的除外）"
                    )
                )
    elif override_reason:
        override_reason = ""  # no override: nothing to give a reason for
    if errors:
        raise ValidationError(errors)
    if penalising:
        checks = list(case.checks.select_related("action", "item"))
        case.action = action_record(
            actor=actor,
            enterprise=case.enterprise,
            department=case.department,
            day=decided_on,
            kind=ActionKind.PENALTY if case.kind == CaseKind.PENALTY else ActionKind.COERCIVE,
            origin=checks[0].action.origin,
            items=sorted({c.item for c in checks}, key=lambda i: i.code),
            officers=list(case.officers.all()),
            summary=gettext("%(number)s：%(measure)s")
            % {"number": case.number, "measure": measure or band.measure},
            severity=band_severity(band),
        )
    case.disposition = disposition
    case.proposed = proposal.kind
    if proposal.entry is not None:
        case.exemption = proposal.entry
    case.observation = proposal.observation
    case.minor_harm, case.corrected_on_spot = minor_harm, corrected_on_spot
    case.band = band if penalising else None
    case.band_reasons = band_reasons.strip() if penalising else ""
    case.amount = amount if penalising else None
    case.measure = (measure or (band.measure if band else "")) if penalising else ""
    case.soft_measure = soft_measure if disposition == Disposition.SOFT else ""
    case.legal_basis, case.reasoning = legal_basis, reasoning
    case.override_reason = override_reason if verb != VERB_DECIDE else ""
    case.hearing_requested = hearing_requested
    case.decided_on, case.served_on, case.decided_by = decided_on, served_on, _user(actor)
    case.status = CaseStatus.DECIDED
    case.save()
    audit_record(
        actor=actor,
        verb=verb,
        obj=case,
        payload=_decision_payload(case, proposal),
    )
    return case


def _decision_payload(case: Case, proposal: CaseProposal) -> dict:
    return {
        "number": case.number,
        "disposition": case.disposition,
        "proposed": proposal.kind,
        "exemption": proposal.entry.pk if proposal.entry else None,
        "conditions": {c.code: c.holds for m in proposal.matches[:1] for c in m.conditions},
        "observation": proposal.observation.pk if proposal.observation else None,
        "serious_risk": proposal.serious_risk,
        "refused_correction": proposal.refused_correction,
        "band": case.band.name if case.band else "",
        "band_reasons": case.band_reasons,
        "amount": str(case.amount) if case.amount is not None else "",
        "measure": case.measure,
        "soft_measure": case.soft_measure,
        "override_reason": case.override_reason,
        "action": case.action_id,
        "decided_on": case.decided_on.isoformat(),
    }


# ---------------------------------------------------------------- close


@transaction.atomic
def case_close(
    *, actor, case: Case, closed_on: datetime.date, served_on: datetime.date | None = None
) -> Case:
    """Close a decided case: served (a penalty or measure must have been), then closed."""
    require(actor, "cases.handle", case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.DECIDED:
        raise ValidationError({"__all__": gettext("只有已决定的案件可以结案")})
    served_on = served_on or case.served_on
    errors: dict[str, str] = {}
    if case.disposition in (Disposition.PENALTY, Disposition.MEASURE) and served_on is None:
        errors["served_on"] = gettext("处罚或强制措施决定书须送达后才能结案，请填写送达日期")
    if served_on is not None and served_on < case.decided_on:
        errors["served_on"] = gettext("送达日期不能早于决定日期")
    if closed_on < (served_on or case.decided_on):
        errors["closed_on"] = gettext("结案日期不能早于决定或送达日期")
    if errors:
        raise ValidationError(errors)
    case.served_on, case.closed_on, case.status = served_on, closed_on, CaseStatus.CLOSED
    case.save(update_fields=["served_on", "closed_on", "status"])
    audit_record(
        actor=actor,
        verb="outcomes.case_close",
        obj=case,
        payload={
            "served_on": served_on.isoformat() if served_on else "",
            "closed_on": closed_on.isoformat(),
        },
    )
    return case
