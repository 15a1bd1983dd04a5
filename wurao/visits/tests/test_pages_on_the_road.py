"""The officer's pages as used on the way to an enterprise: today's visits on top of the list,
and an officer picker that finds a colleague by name or badge and will not send one whose
certificate does not cover the day."""

import datetime
import re

import pytest
from django.utils import timezone

from wurao.registry.tests.factories import InspectorFactory
from wurao.visits.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db

NEW = "/visits/new/"


@pytest.fixture
def admin_client(client, dept_admin):
    client.force_login(dept_admin)
    return client


def _codes_in_order(body: str) -> list[str]:
    return re.findall(r'class="visit-code" href="/visits/([^/]+)/"', body)


def test_the_list_shows_today_first_then_the_coming_visits_then_the_past(
    admin_client, department, enterprise
):
    # given a department's visits last month, next month, tomorrow, today and last week
    today = timezone.localdate()
    days = {
        "last_month": today - datetime.timedelta(days=30),
        "next_month": today + datetime.timedelta(days=30),
        "tomorrow": today + datetime.timedelta(days=1),
        "today": today,
        "last_week": today - datetime.timedelta(days=7),
    }
    visits = {
        name: VisitFactory(enterprise=enterprise, department=department, date=day)
        for name, day in days.items()
    }

    # when an officer opens the list
    body = admin_client.get("/visits/").content.decode()

    # then today's visit is on top, the coming ones follow soonest first, then the past latest
    # first, each run under its heading
    order = ["today", "tomorrow", "next_month", "last_week", "last_month"]
    assert _codes_in_order(body) == [visits[name].code for name in order]
    assert re.findall(r'data-when="(\d)"', body) == ["0", "1", "2"]
    assert "今天" in body and "即将入企" in body and "以往入企" in body


def test_an_officer_whose_certificate_has_ended_is_listed_last_and_cannot_be_ticked(
    admin_client, department
):
    # given one officer whose certificate ended last month and two whose certificates run on
    today = timezone.localdate()
    ended = today - datetime.timedelta(days=30)
    lapsed = InspectorFactory(
        department=department, name="黄秀雪", badge_no="A001", certificate_valid_until=ended
    )
    far = datetime.date(2099, 12, 31)
    fit = [
        InspectorFactory(
            department=department, name=name, badge_no=badge, certificate_valid_until=far
        )
        for name, badge in (("李明", "A002"), ("王芳", "A003"))
    ]

    # when an officer opens the registration form
    body = admin_client.get(NEW).content.decode()

    # then the lapsed officer comes after the others, greyed out with the reason
    boxes = re.findall(r'<input type="checkbox" name="officers" value="(\d+)"([^>]*)>', body)
    assert [int(pk) for pk, _ in boxes] == [fit[0].pk, fit[1].pk, lapsed.pk]
    assert "disabled" in boxes[2][1] and "disabled" not in boxes[0][1]
    assert f'data-valid-until="{ended.isoformat()}"' in boxes[2][1]
    assert f"执法证 {ended:%Y-%m-%d} 到期，入企当日不能执法" in body


def test_a_long_officer_list_has_a_search_box(admin_client, department):
    # given a department of twenty officers
    far = datetime.date(2099, 12, 31)
    InspectorFactory.create_batch(20, department=department, certificate_valid_until=far)

    # when an officer opens the registration form
    body = admin_client.get(NEW).content.decode()

    # then a search box filters the list by name or badge (web/pickers.js), each box carrying
    # what it is found by
    assert 'id="officer-filter"' in body and 'data-filter-list="#id_officers"' in body
    assert body.count("data-filter-text=") == 20
    assert "web/pickers.js" in body


def test_the_day_field_only_includes_what_is_always_on_the_page(admin_client, department):
    # given the registration form on a day with no late reason asked for
    body = admin_client.get(NEW).content.decode()

    # then the day field's request includes the late-reason slot, which is there already
    # (a selector matching nothing is an error in the browser's console)
    assert 'hx-include="#late-reason-slot"' in body
    assert 'id="late-reason-slot"' in body
    assert "[name=late_reason]" not in body


def test_the_whole_districts_list_stays_latest_first(client, justice_user, department, enterprise):
    # given a visit next month and one today
    today = timezone.localdate()
    coming = VisitFactory(
        enterprise=enterprise, department=department, date=today + datetime.timedelta(days=30)
    )
    now = VisitFactory(enterprise=enterprise, department=department, date=today)
    client.force_login(justice_user)

    # when the justice bureau opens the list of every visit in the district
    body = client.get("/visits/").content.decode()

    # then it is latest first, without the today / coming / past headings
    assert _codes_in_order(body) == [coming.code, now.code]
    assert "data-when=" not in body
