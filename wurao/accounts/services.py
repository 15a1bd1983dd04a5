from django.db import transaction

from wurao.accounts.choices import Role
from wurao.accounts.models import User
from wurao.audit.services import audit_record


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
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(
        actor=actor,
        verb="user.create",
        obj=user,
        payload={"role": role, "username": username, "is_superuser": is_superuser},
    )
    return user


@transaction.atomic
def user_token_obtain(*, user: User) -> str:
    """The user's API token, created on first sign-in; a new token is an audited write."""
    from rest_framework.authtoken.models import Token

    token, created = Token.objects.get_or_create(user=user)
    if created:
        audit_record(
            actor=user, verb="user.token_create", obj=user, payload={"username": user.username}
        )
    return token.key
