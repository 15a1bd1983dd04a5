"""Sign-in, sign-out and the second factor: each recorded in the audit chain.

等保2.0 三级 (GB/T 22239-2019 8.1.4.3 a/b): 应启用安全审计功能，审计覆盖到每个用户；审计记录应包括
事件的日期和时间、用户、事件类型、事件是否成功. Every sign-in, failed sign-in, lockout, sign-out,
token handed out and second-factor step is an event with the client address
(wurao.common.client_ip); the password never is.
"""

import time
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from wurao.accounts.two_factor import code_matches, confirmed_device
from wurao.audit.services import audit_record

User = get_user_model()

_USERNAME_MAX = User._meta.get_field("username").max_length


def _attempted(username) -> str:
    """The name someone typed, as the audit log's actor: cut to a user name's length."""
    return str(username or "")[:_USERNAME_MAX] or "-"


@transaction.atomic
def sign_in_record(*, user, address: str, via: str, two_factor: bool) -> None:
    """A password accepted (`via`: "page"; the token API records auth.token_obtained)."""
    audit_record(
        actor=user,
        verb="auth.login",
        obj=user,
        payload={"address": address, "via": via, "two_factor_next": two_factor},
    )


@transaction.atomic
def sign_out_record(*, user, address: str) -> None:
    audit_record(actor=user, verb="auth.logout", obj=user, payload={"address": address})


@transaction.atomic
def sign_in_failure_record(*, username, address: str, path: str, locked: bool) -> None:
    """A password refused, or a sign-in refused unchecked because the account or the address
    is locked (`locked`)."""
    audit_record(
        actor=_attempted(username),
        verb="auth.login_failed",
        object_type=User._meta.label_lower,
        payload={
            "username": _attempted(username),
            "address": address,
            "path": path,
            "reason": "locked" if locked else "credentials",
        },
    )


@transaction.atomic
def lockout_record(*, username, address: str, until: datetime | None) -> None:
    """The failure that locked the account or the address."""
    audit_record(
        actor=_attempted(username),
        verb="auth.locked_out",
        object_type=User._meta.label_lower,
        payload={
            "username": _attempted(username),
            "address": address,
            "until": until.isoformat() if until else None,
        },
    )


@transaction.atomic
def two_factor_enrol(*, user, key: str, token: str, address: str) -> TOTPDevice:
    """Confirms the authenticator app the user has just set up with `key`: the code it shows
    must match. The device is saved only then, remembering the code's time step, so the same
    code cannot be used again."""
    if confirmed_device(user) is not None:
        raise ValidationError(
            {"token": _("该账号已设置验证器；如需更换，请联系系统管理员重置两步验证。")}
        )
    matched = code_matches(key, token, at=time.time())
    if matched is None:
        raise ValidationError({"token": _("验证码不正确：请输入验证器应用中当前显示的 6 位数字。")})
    device = TOTPDevice.objects.create(
        user=user,
        name=_("验证器"),
        key=key,
        confirmed=True,
        last_t=matched.t(),
        drift=matched.drift,
    )
    audit_record(actor=user, verb="auth.2fa_enrolled", obj=user, payload={"address": address})
    return device


@dataclass(frozen=True)
class TwoFactorCheck:
    device: TOTPDevice | None  # the device that accepted the code, or None
    retry_at: datetime | None = None  # set when too many wrong codes ask for a pause


def two_factor_verify(*, user, token: str, address: str) -> TwoFactorCheck:
    """Checks a code against the user's authenticator. Wrong codes slow the next tries
    (django-otp's back-off: 1, 2, 4, 8… seconds); each try is audited."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.devices_for_user(user, confirmed=True)
            .select_for_update()
            .order_by("pk")
            .first()
        )
        if device is None:
            return TwoFactorCheck(device=None)
        allowed, why = device.verify_is_allowed()
        if not allowed:
            retry_at = why.get("locked_until")
            verified = False
        else:
            retry_at = None
            verified = device.verify_token(token.strip().replace(" ", ""))
        audit_record(
            actor=user,
            verb="auth.2fa_verified" if verified else "auth.2fa_failed",
            obj=user,
            payload={"address": address, **({"throttled": True} if retry_at else {})},
        )
    return TwoFactorCheck(device=device if verified else None, retry_at=retry_at)


@transaction.atomic
def two_factor_reset(*, actor, user) -> int:
    """Removes the user's authenticator (a lost phone): the next sign-in sets up a new one."""
    removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
    audit_record(
        actor=actor,
        verb="auth.2fa_reset",
        obj=user,
        payload={"username": user.username, "devices_removed": removed},
    )
    return removed
