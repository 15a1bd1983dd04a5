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
    is_staff: bool = False,
) -> User:
    user = User(
        username=username,
        first_name=display_name,
        role=role,
        department=department,
        street=street,
        enterprise=enterprise,
        is_staff=is_staff,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(actor=actor, verb="user.create", obj=user, payload={"role": role, "username": username})
    return user
