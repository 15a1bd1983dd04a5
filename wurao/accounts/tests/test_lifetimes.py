"""A session lasts a working day (WURAO_SESSION_HOURS, 8) and an API token a day
(WURAO_TOKEN_TTL_HOURS, 24); signing in starts a new session."""

import datetime

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "pass-12345"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def officer(department):
    return UserFactory(username="yj_admin", role=Role.DEPT_ADMIN, department=department)


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def test_the_defaults_are_a_working_day_and_a_day():
    assert django_settings.SESSION_COOKIE_AGE == 8 * 3600
    assert django_settings.WURAO_TOKEN_TTL_HOURS == 24


def test_a_session_ends_after_eight_hours(client, officer, clock):
    client.post("/login/", {"username": "yj_admin", "password": PASSWORD})

    clock.shift(datetime.timedelta(hours=7, minutes=59))
    assert client.get("/catalogue/").status_code == 200

    clock.shift(datetime.timedelta(minutes=2))
    response = client.get("/catalogue/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_session_age_is_a_setting(client, settings, officer, clock):
    settings.SESSION_COOKIE_AGE = 3600
    client.post("/login/", {"username": "yj_admin", "password": PASSWORD})

    clock.shift(datetime.timedelta(hours=1, minutes=1))

    assert client.get("/catalogue/").status_code == 302


def test_signing_in_starts_a_new_session(client, officer):
    # given a session someone planted in the browser before the sign-in
    planted = SessionStore()
    planted["planted"] = True
    planted.create()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = planted.session_key

    client.post("/login/", {"username": "yj_admin", "password": PASSWORD})

    # then the signed-in session has another key, and the planted one is gone
    assert client.cookies[django_settings.SESSION_COOKIE_NAME].value != planted.session_key
    assert not SessionStore().exists(planted.session_key)


def obtain(api):
    return api.post(
        "/api/auth/token/", {"username": "yj_admin", "password": PASSWORD}, format="json"
    )


def test_a_token_expires_after_its_lifetime_and_a_new_one_is_issued(officer, clock):
    api = APIClient()
    first = obtain(api).json()
    assert datetime.datetime.fromisoformat(
        first["expires_at"]
    ) == timezone.now() + datetime.timedelta(hours=24)
    api.credentials(HTTP_AUTHORIZATION=f"Token {first['token']}")

    # within the day the token works, and signing in again hands out the same one
    clock.shift(datetime.timedelta(hours=23, minutes=59))
    assert api.get("/api/auth/me/").status_code == 200
    assert obtain(APIClient()).json()["token"] == first["token"]

    # after it, it is refused with a reason, as 401
    clock.shift(datetime.timedelta(minutes=1))
    refused = api.get("/api/auth/me/")
    assert refused.status_code == 401
    assert refused.json()["detail"] == "令牌已过期：请重新用用户名和密码（及验证码）获取令牌。"

    # and signing in again gives a new token that works, while the old one never will
    second = obtain(APIClient()).json()["token"]
    assert second != first["token"]
    fresh = APIClient()
    fresh.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert fresh.get("/api/auth/me/").status_code == 200
    assert api.get("/api/auth/me/").status_code == 401
    issued = AuditEvent.objects.filter(verb="auth.token_obtained").order_by("seq")
    assert [e.payload["new_token"] for e in issued] == [True, False, True]


def test_the_token_lifetime_is_a_setting(settings, officer, clock):
    settings.WURAO_TOKEN_TTL_HOURS = 1
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {obtain(APIClient()).json()['token']}")

    clock.shift(datetime.timedelta(minutes=61))

    assert api.get("/api/auth/me/").status_code == 401
