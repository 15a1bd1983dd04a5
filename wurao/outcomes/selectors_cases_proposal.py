"""What the platform proposes for a case (pure reading, nothing written).

In this order (龙华区司法局 2022 调研报告 三.八: 不以罚代管):

1. an exemption entry (免罚清单) of the department's effective lists that names one of the
   case's items or its discretion standard, whose conditions all hold: no penalty
   (《行政处罚法》第三十三条: 初次违法且危害后果轻微并及时改正的，可以不予行政处罚);
2. the enterprise in an observation period for new business types (新业态观察期) on the
   case's date: soft measures first (说服教育、劝导示范、警示告诫、指导约谈);
3. otherwise the discretion standard's bands.

The conditions of an entry:

- 初次违法: no earlier case of the enterprise for the same entry, item or standard decided as
  a penalty or exempted within the entry's lookback days;
- 危害后果轻微: no finding of the case is a major hazard, and the officer confirms it on the
  decision form;
- 及时改正: every finding's rectification was closed on or before its deadline, or the officer
  confirms the enterprise corrected on the spot.

Until the officer has answered (None), a condition that needs the answer is "pending": the
page says what would make the entry apply.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.utils import timezone
from django.utils.translation import gettext

from wurao.outcomes.choices import (
    CaseStatus,
    Disposition,
    Hazard,
    Proposal,
    RectificationStatus,
)
from wurao.outcomes.models import Case, DiscretionBand, ExemptionEntry, ObservationType
from wurao.outcomes.selectors_cases import effective_entries, observation_for


@dataclasses.dataclass(frozen=True)
class Condition:
    code: str  # first_offence, minor_harm, corrected
    label: str
    holds: bool | None  # None: waits for the officer's confirmation
    why: str


@dataclasses.dataclass(frozen=True)
class EntryMatch:
    entry: ExemptionEntry
    inherited: bool
    conditions: tuple[Condition, ...]

    @property
    def holds(self) -> bool:
        return all(c.holds is True for c in self.conditions)

    @property
    def possible(self) -> bool:
        """No condition fails; some may wait for the officer."""
        return all(c.holds is not False for c in self.conditions)


@dataclasses.dataclass(frozen=True)
class CaseProposal:
    kind: str  # Proposal
    entry: ExemptionEntry | None  # the entry whose conditions hold (EXEMPTED)
    matches: tuple[EntryMatch, ...]  # every entry naming the case's items or standard
    observation: ObservationType | None
    serious_risk: bool
    refused_correction: bool
    bands: tuple[DiscretionBand, ...]
    reason: str

    @property
    def candidate(self) -> EntryMatch | None:
        """The entry that applies, or else the first that still may (officer to confirm)."""
        return next((m for m in self.matches if m.holds), None) or next(
            (m for m in self.matches if m.possible), None
        )

    @property
    def penalty_needs_reason(self) -> bool:
        """Penalising needs a written reason: an entry's conditions hold, or the enterprise is
        in an observation period and no finding is a serious risk nor did it refuse to correct."""
        if self.kind == Proposal.EXEMPTED:
            return True
        return self.kind == Proposal.SOFT and not (self.serious_risk or self.refused_correction)


def _first_offence(case: Case, entry: ExemptionEntry, on: datetime.date) -> Condition:
    since = on - datetime.timedelta(days=entry.lookback_days)
    earlier = Case.objects.filter(
        enterprise_id=case.enterprise_id,
        status__in=(CaseStatus.DECIDED, CaseStatus.CLOSED),
        disposition__in=(Disposition.PENALTY, Disposition.EXEMPTED),
        decided_on__gte=since,
        decided_on__lte=on,
    ).exclude(pk=case.pk)
    same = earlier.filter(exemption=entry)
    if entry.item_id:
        same = same | earlier.filter(checks__item_id=entry.item_id)
    if entry.standard_id:
        same = same | earlier.filter(standard_id=entry.standard_id)
    before = same.distinct().order_by("-decided_on").first()
    label = gettext("初次违法")
    if before is None:
        return Condition(
            "first_offence",
            label,
            True,
            gettext("%(days)s 日内没有同一事项的处罚或免罚案件") % {"days": entry.lookback_days},
        )
    return Condition(
        "first_offence",
        label,
        False,
        gettext("%(day)s 已有同一事项的案件 %(number)s（%(disposition)s）")
        % {
            "day": before.decided_on.isoformat(),
            "number": before.number,
            "disposition": before.get_disposition_display(),
        },
    )


def _minor_harm(checks: list, confirmed: bool | None) -> Condition:
    label = gettext("危害后果轻微")
    if any(c.hazard == Hazard.MAJOR for c in checks):
        return Condition("minor_harm", label, False, gettext("检查发现重大隐患"))
    if confirmed is None:
        return Condition("minor_harm", label, None, gettext("无重大隐患，待承办人确认"))
    if confirmed:
        return Condition("minor_harm", label, True, gettext("无重大隐患，承办人已确认"))
    return Condition("minor_harm", label, False, gettext("承办人未确认危害后果轻微"))


def _corrected(checks: list, on_spot: bool | None) -> Condition:
    label = gettext("及时改正")
    rectifications = [getattr(c, "rectification", None) for c in checks]
    in_time = all(
        r is not None
        and r.status == RectificationStatus.CLOSED
        and r.closed_on is not None
        and r.closed_on <= r.deadline
        for r in rectifications
    )
    if in_time:
        return Condition("corrected", label, True, gettext("整改均在期限内完成"))
    if on_spot:
        return Condition("corrected", label, True, gettext("承办人确认已当场改正"))
    if on_spot is None:
        return Condition(
            "corrected", label, None, gettext("整改尚未在期限内完成，待承办人确认是否当场改正")
        )
    return Condition("corrected", label, False, gettext("整改未在期限内完成，也未当场改正"))


def _refused_correction(checks: list, on: datetime.date) -> bool:
    """A rectification of the findings overdue, or a re-check that found it not put right."""
    for check in checks:
        r = getattr(check, "rectification", None)
        if r is None:
            continue
        if r.overdue_on:
            return True
        if r.status != RectificationStatus.CLOSED and (r.deadline < on or r.recheck_id):
            return True
    return False


def _checks(case: Case) -> list:
    return list(case.checks.select_related("item", "rectification").order_by("pk"))


def case_proposal(
    case: Case,
    *,
    minor_harm: bool | None = None,
    corrected_on_spot: bool | None = None,
    on: datetime.date | None = None,
) -> CaseProposal:
    """What the platform proposes for the case: see the module's docstring. `minor_harm` and
    `corrected_on_spot` are the officer's confirmations (None: not yet asked)."""
    on = on or case.decided_on or timezone.localdate()
    checks = _checks(case)
    item_ids = {c.item_id for c in checks}
    matches = []
    for entry, inherited in effective_entries(department_id=case.department_id):
        names_it = (entry.item_id and entry.item_id in item_ids) or (
            entry.standard_id and entry.standard_id == case.standard_id
        )
        if not names_it:
            continue
        conditions = []
        if entry.needs_first_offence:
            conditions.append(_first_offence(case, entry, on))
        if entry.needs_minor_harm:
            conditions.append(_minor_harm(checks, minor_harm))
        if entry.needs_corrected:
            conditions.append(_corrected(checks, corrected_on_spot))
        matches.append(EntryMatch(entry, inherited, tuple(conditions)))
    observation = observation_for(enterprise=case.enterprise, on=case.opened_on)
    serious = any(c.serious_risk for c in checks)
    refused = _refused_correction(checks, on)
    bands = tuple(case.standard.bands.order_by("order")) if case.standard_id else ()
    holding = next((m for m in matches if m.holds), None)
    if holding is not None:
        kind, reason = (
            Proposal.EXEMPTED,
            gettext("符合免罚清单“%(entry)s”（%(kind)s）的全部条件，建议不予处罚，教育并责令改正")
            % {"entry": holding.entry.violation, "kind": holding.entry.get_kind_display()},
        )
    elif observation is not None:
        kind, reason = (
            Proposal.SOFT,
            gettext(
                "企业属于新业态“%(name)s”，处于观察期（%(start)s 至 %(end)s），建议先采取说服教育、"
                "劝导示范、警示告诫或指导约谈等柔性措施"
            )
            % {
                "name": observation.name,
                "start": observation.starts_on.isoformat(),
                "end": observation.ends_on.isoformat(),
            },
        )
    else:
        kind, reason = (
            Proposal.BANDS,
            gettext("没有条件全部满足的免罚清单事项，按裁量基准选择适用档次")
            if case.standard_id
            else gettext("没有条件全部满足的免罚清单事项，请选择裁量基准后按档次处理"),
        )
    return CaseProposal(
        kind=kind,
        entry=holding.entry if holding else None,
        matches=tuple(matches),
        observation=observation,
        serious_risk=serious,
        refused_correction=refused,
        bands=bands,
        reason=reason,
    )
