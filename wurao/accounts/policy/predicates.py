"""The predicates the rules are made of: who the person is, and how an object relates to them.

Objects are read by their attributes (``department_id``, ``street_id``, ``enterprise_id``), so
this module imports no capability: accounts sits below them all. Checked without an object
(``obj is None``), an object predicate passes, so that the same rule answers both "may this
person do this at all" and "may they do it to this one"."""

import rules

from wurao.accounts.choices import Role


@rules.predicate
def is_signed_in(user) -> bool:
    """Signed in, active and given a role: an account created without one (Role.NONE) is
    refused everything, even the pages open to anyone signed in, until an administrator gives
    it a role (a superuser counts as the bureau whatever its role)."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.role != Role.NONE or user.is_superuser)
    )


@rules.predicate
def is_bureau(user) -> bool:
    """The justice bureau supervises every department (a superuser counts as the bureau)."""
    return is_signed_in(user) and (user.is_superuser or user.role == Role.JUSTICE)


@rules.predicate
def is_department_admin(user) -> bool:
    return is_signed_in(user) and user.role == Role.DEPT_ADMIN and bool(user.department_id)


@rules.predicate
def is_inspector(user) -> bool:
    return is_signed_in(user) and user.role == Role.INSPECTOR and bool(user.department_id)


is_department_staff = is_department_admin | is_inspector


@rules.predicate
def is_street(user) -> bool:
    return is_signed_in(user) and user.role == Role.STREET and bool(user.street_id)


@rules.predicate
def is_enterprise(user) -> bool:
    return is_signed_in(user) and user.role == Role.ENTERPRISE and bool(user.enterprise_id)


is_officer = is_bureau | is_department_staff | is_street  # anyone on the government side


@rules.predicate
def of_own_department(user, obj) -> bool:
    return obj is None or getattr(obj, "department_id", None) == user.department_id


@rules.predicate
def is_own_department(user, department) -> bool:
    """The object is the person's own department (a Department, not a record of one)."""
    return department is None or department.pk == user.department_id


@rules.predicate
def of_own_street(user, obj) -> bool:
    return obj is None or getattr(obj, "street_id", None) == user.street_id


@rules.predicate
def of_own_enterprise(user, obj) -> bool:
    """The object is the enterprise itself or belongs to it."""
    if obj is None:
        return True
    enterprise_id = getattr(obj, "enterprise_id", None)
    if enterprise_id is None and obj._meta.model_name == "enterprise":
        enterprise_id = obj.pk
    return enterprise_id == user.enterprise_id
