"""Login lockout: failed sign-ins counted per account and per client address, in the database.

django-axes counts each failed password (the login page, the back office's login and the
token API all authenticate through its backend) in its AccessAttempt table, which every
gunicorn worker shares, by the client address of `wurao.common.client_ip` (so a client cannot
escape the count by sending a different X-Forwarded-For with each try). 等保2.0 三级
(GB/T 22239-2019 8.1.4.1 b): 应具有登录失败处理功能，应配置并启用结束会话、限制非法登录次数.

Two limits, because many officers sign in from one office network behind one address:
- an account is locked after AXES_FAILURE_LIMIT failures (default 5), from whatever address;
- an address is locked after WURAO_LOGIN_ADDRESS_FAILURE_LIMIT failures (default 20), for
  whatever accounts: one person mistyping five times does not lock the whole office out,
  and guessing one password for many accounts from one address is stopped all the same.
A lock lasts AXES_COOLOFF_TIME (default 15 minutes) after the failure that set it; tries
during the lock are refused without checking the password and do not extend it, so the time
the page names holds. A successful sign-in clears the account's own failures only: an
attacker with one valid account cannot clear the count of another (nor of the address).
"""

from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _


class LoginGuardHandler(AxesDatabaseHandler):
    """axes' database handler with a limit per account and a (higher) limit per address."""

    def _attempts(self, request, credentials):
        # AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]: one query set for each.
        by_account, by_address = self.get_user_attempts(request, credentials)
        return by_account, by_address

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """Failures that count toward a lock, in the account's units: the account's own, or
        the account limit itself once the address is over its limit (axes compares this one
        number with AXES_FAILURE_LIMIT)."""
        by_account, by_address = self._attempts(request, credentials)
        account = _sum(by_account)
        if _sum(by_address) >= settings.WURAO_LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(account, settings.AXES_FAILURE_LIMIT)
        return account

    def locked_until(self, request, credentials: dict | None = None) -> datetime | None:
        """When the lock on this account or address ends (None when neither is locked): the
        failures fall out of the count one record at a time, each cool-off after its last."""
        cool_off = get_cool_off(request)
        by_account, by_address = self._attempts(request, credentials)
        ends = [
            _end(by_account, settings.AXES_FAILURE_LIMIT, cool_off),
            _end(by_address, settings.WURAO_LOGIN_ADDRESS_FAILURE_LIMIT, cool_off),
        ]
        ends = [end for end in ends if end is not None]
        return max(ends) if ends else None

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        failures_clear(user)


def failures_clear(user) -> None:
    """After a successful sign-in: the account's own failures (not the address's) are forgiven."""
    AccessAttempt.objects.filter(username=user.get_username()).delete()


def _sum(attempts) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


def _end(attempts, limit: int, cool_off) -> datetime | None:
    """The moment the count drops below `limit` as the oldest records expire."""
    rows = list(
        attempts.order_by("attempt_time").values_list("attempt_time", "failures_since_start")
    )
    remaining = sum(n for _, n in rows)
    if remaining < limit:
        return None
    for attempt_time, failures in rows:
        remaining -= failures
        if remaining < limit:
            return attempt_time + cool_off
    return None  # not reached: the loop ends below any positive limit


def locked_until(request: HttpRequest, username: str | None) -> datetime | None:
    """When sign-ins as `username` from this request's address open again (None: they are open)."""
    if not settings.AXES_ENABLED:
        return None
    credentials = {settings.AXES_USERNAME_FORM_FIELD: username}
    AxesProxyHandler.update_request(request)
    return AxesProxyHandler.get_implementation().locked_until(request, credentials)


def lockout_message(until: datetime | None) -> str:
    if until is None:
        return _("登录失败次数过多，已暂时锁定，请稍后再试。")
    return _(
        "登录失败次数过多，该账号或您所在网络地址已被锁定至 %(time)s，请到时再试；"
        "如需提前解锁，请联系系统管理员。"
    ) % {"time": formats.date_format(timezone.localtime(until), "Y-m-d H:i")}


def seconds_until(until: datetime | None) -> int:
    if until is None:
        return 60
    return max(int((until - timezone.now()).total_seconds()) + 1, 1)


def lockout_response(
    request: HttpRequest, original_response=None, credentials: dict | None = None
) -> HttpResponse:
    """What a locked-out sign-in gets (AXES_LOCKOUT_CALLABLE): 429, saying until when, as JSON
    for the API and as the login page for a browser."""
    username = get_client_username(request, credentials)
    until = locked_until(request, username)
    message = lockout_message(until)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        context = {"lockout_message": message, "next": request.POST.get("next", "")}
        response = render(request, "registration/login.html", context, status=429)
    response["Retry-After"] = str(seconds_until(until))
    return response
