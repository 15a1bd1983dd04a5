"""Production's settings wire the lockout and the second factor as the tests exercise them.

The tests run with one difference (config/settings_test.py): their lockout backend lets a
sign-in *without a request* (Django's client.login()) through to the password check. Every
request is checked as production checks it."""

from django.contrib.auth import authenticate
from django.test import RequestFactory

from config import settings as production
from wurao.accounts.tests.backends import LockoutBackend


def test_production_checks_the_lock_before_the_password():
    assert production.AUTHENTICATION_BACKENDS == [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    assert production.AXES_ENABLED and production.AXES_CLIENT_IP_CALLABLE == (
        "wurao.common.client_ip.client_ip"
    )
    assert (production.AXES_FAILURE_LIMIT, production.AXES_COOLOFF_TIME.total_seconds()) == (
        5,
        15 * 60,
    )


def test_production_orders_the_middleware_for_the_second_factor_and_the_lockout():
    chain = production.MIDDLEWARE
    auth = chain.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    otp = chain.index("django_otp.middleware.OTPMiddleware")
    gate = chain.index("wurao.accounts.middleware.TwoFactorMiddleware")
    assert auth < otp < gate
    assert chain[-1] == "axes.middleware.AxesMiddleware"


def test_production_hashes_with_argon2_first():
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_the_tests_backend_differs_only_without_a_request(db):
    # with a request it is axes' own check (the lockout tests run through it)
    assert LockoutBackend.__mro__[1].__module__ == "axes.backends"
    request = RequestFactory().post("/login/")
    assert LockoutBackend().authenticate(request, username="x", password="y") is None
    # without one, it lets the password check decide
    assert authenticate(username="nobody", password="y") is None
