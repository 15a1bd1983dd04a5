"""Failed sign-ins lock the account (after 5) and the client address (after 20) for 15 minutes.

The count is in the database (every worker shares it), by the address of
wurao.common.client_ip: a client that sends a new X-Forwarded-For with every try is still the
same client, with no proxy in front (WURAO_TRUSTED_PROXIES=0) and behind one (=1, the proxy
appending the address it saw). The login page and the token API count together.
"""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-12345"
PROXY = "192.0.2.10"  # the reverse proxy, as gunicorn sees it
CLIENT = "203.0.113.7"  # the client, as the proxy sees it


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # the token API's rate throttle counts in the cache
    yield
    cache.clear()


@pytest.fixture
def officer(db):
    return UserFactory(username="sfj", role=Role.JUSTICE)


def _headers(proxies: int, forged: str, client: str = CLIENT) -> dict:
    """A request as gunicorn receives it: directly from the client, or through one proxy
    that appended the client's address to whatever the client wrote."""
    if proxies == 0:
        return {"REMOTE_ADDR": client, "HTTP_X_FORWARDED_FOR": forged}
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{forged}, {client}"}


def sign_in(client, username: str, password: str, **headers):
    return client.post("/login/", {"username": username, "password": password}, **headers)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("proxies", [0, 1])
def test_120_wrong_passwords_then_the_right_one_is_refused(client, settings, officer, proxies):
    settings.WURAO_TRUSTED_PROXIES = proxies

    # when a client tries 120 wrong passwords, forging a new X-Forwarded-For every time
    for n in range(120):
        sign_in(client, "sfj", f"guess-{n}", **_headers(proxies, f"198.51.100.{n}"))

    # then the right password is refused too, and the page says the account is locked
    response = sign_in(client, "sfj", PASSWORD, **_headers(proxies, "198.51.100.200"))
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert not signed_in(client)


def test_the_account_is_locked_whatever_addresses_the_tries_come_from(client, officer):
    # when five tries come from five different addresses
    for n in range(5):
        sign_in(client, "sfj", f"guess-{n}", REMOTE_ADDR=f"203.0.113.{n + 1}")

    # then the account is locked from a sixth address as well
    response = sign_in(client, "sfj", PASSWORD, REMOTE_ADDR="203.0.113.99")
    assert response.status_code == 429 and not signed_in(client)


def test_four_wrong_passwords_do_not_lock(client, officer):
    for n in range(4):
        assert sign_in(client, "sfj", f"guess-{n}").status_code == 200

    assert sign_in(client, "sfj", PASSWORD).status_code == 302
    assert signed_in(client)


@pytest.mark.parametrize("proxies", [0, 1])
def test_an_address_trying_many_accounts_is_locked(client, settings, officer, proxies):
    settings.WURAO_TRUSTED_PROXIES = proxies

    # when one client tries a password for twenty accounts, forging its address every time
    for n in range(20):
        sign_in(client, f"clerk{n}", "123456", **_headers(proxies, f"198.51.100.{n}"))

    # then that client cannot sign in, even rightly
    refused = sign_in(client, "sfj", PASSWORD, **_headers(proxies, "198.51.100.99"))
    assert refused.status_code == 429 and not signed_in(client)

    # while the officer, from another address, can: the account itself was never tried
    elsewhere = sign_in(client, "sfj", PASSWORD, **_headers(proxies, "x", client="203.0.113.50"))
    assert elsewhere.status_code == 302 and signed_in(client)


def test_the_page_says_until_when_and_the_lock_ends_then(client, officer):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        # when the fifth wrong password comes at `start`
        for n in range(5):
            response = sign_in(client, "sfj", f"guess-{n}")

        # then that answer already says the account is locked until 15 minutes later
        until = timezone.localtime(start + datetime.timedelta(minutes=15))
        assert response.status_code == 429
        assert until.strftime("%Y-%m-%d %H:%M") in response.content.decode()
        assert int(response["Retry-After"]) == 15 * 60 + 1

        # and tries during the lock are refused without moving it
        clock.shift(datetime.timedelta(minutes=14))
        later = sign_in(client, "sfj", PASSWORD)
        assert later.status_code == 429
        assert until.strftime("%Y-%m-%d %H:%M") in later.content.decode()

        # once the 15 minutes are over, the right password works again
        clock.shift(datetime.timedelta(minutes=1, seconds=1))
        assert sign_in(client, "sfj", PASSWORD).status_code == 302
        assert signed_in(client)


def test_a_sign_in_forgives_the_account_s_own_failures(client, officer):
    # given four wrong passwords, then the right one
    for n in range(4):
        sign_in(client, "sfj", f"guess-{n}")
    assert sign_in(client, "sfj", PASSWORD).status_code == 302
    client.post("/logout/")

    # then four more mistakes do not lock the account
    for n in range(4):
        assert sign_in(client, "sfj", f"again-{n}").status_code == 200
    assert sign_in(client, "sfj", PASSWORD).status_code == 302


def test_signing_in_to_one_s_own_account_does_not_clear_another_s_count(client, officer):
    # given an attacker with an account of its own, who tried four passwords on the officer's
    UserFactory(username="mallory", role=Role.ENTERPRISE, enterprise=None)
    for n in range(4):
        sign_in(client, "sfj", f"guess-{n}")

    # when it signs in as itself, then tries once more on the officer's
    sign_in(client, "mallory", PASSWORD)
    client.post("/logout/")
    sign_in(client, "sfj", "guess-5")

    # then the officer's account is locked: its four failures still counted
    assert sign_in(client, "sfj", PASSWORD).status_code == 429


def token_for(client, username: str, password: str, **headers):
    return client.post(
        "/api/auth/token/", {"username": username, "password": password}, format="json", **headers
    )


def test_the_token_api_and_the_login_page_count_together(client, officer):
    api = APIClient()

    # when three wrong passwords go to the page and two to the token API
    for n in range(3):
        sign_in(client, "sfj", f"guess-{n}")
    statuses = [token_for(api, "sfj", f"api-{n}").status_code for n in range(2)]

    # then the fifth, on the API, locks the account: the API says so in Chinese, and when
    assert statuses == [400, 429]
    locked = token_for(api, "sfj", PASSWORD)
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.json()["detail"] and "锁定至" in locked.json()["detail"]
    assert int(locked["Retry-After"]) > 14 * 60

    # and the page refuses the right password as well
    assert sign_in(client, "sfj", PASSWORD).status_code == 429


@pytest.mark.parametrize("proxies", [0, 1])
def test_the_token_api_locks_whatever_x_forwarded_for_says(settings, officer, proxies):
    settings.WURAO_TRUSTED_PROXIES = proxies
    api = APIClient()

    for n in range(120):
        token_for(api, "sfj", f"guess-{n}", **_headers(proxies, f"198.51.100.{n}"))
        cache.clear()  # the rate throttle aside: the lock alone must hold

    response = token_for(api, "sfj", PASSWORD, **_headers(proxies, "198.51.100.250"))
    assert response.status_code == 429 and "token" not in response.json()


@pytest.mark.parametrize("proxies", [0, 1])
def test_the_token_api_s_rate_is_counted_per_client_not_per_header(settings, officer, proxies):
    settings.WURAO_TRUSTED_PROXIES = proxies
    api = APIClient()

    # when one client asks eleven times, rightly, forging a new X-Forwarded-For every time
    statuses = [
        token_for(api, "sfj", PASSWORD, **_headers(proxies, f"198.51.100.{n}")).status_code
        for n in range(11)
    ]

    # then the eleventh is turned away, with a Chinese reason
    assert statuses == [200] * 10 + [429]
    refused = token_for(api, "sfj", PASSWORD, **_headers(proxies, "198.51.100.77"))
    assert "获取令牌的请求过于频繁" in refused.json()["detail"]


def test_no_lock_when_the_lockout_is_switched_off(client, settings, officer):
    settings.AXES_ENABLED = False

    for n in range(10):
        sign_in(client, "sfj", f"guess-{n}")

    assert sign_in(client, "sfj", PASSWORD).status_code == 302
