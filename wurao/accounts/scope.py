"""What a signed-in user may see, as one value every selector applies.

A department sees its own records, a street its own area, an enterprise only
itself; the justice bureau sees everything (it supervises all departments). An account
without a role (Role.NONE, the default) sees nothing, as does any role missing its anchor.
"""

from dataclasses import dataclass

from wurao.accounts.choices import Role


@dataclass(frozen=True)
class Scope:
    sees_all: bool = False
    department_id: int | None = None
    street_id: int | None = None
    enterprise_id: int | None = None

    @property
    def sees_nothing(self) -> bool:
        return not (self.sees_all or self.department_id or self.street_id or self.enterprise_id)


def scope_for(user) -> Scope:
    if user is None or not user.is_authenticated:
        return Scope()
    if user.is_superuser or user.role == Role.JUSTICE:
        return Scope(sees_all=True)
    if user.role in (Role.DEPT_ADMIN, Role.INSPECTOR):
        return Scope(department_id=user.department_id)
    if user.role == Role.STREET:
        return Scope(street_id=user.street_id)
    if user.role == Role.ENTERPRISE:
        return Scope(enterprise_id=user.enterprise_id)
    return Scope()  # Role.NONE: nothing until an administrator gives the account a role
