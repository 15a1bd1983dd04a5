"""Failed sign-ins and lockouts reach the audit log through Django's user_login_failed signal:
they happen inside `authenticate()` (the login page's form, the back office's and the token API
all call it), where no view of ours sees the failure. Successful sign-ins, sign-outs and
tokens are recorded by the views and services that do them (services_login.py)."""

# axes' receivers are connected on this import, so before ours: by the time ours runs, axes
# has counted the failure and marked the request (axes_failures_since_start, axes_locked_out).
import axes.signals  # noqa: F401
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from wurao.accounts import services_login
from wurao.accounts.login_guard import locked_until
from wurao.common.client_ip import client_ip


@receiver(user_login_failed, dispatch_uid="wurao.accounts.login_failed")
def record_login_failure(sender, credentials, request=None, **kwargs):
    address = client_ip(request) if request is not None else ""
    username = credentials.get("username")
    locked = bool(getattr(request, "axes_locked_out", False))
    # axes counts a failure (axes_failures_since_start) unless it refused the try unchecked
    # because the account or the address was already locked.
    counted = getattr(request, "axes_failures_since_start", None) is not None
    services_login.sign_in_failure_record(
        username=username,
        address=address,
        path=getattr(request, "path", ""),
        locked=locked and not counted,
    )
    if locked and counted:  # this failure set the lock
        services_login.lockout_record(
            username=username, address=address, until=locked_until(request, username)
        )
