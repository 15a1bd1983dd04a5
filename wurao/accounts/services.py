from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wurao.accounts.choices import Role
from wurao.accounts.login_guard import failures_clear
from wurao.accounts.models import User
from wurao.audit.services import audit_record

# What decides what an account may see and do: a change to any of them is a role change,
# audited with the values before and after.
ACCESS_FIELDS = (
    "role",
    "department",
    "street",
    "enterprise",
    "inspector",
    "is_active",
    "is_staff",
    "is_superuser",
)


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    role: Role,
    display_name: str = "",
    department=None,
    street=None,
    enterprise=None,
    inspector=None,
    is_staff: bool = False,
    is_superuser: bool = False,
    two_factor_exempt: bool = False,
) -> User:
    user = User(
        username=username,
        first_name=display_name,
        role=role,
        department=department,
        street=street,
        enterprise=enterprise,
        inspector=inspector,
        is_staff=is_staff or is_superuser,
        is_superuser=is_superuser,
        two_factor_exempt=two_factor_exempt,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(
        actor=actor,
        verb="user.create",
        obj=user,
        payload={
            "role": role,
            "username": username,
            "is_superuser": is_superuser,
            **({"two_factor_exempt": True} if two_factor_exempt else {}),
        },
    )
    return user


_ANCHORS = {"department", "street", "enterprise", "inspector"}


def _access(user: User) -> dict:
    """The access-defining values as the audit log shows them (anchors by id)."""
    return {
        field: getattr(user, f"{field}_id" if field in _ANCHORS else field)
        for field in ACCESS_FIELDS
    }


@transaction.atomic
def user_admin_save(*, actor, user: User, changed: list[str]) -> User:
    """Saves an account edited (or added) in the back office. A change of role, anchor or
    status is recorded with the values before and after (`changes`: field → [old, new])."""
    before = None
    if user.pk is not None:
        stored = User.objects.select_for_update().filter(pk=user.pk).first()
        before = _access(stored) if stored is not None else None
    user.full_clean(exclude=["password"])
    user.save()
    after = _access(user)
    if before is None:
        audit_record(
            actor=actor,
            verb="user.admin_create",
            obj=user,
            payload={"username": user.username, "fields": sorted(changed), "access": after},
        )
        return user
    changes = {f: [before[f], after[f]] for f in ACCESS_FIELDS if before[f] != after[f]}
    audit_record(
        actor=actor,
        verb="user.role_change" if changes else "user.admin_change",
        obj=user,
        payload={"username": user.username, "fields": sorted(changed), "changes": changes},
    )
    return user


@transaction.atomic
def user_password_set_record(*, actor, user: User) -> None:
    """An administrator set this account's password (Django admin's own form saved it)."""
    audit_record(
        actor=actor, verb="user.password_set", obj=user, payload={"username": user.username}
    )


def token_expires_at(created: datetime) -> datetime:
    """API tokens stand for one sign-in, like a session: they end WURAO_TOKEN_TTL_HOURS after
    they were issued (settings.py says why 24 hours)."""
    return created + timedelta(hours=settings.WURAO_TOKEN_TTL_HOURS)


@transaction.atomic
def user_token_issue(*, user: User, address: str = "") -> tuple[str, datetime]:
    """The user's API token and when it expires: the one issued before while it lasts, else
    a new one (an expired token is deleted, so it can never work again). Audited either way:
    a token handed out is a sign-in."""
    from rest_framework.authtoken.models import Token

    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and token_expires_at(token.created) <= timezone.now():
        token.delete()
        token = None
    created = token is None
    if created:
        token = Token.objects.create(user=user)
    expires_at = token_expires_at(token.created)
    failures_clear(user)  # as a sign-in on the page does
    audit_record(
        actor=user,
        verb="auth.token_obtained",
        obj=user,
        payload={
            "username": user.username,
            "address": address,
            "new_token": created,
            "expires_at": expires_at.isoformat(),
        },
    )
    return token.key, expires_at


def user_token_obtain(*, user: User, address: str = "") -> str:
    """The user's API token (see user_token_issue)."""
    return user_token_issue(user=user, address=address)[0]
