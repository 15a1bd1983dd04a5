"""An officer goes from a finding to a case, sees the 首违不罚 proposal and decides no penalty."""

import datetime

import pytest
from django.utils import timezone

from conftest import login
from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.outcomes.choices import Disposition
from wurao.outcomes.models import Case
from wurao.outcomes.tests.test_cases_helpers import Desk, district_first_offence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_decides_an_exempted_first_offence_from_a_finding(page, live_server):
    # given the district's 首违不罚 entry for an item, and a first finding of it three days ago
    desk = Desk()
    district_first_offence(UserFactory(role=Role.JUSTICE), desk.item)
    check = desk.finding(day=timezone.localdate() - datetime.timedelta(days=3))
    login(page, live_server, desk.user.username)

    # when the officer picks the finding and opens a case
    page.goto(f"{live_server.url}/cases/new/")
    page.locator("#finding-pick a", has_text=check.action.enterprise.name).click()
    page.click("#open-button")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # then the case page proposes no penalty once minor harm and correction are confirmed
    proposal = page.locator("#proposal")
    assert "首违不罚：未按规定设置安全出口标志" in proposal.inner_text()
    assert (
        page.locator('#conditions [data-condition="first_offence"]').get_attribute("data-holds")
        == "yes"
    )
    assert page.locator('#conditions [data-holds="pending"]').count() == 2

    # when the officer confirms both and decides no penalty
    page.check("#id_minor_harm")
    page.check("#id_corrected_on_spot")
    assert page.is_checked(f'input[name="disposition"][value="{Disposition.EXEMPTED}"]')
    page.fill("#id_reasoning", "当事人初次违法，危害后果轻微，已当场改正，依法不予处罚。")
    page.click("#decide-button")

    # then the decision says so, no penalty is recorded, on a page that fits a phone
    assert "依免罚清单不予处罚" in page.locator("#disposition").inner_text()
    assert page.locator("#proposal-kind").get_attribute("data-kind") == "exempted"
    case = Case.objects.get()
    assert case.disposition == Disposition.EXEMPTED and case.action is None
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
