"""Every sign-in, failure, lockout, sign-out and token is in the audit chain, with the client
address and never the password (等保2.0 三级 安全审计)."""

import json

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "pass-12345"
ADDRESS = "203.0.113.7"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def officer(db):
    return UserFactory(username="sfj", role=Role.JUSTICE)


def sign_in(client, username, password):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ADDRESS)


def events(verb_prefix: str = "auth.") -> list[tuple[str, str, dict]]:
    return [
        (e.verb, e.actor_label, e.payload)
        for e in AuditEvent.objects.filter(verb__startswith=verb_prefix).order_by("seq")
    ]


def test_a_sign_in_and_a_sign_out_are_recorded_with_the_address(client, officer):
    sign_in(client, "sfj", PASSWORD)
    client.post("/logout/", REMOTE_ADDR=ADDRESS)

    assert [(verb, actor) for verb, actor, _ in events()] == [
        ("auth.login", "sfj"),
        ("auth.logout", "sfj"),
    ]
    login = AuditEvent.objects.get(verb="auth.login")
    assert login.actor_id == officer.pk and login.object_id == str(officer.pk)
    assert login.payload["address"] == ADDRESS and login.payload["via"] == "page"


def test_a_failed_sign_in_names_the_attempted_account_and_never_the_password(client, officer):
    sign_in(client, "sfj", "my-secret-guess")
    sign_in(client, "nobody", "another-secret")

    assert [(verb, actor) for verb, actor, _ in events()] == [
        ("auth.login_failed", "sfj"),
        ("auth.login_failed", "nobody"),
    ]
    payload = events()[0][2]
    assert payload == {
        "username": "sfj",
        "address": ADDRESS,
        "path": "/login/",
        "reason": "credentials",
    }
    logged = json.dumps([e.payload for e in AuditEvent.objects.all()], ensure_ascii=False)
    assert "my-secret-guess" not in logged and "another-secret" not in logged


def test_a_lockout_is_recorded_once_and_each_refused_try_after_it(client, officer):
    # when six wrong passwords come in a row
    for n in range(6):
        sign_in(client, "sfj", f"guess-{n}")

    # then five failures, the lockout that the fifth set, and one try refused while locked
    verbs = [(verb, payload.get("reason")) for verb, _, payload in events()]
    assert verbs == [("auth.login_failed", "credentials")] * 5 + [
        ("auth.locked_out", None),
        ("auth.login_failed", "locked"),
    ]
    lockout = AuditEvent.objects.get(verb="auth.locked_out")
    assert lockout.actor_label == "sfj" and lockout.payload["address"] == ADDRESS
    assert lockout.payload["until"]


def test_a_token_handed_out_and_a_failure_on_the_api_are_recorded(officer):
    api = APIClient()
    api.post("/api/auth/token/", {"username": "sfj", "password": "nope"}, REMOTE_ADDR=ADDRESS)
    api.post("/api/auth/token/", {"username": "sfj", "password": PASSWORD}, REMOTE_ADDR=ADDRESS)

    assert [(verb, actor) for verb, actor, _ in events()] == [
        ("auth.login_failed", "sfj"),
        ("auth.token_obtained", "sfj"),
    ]
    failed, obtained = (payload for _, _, payload in events())
    assert failed["path"] == "/api/auth/token/" and failed["address"] == ADDRESS
    assert obtained["address"] == ADDRESS and obtained["new_token"] is True
