"""The case pages and the pages of the published rules, as their users meet them."""

import pytest
from django.urls import reverse

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.outcomes import services_cases
from wurao.outcomes.choices import CaseKind, Disposition, Level, Sector
from wurao.outcomes.models import Case, ExemptionEntry
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


def _open(desk, check):
    return services_cases.case_open(
        actor=desk.user,
        checks=[check],
        kind=CaseKind.PENALTY,
        facts="安全出口标志缺失",
        opened_on=DAY,
    )


def test_an_officer_opens_a_case_from_a_finding_and_sees_the_first_offence_proposal(
    client, desk, bureau
):
    # given the district's 首违不罚 entry and a finding of the officer's department
    district_first_offence(bureau, desk.item)
    check = desk.finding()
    client.force_login(desk.user)

    # when the officer opens a case from the finding
    page = client.get(reverse("cases:case-new") + f"?check={check.pk}")
    assert page.status_code == 200
    answer = client.post(
        reverse("cases:case-new") + f"?check={check.pk}",
        {
            "checks": [check.pk],
            "kind": CaseKind.PENALTY,
            "facts": "安全出口标志缺失",
            "officers": [desk.officers[0].pk],
            "opened_on": DAY.isoformat(),
        },
    )
    case = Case.objects.get()
    assert answer.status_code == 302

    # then the case page names the entry and what the officer still has to confirm
    text = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "首违不罚：未按规定设置安全出口标志" in text
    assert "待确认" in text

    # and deciding no penalty with the confirmations records it
    answer = client.post(
        reverse("cases:case-decide", args=[case.pk]),
        {
            "disposition": Disposition.EXEMPTED,
            "minor_harm": "on",
            "corrected_on_spot": "on",
            "reasoning": "初次违法、危害轻微并当场改正，依法不予处罚",
            "decided_on": DAY.isoformat(),
        },
    )
    assert answer.status_code == 302
    case.refresh_from_db()
    assert case.disposition == Disposition.EXEMPTED and case.action is None


def test_penalising_without_a_reason_shows_the_override_field_refused(client, desk, bureau):
    district_first_offence(bureau, desk.item)
    case = _open(desk, desk.finding())
    services_cases.case_notify(
        actor=desk.user, case=case, statement_offered_on=DAY, hearing_offered=False
    )
    client.force_login(desk.user)
    band = desk.standard.bands.get(order=1)

    answer = client.post(
        reverse("cases:case-decide", args=[case.pk]),
        {
            "disposition": Disposition.PENALTY,
            "minor_harm": "on",
            "corrected_on_spot": "on",
            "band": band.pk,
            "band_reasons": "首次",
            "amount": "500",
            "legal_basis": "依据",
            "reasoning": "说理",
            "decided_on": DAY.isoformat(),
        },
    )

    assert answer.status_code == 400
    assert "须写明不采纳的理由" in answer.content.decode()


def test_a_case_of_another_department_is_not_found(client, desk):
    case = _open(desk, desk.finding())
    other = Desk("SC", "区市场监管局")
    client.force_login(other.user)

    assert client.get(reverse("cases:case-detail", args=[case.pk])).status_code == 404
    check = desk.finding()
    assert client.get(reverse("cases:case-new") + f"?check={check.pk}").status_code == 404


def test_an_enterprise_sees_its_case_only_once_decided(client, desk):
    enterprise = EnterpriseFactory()
    case = _open(desk, desk.finding(enterprise))
    user = UserFactory(role=Role.ENTERPRISE, enterprise=enterprise)
    client.force_login(user)

    assert client.get(reverse("cases:case-detail", args=[case.pk])).status_code == 404
    assert case.number not in client.get(reverse("cases:case-list")).content.decode()

    services_cases.case_notify(
        actor=desk.user, case=case, statement_offered_on=DAY, hearing_offered=False
    )
    services_cases.case_decide(
        actor=desk.user,
        case=case,
        disposition=Disposition.PENALTY,
        band=desk.standard.bands.get(order=1),
        band_reasons="首次",
        amount=500,
        reasoning="说理",
        decided_on=DAY,
    )
    text = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "予以处罚" in text and 'id="proposal"' not in text


def test_the_entry_form_does_not_offer_the_never_exempt_sectors(client, bureau):
    district = exemption_list_create(
        actor=bureau, level=Level.DISTRICT, title="区级", published_on=DAY
    )
    client.force_login(bureau)
    url = reverse("cases:exemption-entry-new", args=[district.pk])

    text = client.get(url).content.decode()
    assert "灾害期间哄抬物价" not in text.split('name="sector"')[1].split("</select>")[0]

    answer = client.post(
        url,
        {
            "kind": "minor",
            "sector": Sector.DISASTER_PRICES,
            "violation": "哄抬口罩价格",
            "lookback_days": 730,
            "needs_minor_harm": "on",
        },
    )
    assert answer.status_code == 400
    assert not ExemptionEntry.objects.exists()


def test_a_departments_page_shows_the_inherited_entries_read_only(client, desk, bureau):
    district, entry = district_first_offence(bureau, desk.item)
    client.force_login(desk.admin)

    text = client.get(reverse("cases:exemption-index")).content.decode()
    assert "未按规定设置安全出口标志" in text and "只读" in text
    edit = reverse("cases:exemption-entry-edit", args=[district.pk, entry.pk])
    assert edit not in text
    assert client.post(edit, {"violation": "x"}).status_code == 403


def test_a_department_admin_writes_a_standard_with_its_bands(client, desk):
    client.force_login(desk.admin)
    answer = client.post(
        reverse("cases:standard-new"),
        {
            "code": "YJ-CL-002",
            "violation": "未建立安全生产教育培训档案",
            "legal_basis": "《安全生产法》第九十七条",
            "active": "on",
            "band_1_name": "轻微",
            "band_1_circumstances": "首次",
            "band_1_measure": "罚款",
            "band_1_min_amount": "0",
            "band_1_max_amount": "30000",
            "band_2_name": "严重",
            "band_2_circumstances": "拒不改正",
            "band_2_measure": "罚款",
            "band_2_min_amount": "30000",
            "band_2_max_amount": "100000",
        },
    )
    assert answer.status_code == 302
    text = client.get(answer.url).content.decode()
    assert "未建立安全生产教育培训档案" in text and "拒不改正" in text


def test_a_band_with_min_above_max_is_refused_on_the_page(client, desk):
    client.force_login(desk.admin)
    answer = client.post(
        reverse("cases:standard-new"),
        {
            "code": "YJ-CL-003",
            "violation": "v",
            "legal_basis": "b",
            "band_1_name": "轻微",
            "band_1_circumstances": "c",
            "band_1_measure": "罚款",
            "band_1_min_amount": "5000",
            "band_1_max_amount": "100",
        },
    )
    assert answer.status_code == 400
    assert "低于下限" in answer.content.decode()


def test_only_the_bureau_keeps_the_observation_periods(client, desk, bureau):
    client.force_login(desk.admin)
    assert client.get(reverse("cases:observation-new")).status_code == 403
    client.force_login(bureau)
    answer = client.post(
        reverse("cases:observation-new"),
        {
            "name": "无人零售",
            "industry_codes": "5292, 6572",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
    )
    assert answer.status_code == 302
    assert "5292、6572" in client.get(reverse("cases:observation-list")).content.decode()


@pytest.mark.parametrize("value", ["9223372036854775808", "abc", "-1", "0"])
def test_an_odd_id_in_a_query_is_no_server_error(client, desk, bureau, value):
    client.force_login(bureau)
    assert client.get(reverse("cases:standard-list"), {"department": value}).status_code == 200
    assert client.get(reverse("cases:exemption-index"), {"department": value}).status_code == 200
    client.force_login(desk.user)
    assert client.get(reverse("cases:case-new"), {"check": value}).status_code == 404
