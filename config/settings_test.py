"""Test settings: the same as production's shape, with fast hashing and jobs run in-process."""

from config.settings import *  # noqa: F403
from config.settings import HUEY, INSTALLED_APPS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True}
LANGUAGE_CODE = "zh-hans"

# Tests publish and create rule versions freely: read them from the database every time.
VISIT_RULES_CACHE_SECONDS = 0

# The tests build demo districts and run the `wurao demo` command, whatever WURAO_DEMO says.
if "wurao.demo" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "wurao.demo"]

# [hardening] deploy: each test process counts in its own memory (no file shared by parallel
# runs), and the rate limits are far above what any test sends from its one address; the
# rate-limit tests (wurao/web/tests/test_ratelimit.py) set the production rates back.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WURAO_RATELIMITS = {"code_check": "100000/m", "public": "100000/m"}
# django-ratelimit's check refuses that unshared cache (E003), which would fail every test that
# runs a management command; production's refusal is tested in test_deploy_settings.py.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "django_ratelimit.E003"]  # noqa: F405

# [hardening] login: the lockout stays on in the tests (login_guard's tests run it for real).
# Django's test client signs in with client.login(), and a few tests call authenticate(),
# without a request, which axes' backend refuses: the tests' copy lets such a call through
# to the password check and treats every request like production's (test_login_settings.py).
AUTHENTICATION_BACKENDS = [
    "wurao.accounts.tests.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Two-factor sign-in is off whatever DEBUG says; its tests turn it on.
WURAO_REQUIRE_2FA = False

# [portal] complaints: a fixed identity key (a Fernet key made for the tests only).
WURAO_IDENTITY_KEYS = ["dGVzdC1vbmx5LWlkZW50aXR5LWtleS0wMDAwMDAwMDA="]
