"""Rate limits on what anyone may ask without signing in: the visit code check (/v/ and its
API) and the public disclosure pages.

A limit is counted per client address (`wurao.common.client_ip`, so a client cannot escape
it by sending a different X-Forwarded-For) in the shared cache (CACHES["default"]: every
worker counts together), over a fixed window of the rate's period. The rates are settings
(WURAO_RATELIMITS, by group; empty means no limit). A request over the limit is answered 429
with Retry-After: a page in the reader's language, or for an API view a JSON body like DRF's.
"""

import ipaddress
import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from rest_framework.views import APIView

from wurao.common.client_ip import client_ip

GROUP_PREFIX = "wurao."
logger = logging.getLogger(__name__)


def _client_network(group: str, request: HttpRequest) -> str:
    """The client's address; an IPv6 address's /64, which one subscriber usually holds whole."""
    address = client_ip(request)
    try:
        prefix = 64 if ":" in address else 32
        return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)
    except ValueError:
        return address  # no address (gunicorn on a Unix socket): one count for all, not a 500


def _rate(group: str, request: HttpRequest) -> str | None:
    """The rate in force now (read at each request, so tests can change it)."""
    return settings.WURAO_RATELIMITS.get(group.removeprefix(GROUP_PREFIX)) or None


def too_many_requests(request: HttpRequest, *, retry_after: int, api: bool) -> HttpResponse:
    seconds = max(int(retry_after), 1)
    message = _(
        "请求过于频繁：来自您所在网络地址的访问次数超过了限制，请在 %(seconds)s 秒后再试。"
    ) % {"seconds": seconds}
    if api:
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def rate_limited(group: str) -> Callable:
    """Limits a view (a function, or a class: its dispatch) to the rate WURAO_RATELIMITS names
    for `group`, per client address. Views sharing a group share one count."""

    def decorate(view):
        if isinstance(view, type):
            api = issubclass(view, APIView)
            return method_decorator(_limiter(group, api=api), name="dispatch")(view)
        return _limiter(group, api=False)(view)

    return decorate


def _limiter(group: str, *, api: bool) -> Callable:
    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def limited(request, *args, **kwargs):
            try:
                usage = get_usage(
                    request,
                    group=GROUP_PREFIX + group,
                    key=_client_network,
                    rate=_rate,
                    increment=True,
                )
            except Exception:  # the cache's own errors (Redis unreachable) have no common base
                # An enterprise at its door must still be able to check a code: unlimited for
                # as long as the cache is away, and said in the log.
                logger.exception("rate limit %s not counted: the cache did not answer", group)
                usage = None
            if usage is not None and usage["should_limit"]:
                return too_many_requests(request, retry_after=usage["time_left"], api=api)
            return view(request, *args, **kwargs)

        return limited

    return decorate


def ratelimited_view(request: HttpRequest, exception: Exception) -> HttpResponse:
    """RATELIMIT_VIEW: the same answer for django-ratelimit's own @ratelimit(block=True)."""
    return too_many_requests(request, retry_after=60, api=request.path.startswith("/api/"))
