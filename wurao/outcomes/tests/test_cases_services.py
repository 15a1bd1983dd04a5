"""Cases: what the platform proposes, and what the officer may decide."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wurao.accounts.choices import Role
from wurao.accounts.scope import Scope
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.enforcement.choices import ActionKind
from wurao.enforcement.models import EnforcementAction
from wurao.outcomes import services_cases, services_exemptions
from wurao.outcomes.choices import (
    CaseKind,
    CaseStatus,
    Disposition,
    ExemptionKind,
    Hazard,
    Level,
    Proposal,
    RectificationStatus,
    Sector,
    SoftMeasure,
    Topic,
)
from wurao.outcomes.models import Rectification
from wurao.outcomes.selectors_cases import effective_entries, exemption_figures, override_list
from wurao.outcomes.selectors_cases_proposal import case_proposal
from wurao.outcomes.services_checks import notice_issue
from wurao.outcomes.tests.test_cases_helpers import DAY, Desk, district_first_offence
from wurao.registry.choices import EnterpriseKind
from wurao.registry.tests.factories import EnterpriseFactory, RiskTagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    return Desk()


@pytest.fixture
def bureau():
    return UserFactory(role=Role.JUSTICE)


def _open(desk, check, **extra):
    return services_cases.case_open(
        actor=desk.user,
        checks=[check],
        kind=extra.pop("kind", CaseKind.PENALTY),
        facts="检查发现安全出口标志缺失",
        officers=desk.officers,
        opened_on=extra.pop("opened_on", DAY),
        **extra,
    )


def _penalise(desk, case, *, amount=Decimal("1000"), band=None, **extra):
    case = services_cases.case_notify(
        actor=desk.user, case=case, statement_offered_on=case.opened_on, hearing_offered=False
    )
    return services_cases.case_decide(
        actor=desk.user,
        case=case,
        disposition=Disposition.PENALTY,
        band=band or desk.standard.bands.get(order=1),
        band_reasons="首次发现",
        amount=amount,
        reasoning="事实清楚，证据确凿",
        decided_on=extra.pop("decided_on", case.opened_on),
        **extra,
    )


# ---------------------------------------------------------------- exemption proposals


def test_a_first_offence_under_the_districts_entry_is_proposed_no_penalty(desk, bureau):
    # given the district's 首违不罚 entry for the item, and a first finding at an enterprise
    _, entry = district_first_offence(bureau, desk.item)
    case = _open(desk, desk.finding())

    # when the officer confirms minor harm and correction on the spot
    proposal = case_proposal(case, minor_harm=True, corrected_on_spot=True, on=DAY)

    # then the platform proposes no penalty under that entry, the entry noted on the case
    assert proposal.kind == Proposal.EXEMPTED
    assert proposal.entry == entry
    assert case.exemption == entry
    assert [c.holds for c in proposal.candidate.conditions] == [True, True, True]


def test_an_entry_waits_for_the_officers_confirmation_before_it_applies(desk, bureau):
    district_first_offence(bureau, desk.item)
    case = _open(desk, desk.finding())

    proposal = case_proposal(case, on=DAY)

    assert proposal.kind == Proposal.BANDS
    assert proposal.candidate.possible
    assert [c.holds for c in proposal.candidate.conditions] == [True, None, None]


def test_a_major_hazard_is_not_minor_harm(desk, bureau):
    district_first_offence(bureau, desk.item)
    case = _open(desk, desk.finding(hazard=Hazard.MAJOR))

    proposal = case_proposal(case, minor_harm=True, corrected_on_spot=True, on=DAY)

    assert proposal.kind == Proposal.BANDS
    assert "重大隐患" in proposal.matches[0].conditions[1].why


def test_a_second_offence_within_the_lookback_is_no_first_offence(desk, bureau):
    # given an enterprise penalised for the same item last year
    district_first_offence(bureau, desk.item, lookback_days=730)
    enterprise = EnterpriseFactory()
    earlier = _open(desk, desk.finding(enterprise, day=DAY - datetime.timedelta(days=300)))
    earlier.refresh_from_db()
    _penalise(desk, earlier, override_reason="当时清单条件未核实", decided_on=earlier.opened_on)

    # when a new finding of the same item becomes a case
    case = _open(desk, desk.finding(enterprise))
    proposal = case_proposal(case, minor_harm=True, corrected_on_spot=True, on=DAY)

    # then it is no first offence: the bands apply
    assert proposal.kind == Proposal.BANDS
    first = proposal.matches[0].conditions[0]
    assert first.holds is False and earlier.number in first.why


def test_an_offence_before_the_lookback_counts_as_first_again(desk, bureau):
    district_first_offence(bureau, desk.item, lookback_days=100)
    enterprise = EnterpriseFactory()
    earlier = _open(desk, desk.finding(enterprise, day=DAY - datetime.timedelta(days=300)))
    _penalise(desk, earlier, override_reason="理由", decided_on=earlier.opened_on)

    case = _open(desk, desk.finding(enterprise))

    assert case_proposal(case, minor_harm=True, corrected_on_spot=True).kind == Proposal.EXEMPTED


def test_a_rectification_closed_in_time_counts_as_corrected(desk, bureau):
    district_first_offence(bureau, desk.item)
    check = desk.finding()
    notice_issue(
        actor="test",
        action=check.action,
        orders={check: {"requirement": "补设标志", "deadline": DAY, "topic": Topic.FIRE}},
    )
    Rectification.objects.filter(item_check=check).update(
        status=RectificationStatus.CLOSED, closed_on=DAY
    )
    case = _open(desk, check)

    proposal = case_proposal(case, minor_harm=True, corrected_on_spot=False, on=DAY)

    assert proposal.kind == Proposal.EXEMPTED


def test_a_department_inherits_the_city_and_district_entries_and_adds_its_own(desk, bureau):
    city = services_exemptions.exemption_list_create(
        actor=bureau, level=Level.CITY, title="市级清单", published_on=DAY
    )
    services_exemptions.exemption_entry_save(
        actor=bureau,
        exemption_list=city,
        kind=ExemptionKind.MINOR,
        sector=Sector.MARKET,
        violation="未公示营业执照",
    )
    district_first_offence(bureau, desk.item)
    own = services_exemptions.exemption_list_create(
        actor=desk.admin,
        level=Level.DEPARTMENT,
        department=desk.department,
        title="本部门清单",
        published_on=DAY,
    )
    services_exemptions.exemption_entry_save(
        actor=desk.admin,
        exemption_list=own,
        kind=ExemptionKind.FIRST_OFFENCE,
        sector=Sector.WORK_SAFETY,
        violation="未如实记录安全生产教育培训",
    )
    other = Desk("SC", "区市场监管局")
    theirs = services_exemptions.exemption_list_create(
        actor=other.admin,
        level=Level.DEPARTMENT,
        department=other.department,
        title="他部门清单",
        published_on=DAY,
    )
    services_exemptions.exemption_entry_save(
        actor=other.admin,
        exemption_list=theirs,
        kind=ExemptionKind.MINOR,
        sector=Sector.MARKET,
        violation="他部门事项",
    )

    rows = effective_entries(department_id=desk.department.pk)

    assert [(e.violation, inherited) for e, inherited in rows] == [
        ("未公示营业执照", True),
        ("未按规定设置安全出口标志", True),
        ("未如实记录安全生产教育培训", False),
    ]


def test_a_department_may_not_edit_or_deactivate_an_upper_lists_entry(desk, bureau):
    district, entry = district_first_offence(bureau, desk.item)

    with pytest.raises(PermissionDenied):
        services_exemptions.exemption_entry_save(
            actor=desk.admin,
            exemption_list=district,
            entry=entry,
            kind=entry.kind,
            sector=entry.sector,
            violation=entry.violation,
            active=False,
        )
    with pytest.raises(PermissionDenied):
        services_exemptions.exemption_list_create(
            actor=desk.admin, level=Level.DISTRICT, title="x", published_on=DAY
        )
    entry.refresh_from_db()
    assert entry.active


# ---------------------------------------------------------------- the never-exempt guard


@pytest.mark.parametrize("sector", [Sector.EMERGENCY, Sector.DISASTER_PRICES, Sector.HIGH_RISK])
def test_a_never_exempt_sector_cannot_be_entered(desk, bureau, sector):
    district = services_exemptions.exemption_list_create(
        actor=bureau, level=Level.DISTRICT, title="区级", published_on=DAY
    )
    with pytest.raises(ValidationError) as refused:
        services_exemptions.exemption_entry_save(
            actor=bureau,
            exemption_list=district,
            kind=ExemptionKind.MINOR,
            sector=sector,
            violation="哄抬物价",
        )
    assert "不得免罚" in refused.value.message_dict["sector"][0]
    assert not district.entries.exists()


def test_an_item_of_a_listed_high_risk_tag_cannot_be_entered(desk, bureau):
    desk.item.applicable_tags.add(RiskTagFactory(code="hazchem", name="危险化学品"))
    district = services_exemptions.exemption_list_create(
        actor=bureau, level=Level.DISTRICT, title="区级", published_on=DAY
    )
    with pytest.raises(ValidationError) as refused:
        services_exemptions.exemption_entry_save(
            actor=bureau,
            exemption_list=district,
            kind=ExemptionKind.MINOR,
            sector=Sector.WORK_SAFETY,
            violation="x",
            item=desk.item,
        )
    assert "危险化学品" in refused.value.message_dict["item"][0]


# ---------------------------------------------------------------- deciding


def test_no_penalty_under_an_entry_records_no_enforcement_action(desk, bureau):
    district_first_offence(bureau, desk.item)
    case = _open(desk, desk.finding())
    before = EnforcementAction.objects.filter(kind=ActionKind.PENALTY).count()

    case = services_cases.case_decide(
        actor=desk.user,
        case=case,
        disposition=Disposition.EXEMPTED,
        reasoning="初次违法，危害轻微，当场改正",
        minor_harm=True,
        corrected_on_spot=True,
        decided_on=DAY,
    )

    assert case.status == CaseStatus.DECIDED
    assert case.proposed == Proposal.EXEMPTED and case.action is None
    assert EnforcementAction.objects.filter(kind=ActionKind.PENALTY).count() == before
    assert AuditEvent.objects.filter(verb="outcomes.case_decide", object_id=str(case.pk)).exists()


def test_exempting_without_the_conditions_is_refused(desk, bureau):
    district_first_offence(bureau, desk.item)
    case = _open(desk, desk.finding())

    with pytest.raises(ValidationError) as refused:
        services_cases.case_decide(
            actor=desk.user,
            case=case,
            disposition=Disposition.EXEMPTED,
            reasoning="x",
            minor_harm=False,
            corrected_on_spot=True,
            decided_on=DAY,
        )
    assert "disposition" in refused.value.message_dict


def test_penalising_against_an_exemption_needs_a_reason_and_is_audited_as_override(desk, bureau):
    district_first_offence(bureau, desk.item)
    case = _open(desk, desk.finding())
    case = services_cases.case_notify(
        actor=desk.user, case=case, statement_offered_on=DAY, hearing_offered=False
    )
    decision = dict(
        actor=desk.user,
        case=case,
        disposition=Disposition.PENALTY,
        band=desk.standard.bands.get(order=1),
        band_reasons="首次",
        amount=Decimal("500"),
        reasoning="说理",
        minor_harm=True,
        corrected_on_spot=True,
        decided_on=DAY,
    )

    with pytest.raises(ValidationError) as refused:
        services_cases.case_decide(**decision)
    assert "不采纳" in refused.value.message_dict["override_reason"][0]

    case = services_cases.case_decide(**decision, override_reason="企业曾多次被口头提醒")
    event = AuditEvent.objects.get(verb="outcomes.case_exemption_override")
    assert event.payload["override_reason"] == "企业曾多次被口头提醒"
    assert case.action.kind == ActionKind.PENALTY and case.action.severity == 1
    rows = override_list(scope=Scope(sees_all=True), date_from=DAY, date_to=DAY)
    assert [(r["case"], r["kind"], r["by"]) for r in rows] == [(case, "exemption", desk.user)]
    (figures,) = exemption_figures(scope=Scope(sees_all=True), date_from=DAY, date_to=DAY)
    assert figures["overridden"] == 1 and figures["exempted"] == 0


def test_an_amount_outside_the_band_is_refused(desk):
    case = _open(desk, desk.finding())
    with pytest.raises(ValidationError) as refused:
        _penalise(desk, case, amount=Decimal("5000"), band=desk.standard.bands.get(order=1))
    assert "不在“轻微”档的幅度内" in refused.value.message_dict["amount"][0]


def test_a_penalty_needs_the_statement_rights_offered_first(desk):
    case = _open(desk, desk.finding())
    with pytest.raises(ValidationError) as refused:
        services_cases.case_decide(
            actor=desk.user,
            case=case,
            disposition=Disposition.PENALTY,
            band=desk.standard.bands.get(order=2),
            band_reasons="r",
            amount=Decimal("3000"),
            reasoning="r",
            decided_on=DAY,
        )
    assert "陈述、申辩" in refused.value.message_dict["disposition"][0]


def test_a_large_fine_needs_the_hearing_offered(desk):
    case = _open(desk, desk.finding(EnterpriseFactory(kind=EnterpriseKind.ENTERPRISE)))
    with pytest.raises(ValidationError) as refused:
        _penalise(desk, case, amount=Decimal("150000"), band=desk.standard.bands.get(order=3))
    assert "听证" in refused.value.message_dict["hearing_offered"][0]

    case = services_cases.case_notify(
        actor=desk.user, case=case, statement_offered_on=DAY, hearing_offered=True
    )
    case = services_cases.case_decide(
        actor=desk.user,
        case=case,
        disposition=Disposition.PENALTY,
        band=desk.standard.bands.get(order=3),
        band_reasons="拒不改正",
        amount=Decimal("150000"),
        reasoning="r",
        decided_on=DAY,
    )
    assert case.action.severity == 3


def test_bands_must_be_in_order_with_min_not_above_max(desk):
    bad = [
        {
            "name": "轻",
            "circumstances": "a",
            "measure": "罚款",
            "min_amount": 500,
            "max_amount": 100,
        },
    ]
    with pytest.raises(ValidationError) as refused:
        services_exemptions.standard_save(
            actor=desk.admin,
            department=desk.department,
            code="X-1",
            violation="v",
            legal_basis="b",
            bands=bad,
        )
    assert "低于下限" in refused.value.message_dict["band_1_max_amount"][0]
    heavier_first = [
        {
            "name": "重",
            "circumstances": "a",
            "measure": "罚款",
            "min_amount": 1000,
            "max_amount": 5000,
        },
        {"name": "轻", "circumstances": "b", "measure": "罚款", "min_amount": 0, "max_amount": 500},
    ]
    with pytest.raises(ValidationError) as refused:
        services_exemptions.standard_save(
            actor=desk.admin,
            department=desk.department,
            code="X-2",
            violation="v",
            legal_basis="b",
            bands=heavier_first,
        )
    assert "由轻到重" in refused.value.message_dict["band_2_min_amount"][0]


def test_an_inspector_may_not_keep_the_departments_standards(desk):
    with pytest.raises(PermissionDenied):
        services_exemptions.standard_save(
            actor=desk.user,
            department=desk.department,
            code="X-3",
            violation="v",
            legal_basis="b",
            bands=[{"name": "a", "circumstances": "b", "measure": "c"}],
        )


def test_a_case_cannot_take_another_departments_finding_or_officers(desk):
    other = Desk("SC", "区市场监管局")
    with pytest.raises(PermissionDenied):
        _open(desk, other.finding())
    with pytest.raises(ValidationError) as refused:
        services_cases.case_open(
            actor=desk.user,
            checks=[desk.finding()],
            kind=CaseKind.PENALTY,
            facts="f",
            officers=other.officers,
            opened_on=DAY,
        )
    assert "officers" in refused.value.message_dict


# ---------------------------------------------------------------- observation periods


@pytest.fixture
def in_observation(bureau):
    def make(enterprise):
        return services_exemptions.observation_type_save(
            actor=bureau,
            name="无人零售",
            industry_codes=["5292"],
            starts_on=DAY - datetime.timedelta(days=30),
            ends_on=DAY + datetime.timedelta(days=300),
        )

    return make


def test_a_new_business_type_in_its_period_is_proposed_soft_measures(desk, in_observation):
    enterprise = EnterpriseFactory(industry_code="5292")
    observation = in_observation(enterprise)
    case = _open(desk, desk.finding(enterprise))

    proposal = case_proposal(case, on=DAY)

    assert proposal.kind == Proposal.SOFT and proposal.observation == observation
    assert case.observation == observation
    decided = services_cases.case_decide(
        actor=desk.user,
        case=case,
        disposition=Disposition.SOFT,
        soft_measure=SoftMeasure.INTERVIEW,
        reasoning="新业态，先行指导",
        decided_on=DAY,
    )
    assert decided.action is None and decided.soft_measure == SoftMeasure.INTERVIEW


def test_penalising_in_an_observation_period_needs_a_reason(desk, in_observation):
    enterprise = EnterpriseFactory(industry_code="5292")
    in_observation(enterprise)
    case = _open(desk, desk.finding(enterprise))

    with pytest.raises(ValidationError) as refused:
        _penalise(desk, case)
    assert "观察期" in refused.value.message_dict["override_reason"][0]

    case.refresh_from_db()
    case = services_cases.case_decide(
        actor=desk.user,
        case=case,
        disposition=Disposition.PENALTY,
        band=desk.standard.bands.get(order=1),
        band_reasons="r",
        amount=Decimal("800"),
        reasoning="r",
        override_reason="已两次约谈仍未整改",
        decided_on=DAY,
    )
    assert AuditEvent.objects.filter(verb="outcomes.case_observation_override").count() == 1


def test_a_serious_risk_may_be_penalised_in_an_observation_period_without_a_reason(
    desk, in_observation
):
    enterprise = EnterpriseFactory(industry_code="5292")
    in_observation(enterprise)
    case = _open(desk, desk.finding(enterprise, serious=True))

    case = _penalise(desk, case)

    assert case.disposition == Disposition.PENALTY and case.override_reason == ""
    assert not AuditEvent.objects.filter(verb="outcomes.case_observation_override").exists()


def test_an_enterprise_outside_the_types_codes_and_tags_is_not_in_observation(desk, in_observation):
    enterprise = EnterpriseFactory(industry_code="5291")
    in_observation(enterprise)
    case = _open(desk, desk.finding(enterprise))

    assert case_proposal(case, on=DAY).kind == Proposal.BANDS


# ---------------------------------------------------------------- status flow


def test_a_penalty_case_goes_open_notified_decided_closed_each_step_audited(desk):
    case = _open(desk, desk.finding())
    case = _penalise(desk, case, band=desk.standard.bands.get(order=2), amount=Decimal("3000"))
    assert case.action.severity == 2

    with pytest.raises(ValidationError):
        services_cases.case_close(actor=desk.user, case=case, closed_on=DAY)
    case = services_cases.case_close(actor=desk.user, case=case, closed_on=DAY, served_on=DAY)

    assert case.status == CaseStatus.CLOSED
    verbs = list(
        AuditEvent.objects.filter(object_type="outcomes.case", object_id=str(case.pk))
        .order_by("seq")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "outcomes.case_open",
        "outcomes.case_notify",
        "outcomes.case_decide",
        "outcomes.case_close",
    ]
