"""The address a request came from, as the documented deployment sees it.

wurao runs behind `WURAO_TRUSTED_PROXIES` reverse proxies (default 0: the client connects to
gunicorn directly, and REMOTE_ADDR is the client). Each trusted proxy appends the address it
received the request from to X-Forwarded-For, so with N proxies the client is the N-th entry
from the right: entries further left were written by the client itself and prove nothing.
Login throttling, lockout and rate limits all count by this one function, so a client cannot
escape them by sending a different X-Forwarded-For with every try.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    proxies = getattr(settings, "WURAO_TRUSTED_PROXIES", 0)
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        # Fewer entries than proxies: the request did not come through all of them, so
        # nothing in the header can be trusted.
        return remote
    return forwarded[-proxies]
