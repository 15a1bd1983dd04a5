"""The cases API: ids scoped to the writer, the proposal, the override path and the guard."""

import pytest
from rest_framework.test import APIClient

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.outcomes import services_cases
from wurao.outcomes.choices import CaseKind, Disposition, Level, Sector
from wurao.outcomes.models import Case
from wurao.outcomes.services_exemptions import exemption_list_create
from wurao.outcomes.tests.test_cases_helpers import DAY, Desk, district_first_offence
from wurao.registry.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    return Desk()


@pytest.fixture
def bureau():
    return UserFactory(role=Role.JUSTICE)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_case_cannot_name_another_departments_finding_or_officer(desk):
    other = Desk("SC", "区市场监管局")
    api = _api(desk.user)

    answer = api.post(
        "/api/cases/",
        {"checks": [other.finding().pk], "kind": CaseKind.PENALTY, "facts": "f"},
        format="json",
    )
    assert answer.status_code == 400 and "checks" in answer.json()

    answer = api.post(
        "/api/cases/",
        {
            "checks": [desk.finding().pk],
            "kind": CaseKind.PENALTY,
            "facts": "f",
            "officers": [other.officers[0].pk],
        },
        format="json",
    )
    assert answer.status_code == 400 and "officers" in answer.json()


def test_the_api_opens_a_case_proposes_the_exemption_and_audits_an_override(desk, bureau):
    district_first_offence(bureau, desk.item)
    api = _api(desk.user)
    answer = api.post(
        "/api/cases/",
        {
            "checks": [desk.finding().pk],
            "kind": CaseKind.PENALTY,
            "facts": "安全出口标志缺失",
            "opened_on": DAY.isoformat(),
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    case = answer.json()
    assert case["proposal"]["entry"] is not None
    assert [c["holds"] for c in case["proposal"]["conditions"]] == [True, None, None]

    services_cases.case_notify(
        actor=desk.user,
        case=Case.objects.get(pk=case["id"]),
        statement_offered_on=DAY,
        hearing_offered=False,
    )
    body = {
        "disposition": Disposition.PENALTY,
        "minor_harm": True,
        "corrected_on_spot": True,
        "band": desk.standard.bands.get(order=1).pk,
        "band_reasons": "首次",
        "amount": "800.00",
        "reasoning": "说理",
        "decided_on": DAY.isoformat(),
    }
    refused = api.post(f"/api/cases/{case['id']}/decide/", body, format="json")
    assert refused.status_code == 400 and "override_reason" in refused.json()

    answer = api.post(
        f"/api/cases/{case['id']}/decide/",
        {**body, "override_reason": "曾多次提醒"},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["proposed"] == "exempted" and answer.json()["action"]
    assert AuditEvent.objects.filter(verb="outcomes.case_exemption_override").exists()


def test_a_band_of_another_standard_is_refused(desk):
    other = Desk("SC", "区市场监管局")
    case = services_cases.case_open(
        actor=desk.user, checks=[desk.finding()], kind=CaseKind.PENALTY, facts="f", opened_on=DAY
    )
    answer = _api(desk.user).post(
        f"/api/cases/{case.pk}/decide/",
        {
            "disposition": Disposition.PENALTY,
            "band": other.standard.bands.first().pk,
            "reasoning": "r",
        },
        format="json",
    )
    assert answer.status_code == 400 and "band" in answer.json()


def test_the_api_refuses_a_never_exempt_sector(bureau):
    district = exemption_list_create(
        actor=bureau, level=Level.DISTRICT, title="区级", published_on=DAY
    )
    answer = _api(bureau).post(
        f"/api/exemption-lists/{district.pk}/entries/",
        {"kind": "minor", "sector": Sector.EMERGENCY, "violation": "x"},
        format="json",
    )
    assert answer.status_code == 400 and "sector" in answer.json()
    assert not district.entries.exists()


def test_effective_entries_mark_the_inherited_ones(desk, bureau):
    district_first_offence(bureau, desk.item)
    answer = _api(desk.user).get("/api/exemption-lists/effective/")
    assert answer.status_code == 200
    assert [(e["level"], e["inherited"]) for e in answer.json()] == [("district", True)]


def test_an_enterprise_reads_its_decided_case_without_the_proposal(desk):
    enterprise = EnterpriseFactory()
    case = services_cases.case_open(
        actor=desk.user,
        checks=[desk.finding(enterprise)],
        kind=CaseKind.PENALTY,
        facts="f",
        opened_on=DAY,
    )
    api = _api(UserFactory(role=Role.ENTERPRISE, enterprise=enterprise))
    assert api.get(f"/api/cases/{case.pk}/").status_code == 404
    services_cases.case_notify(
        actor=desk.user, case=case, statement_offered_on=DAY, hearing_offered=False
    )
    services_cases.case_decide(
        actor=desk.user,
        case=case,
        disposition=Disposition.PENALTY,
        band=desk.standard.bands.get(order=1),
        band_reasons="r",
        amount=100,
        reasoning="r",
        decided_on=DAY,
    )
    answer = api.get(f"/api/cases/{case.pk}/")
    assert answer.status_code == 200 and answer.json()["proposal"] is None
