"""Who signs in with a second factor, and the authenticator app's secret (TOTP, RFC 6238).

等保2.0 三级 (GB/T 22239-2019 8.1.4.1 d): 应采用口令、密码技术、生物技术等两种或两种以上组合的鉴别
技术对用户进行身份鉴别. The government side — the justice bureau, department administrators,
inspectors, street coordinators — and anyone who may open the back office sign in with their
password and a six-digit code from an authenticator app (django-otp's TOTP device). An
enterprise user reads only its own file and signs in with its password.

WURAO_REQUIRE_2FA turns it on (default: on when DEBUG is off). The demo's shared accounts
are exempt (User.two_factor_exempt, set only by `wurao demo`).
"""

from base64 import b32encode
from binascii import unhexlify

from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from wurao.accounts.choices import STAFF_ROLES

SETUP_SESSION_KEY = "wurao_totp_setup_key"


def two_factor_required(user) -> bool:
    if not settings.WURAO_REQUIRE_2FA or not user.is_authenticated or user.two_factor_exempt:
        return False
    return user.role in STAFF_ROLES or user.is_staff or user.is_superuser


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def new_secret() -> str:
    """A new secret key, hex-encoded as TOTPDevice stores it (20 random bytes, RFC 4226)."""
    return random_hex(20)


def provisioning_uri(user, key: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code (with the issuer
    OTP_TOTP_ISSUER and the user name as its label)."""
    return TOTPDevice(user=user, key=key).config_url


def secret_text(key: str) -> str:
    """The key as an app asks for it when typed by hand: base32, in groups of four."""
    encoded = b32encode(unhexlify(key)).decode()
    return " ".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


def code_matches(key: str, token: str, *, at: float) -> TOTP | None:
    """The TOTP that `token` matches at time `at` (one 30-second step either side, for a
    phone's clock a little off), or None."""
    token = token.strip().replace(" ", "")
    if not token.isdecimal():
        return None
    totp = TOTP(unhexlify(key))
    totp.time = at
    return totp if totp.verify(int(token), tolerance=1) else None
