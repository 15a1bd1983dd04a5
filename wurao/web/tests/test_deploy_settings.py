"""Production settings as deployed (docs/deploy.md): `wurao check --deploy` is clean, and the
answers carry HSTS, the redirect to HTTPS, secure cookies and the security headers.

Each test runs the platform in a separate process with the environment production sets
(DEBUG=0, a long SECRET_KEY, config.settings), not the test settings of this process."""

import base64
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

# Inside the production process: the deployment check (failing on any warning), then what
# the code check form (public, no database) answers over HTTP, as the TLS proxy forwards an
# HTTPS request, and over HTTPS.
PROBE = """
import io, json, django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
report = io.StringIO()
try:
    call_command("check", deploy=True, fail_level="WARNING", stdout=report, stderr=report)
except SystemCheckError as error:
    report.write(str(error))
client = Client(REMOTE_ADDR="10.0.0.2")
plain = client.get("/v/", HTTP_X_FORWARDED_FOR="198.51.100.7")
forwarded = client.get(
    "/v/", HTTP_X_FORWARDED_FOR="198.51.100.7", HTTP_X_FORWARDED_PROTO="https"
)
secure = client.get("/v/", secure=True, HTTP_X_FORWARDED_FOR="198.51.100.7")
cookie = secure.cookies.get(settings.CSRF_COOKIE_NAME)
print(json.dumps({
    "check": report.getvalue(),
    "plain": [plain.status_code, plain.get("Location", "")],
    "forwarded": forwarded.status_code,
    "secure": secure.status_code,
    "headers": dict(secure.headers),
    "csrf_cookie": {k: cookie[k] for k in ("secure", "httponly", "samesite")},
    "session_cookie": [settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY,
                       settings.SESSION_COOKIE_SAMESITE],
}))
"""


def _production_env(folder: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DJANGO_", "SECURE_", "WURAO_", "CACHE_", "AUDIT_", "DEBUG", "SECRET_KEY")
        )
    }
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),  # 64 characters
        "AUDIT_SIGNING_KEY": secrets.token_hex(32),  # the audit chain's anchor key
        # the complainants' identities (Fernet: 32 random bytes, URL-safe base64)
        "WURAO_IDENTITY_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "ALLOWED_HOSTS": "testserver,wurao.example.gov.cn",
        "CACHE_URL": f"filecache://{folder / 'cache'}",
        **extra,
    }


def _run(folder: Path, **extra: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=_production_env(folder, **extra),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def behind_proxy(tmp_path_factory) -> dict:
    """Production behind the documented TLS proxy (WURAO_TRUSTED_PROXIES=1)."""
    return _run(tmp_path_factory.mktemp("proxy"), WURAO_TRUSTED_PROXIES="1")


@pytest.fixture(scope="module")
def direct(tmp_path_factory) -> dict:
    """Production reached directly (no proxy trusted)."""
    return _run(tmp_path_factory.mktemp("direct"), WURAO_TRUSTED_PROXIES="0")


@pytest.mark.parametrize("deployment", ["behind_proxy", "direct"])
def test_check_deploy_is_clean_in_production(request, deployment):
    # given production's environment, behind the TLS proxy or reached directly
    seen = request.getfixturevalue(deployment)

    # then the deployment check, failing on any warning, found nothing (the two checks
    # silenced in the settings say why)
    assert "System check identified no issues" in seen["check"], seen["check"]


def test_check_deploy_refuses_a_cache_the_workers_do_not_share(tmp_path):
    # given a per-process cache, where each worker would count only its own requests
    seen = _run(tmp_path, CACHE_URL="locmemcache://")

    # then the deployment check fails, naming the cache
    assert "LocMemCache is not a shared cache" in seen["check"]


def test_production_sends_browsers_to_https_and_keeps_them_there(behind_proxy):
    # given production behind the documented TLS proxy
    seen = behind_proxy

    # then a request that reached the proxy over HTTP is redirected to HTTPS, one the proxy
    # received over HTTPS is served, with HSTS for a year (sub-domains included, no preload)
    assert seen["plain"][0] == 301 and seen["plain"][1].startswith("https://")
    assert seen["forwarded"] == 200
    assert seen["secure"] == 200
    assert seen["headers"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_without_a_trusted_proxy_a_claimed_https_is_not_believed(direct):
    # given production reached directly, then a client's own X-Forwarded-Proto does not make
    # plain HTTP count as HTTPS
    assert direct["forwarded"] == 301


def test_production_cookies_and_headers(behind_proxy):
    # given production
    headers = behind_proxy["headers"]

    # then cookies go over HTTPS only, out of scripts' reach, and not with cross-site posts
    assert behind_proxy["csrf_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert behind_proxy["session_cookie"] == [True, True, "Lax"]
    # and the page may not be framed, sniffed or followed by a full referrer
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy + ";"
    assert "frame-ancestors 'none'" in policy
