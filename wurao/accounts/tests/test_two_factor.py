"""The government side signs in with a second factor: a code from an authenticator app (TOTP).

With WURAO_REQUIRE_2FA on, a bureau, department, inspector or street account goes from the
password to setting up its authenticator (the first time) or to giving its code; until it
has, every page sends it there. The token API asks such an account for the code too. The
codes in these tests are real ones, computed from the device's key as the app would.
"""

import datetime
import re
from binascii import unhexlify

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.accounts.two_factor import SETUP_SESSION_KEY
from wurao.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "pass-12345"


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    settings.WURAO_REQUIRE_2FA = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock():
    """A clock that moves only when told: a code is valid for its 30-second step."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def officer(department):
    return UserFactory(username="yj_admin", role=Role.DEPT_ADMIN, department=department)


@pytest.fixture
def enrolled(officer):
    return TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)


def code(device_or_key, *, offset_steps: int = 0) -> str:
    """The code an authenticator app shows now (`offset_steps` 30-second steps later)."""
    key = device_or_key.bin_key if isinstance(device_or_key, TOTPDevice) else device_or_key
    return f"{totp(key, drift=offset_steps):06d}"


def sign_in(client, username="yj_admin", next_url=""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/login/", data)


def test_a_first_sign_in_sets_up_the_authenticator_then_lets_the_officer_in(client, officer, clock):
    # when the officer gives the right password for the first time
    response = sign_in(client, next_url="/catalogue/")

    # then it is sent to set up its authenticator, keeping where it was going
    assert response.status_code == 302
    assert response["Location"] == "/login/setup/?next=%2Fcatalogue%2F"

    # and every other page sends it there too, until it has
    assert client.get("/catalogue/")["Location"].startswith("/login/setup/?next=")

    # the setup page draws the QR code on the page itself and shows the key to type
    page = client.get(response["Location"]).content.decode()
    qr = page.split('id="otp-qr">')[1].split("</div>")[0]
    assert qr.startswith("<svg") and "://" not in qr  # inline, nothing fetched from elsewhere
    key = client.session[SETUP_SESSION_KEY]
    secret = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', page).group(1)
    assert len(secret.replace(" ", "")) == 32

    # a wrong code is refused, saying what to type
    wrong = client.post(
        "/login/setup/?next=/catalogue/", {"token": "000000", "next": "/catalogue/"}
    )
    assert "验证码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=officer).exists()

    # the code the app shows confirms it, and the officer is in
    done = client.post("/login/setup/", {"token": code(unhexlify(key)), "next": "/catalogue/"})
    assert done.status_code == 302 and done["Location"] == "/catalogue/"
    assert client.get("/catalogue/").status_code == 200
    device = TOTPDevice.objects.get(user=officer)
    assert device.confirmed
    assert AuditEvent.objects.filter(verb="auth.2fa_enrolled", actor=officer).exists()


def test_a_later_sign_in_asks_for_the_code(client, officer, enrolled, clock):
    # when the officer gives its password
    response = sign_in(client)

    # then it is asked for the code before any page
    assert response["Location"] == "/login/verify/?next=%2F"
    assert client.get("/registry/enterprises/")["Location"].startswith("/login/verify/")
    assert "两步验证" in client.get("/login/verify/").content.decode()

    # and with the code it is in
    done = client.post("/login/verify/", {"token": code(enrolled), "next": "/catalogue/"})
    assert done["Location"] == "/catalogue/"
    assert client.get("/catalogue/").status_code == 200
    assert AuditEvent.objects.filter(verb="auth.2fa_verified", actor=officer).count() == 1


def test_a_code_cannot_be_used_twice(client, officer, enrolled, clock):
    used = code(enrolled)
    sign_in(client)
    client.post("/login/verify/", {"token": used})
    client.post("/logout/")

    # when someone who saw the code signs in with the password and the same code
    sign_in(client)
    replay = client.post("/login/verify/", {"token": used})

    # then it is refused, and the pages stay closed
    assert replay.status_code == 200 and "验证码不正确或已使用过" in replay.content.decode()
    assert client.get("/catalogue/")["Location"].startswith("/login/verify/")

    # while the next step's code works
    clock.shift(datetime.timedelta(seconds=30))
    assert client.post("/login/verify/", {"token": code(enrolled)}).status_code == 302


def test_wrong_codes_slow_the_next_tries(client, officer, enrolled, clock):
    sign_in(client)
    wrong = f"{(int(code(enrolled)) + 1) % 1_000_000:06d}"
    client.post("/login/verify/", {"token": wrong})
    client.post("/login/verify/", {"token": wrong})

    # right after two wrong codes, even the right one must wait
    waiting = client.post("/login/verify/", {"token": code(enrolled)})
    assert "错误次数过多" in waiting.content.decode()

    # two seconds later it works
    clock.shift(datetime.timedelta(seconds=3))
    assert client.post("/login/verify/", {"token": code(enrolled)}).status_code == 302
    failed = AuditEvent.objects.filter(verb="auth.2fa_failed", actor=officer).count()
    assert failed == 3


def test_signing_out_and_the_language_stay_open_before_the_code(client, officer, enrolled):
    sign_in(client)

    assert client.post("/lang/", {"language": "en", "next": "/"}).status_code == 302
    assert client.post("/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_api_refuses_a_session_without_the_code(client, officer, enrolled):
    sign_in(client)

    response = client.get("/api/auth/me/")

    assert response.status_code == 403
    assert "两步验证" in response.json()["detail"]


def test_an_enterprise_user_signs_in_with_its_password_alone(client, enterprise):
    UserFactory(username="ent", role=Role.ENTERPRISE, enterprise=enterprise)

    response = sign_in(client, "ent")

    assert response.status_code == 302 and not response["Location"].startswith("/login/")
    assert client.get(f"/registry/enterprises/{enterprise.pk}/").status_code == 200


@pytest.mark.parametrize("role", [Role.JUSTICE, Role.DEPT_ADMIN, Role.INSPECTOR, Role.STREET])
def test_every_government_role_needs_the_code(client, department, street, role):
    anchors = {
        Role.DEPT_ADMIN: {"department": department},
        Role.INSPECTOR: {"department": department},
        Role.STREET: {"street": street},
    }
    UserFactory(username="gov", role=role, **anchors.get(role, {}))

    assert sign_in(client, "gov")["Location"].startswith("/login/setup/")


def test_a_demo_account_is_exempt(client, department):
    UserFactory(
        username="demo", role=Role.DEPT_ADMIN, department=department, two_factor_exempt=True
    )

    response = sign_in(client, "demo", next_url="/catalogue/")

    assert response["Location"] == "/catalogue/"
    assert client.get("/catalogue/").status_code == 200


def test_nothing_changes_when_two_factor_is_off(client, settings, officer):
    settings.WURAO_REQUIRE_2FA = False

    assert sign_in(client, next_url="/catalogue/")["Location"] == "/catalogue/"


def token(api, otp=None):
    data = {"username": "yj_admin", "password": PASSWORD}
    if otp is not None:
        data["otp"] = otp
    return api.post("/api/auth/token/", data, format="json")


def test_the_token_api_asks_a_government_account_for_the_code(officer, enrolled, clock):
    api = APIClient()

    missing = token(api)
    assert missing.status_code == 400 and "otp" in missing.json()
    assert "6 位验证码" in missing.json()["otp"][0]

    wrong = token(api, f"{(int(code(enrolled)) + 1) % 1_000_000:06d}")
    assert wrong.status_code == 400 and "验证码不正确" in wrong.json()["otp"][0]

    clock.shift(datetime.timedelta(seconds=3))  # past the pause a wrong code asks for
    issued = token(api, code(enrolled))
    assert issued.status_code == 200 and issued.json()["token"]


def test_the_token_api_sends_an_account_without_an_authenticator_to_the_web(officer):
    response = token(APIClient(), "123456")

    assert response.status_code == 400
    assert "请先在网页上登录一次并设置验证器" in response.json()["otp"][0]


def test_a_wrong_password_is_refused_before_the_code_is_asked(officer, enrolled):
    response = APIClient().post(
        "/api/auth/token/", {"username": "yj_admin", "password": "nope"}, format="json"
    )

    assert response.status_code == 400 and "otp" not in response.json()


def test_the_back_office_resets_a_lost_authenticator(client, officer, enrolled):
    root = UserFactory(username="root", is_superuser=True, is_staff=True, two_factor_exempt=True)
    client.force_login(root)

    response = client.post(
        "/admin/accounts/user/",
        {"action": "reset_two_factor", "_selected_action": [officer.pk]},
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    event = AuditEvent.objects.get(verb="auth.2fa_reset")
    assert event.actor_label == "root" and event.payload["devices_removed"] == 1


def test_the_back_office_signs_in_on_the_platform_s_login_page(client):
    response = client.get("/admin/login/?next=/admin/accounts/user/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Fadmin%2Faccounts%2Fuser%2F"


def test_a_superuser_needs_the_code_for_the_back_office(client, db):
    UserFactory(username="root", is_superuser=True, is_staff=True)

    sign_in(client, "root")

    assert client.get("/admin/")["Location"].startswith("/login/setup/")
