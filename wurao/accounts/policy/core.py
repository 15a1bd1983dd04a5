"""The rule set and the four ways to use it: @policy, PolicyPermission, require() and allows()."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from rest_framework.permissions import BasePermission

from wurao.accounts.policy.predicates import is_signed_in

PUBLIC = "public"  # anyone, signed in or not (disclosure pages, the code check, login)
SIGNED_IN = "signed_in"  # anyone signed in; what they see is scoped by the selectors

_RULES = rules.RuleSet()
_MESSAGES: dict[str, str] = {}


def declare(name: str, predicate, *, message: str = "") -> None:
    """Declares a rule once; `message` (lazy-translated) says why it refuses."""
    if _RULES.rule_exists(name):
        raise ImproperlyConfigured(f"policy rule {name!r} is declared twice")
    _RULES.add_rule(name, predicate)
    if message:
        _MESSAGES[name] = message


declare(PUBLIC, rules.always_allow)
declare(SIGNED_IN, is_signed_in)


def rule_names() -> frozenset[str]:
    return frozenset(_RULES)


def _known(name: str) -> str:
    if not _RULES.rule_exists(name):
        raise ImproperlyConfigured(f"no policy rule named {name!r}")
    return name


def is_platform(actor) -> bool:
    """The platform acting alone (a management command, a scheduled job, the demo's build)
    names itself with a string, which the audit log records as the actor. It is no person and
    answers to no rule. A request always carries a person (a user, or AnonymousUser), never
    a string, so no page or API acts as the platform."""
    return isinstance(actor, str)


def allows(user, name: str, obj=None) -> bool:
    """Whether the rule lets this person do it (to this object, when one is given); the
    platform acting alone may (is_platform)."""
    _known(name)
    return is_platform(user) or _RULES.test_rule(name, user, obj)


def require(user, name: str, obj=None) -> None:
    """Raises PermissionDenied, with the rule's reason, when the rule refuses."""
    if not allows(user, name, obj):
        message = _MESSAGES.get(name)
        raise PermissionDenied(str(message)) if message else PermissionDenied


def policy(name: str) -> Callable:
    """Names the rule a page answers to. Anyone else gets the login page (when not signed in)
    or 403; object checks are the view's own, through require()."""
    _known(name)

    def decorate(view: Callable) -> Callable:
        if name == PUBLIC:
            view.policy = name
            return view

        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request.user, name)
            return view(request, *args, **kwargs)

        guarded.policy = name
        return guarded

    return decorate


def policy_of(view, method: str = "GET") -> str | None:
    """The rule an API view (or its class) names for a method: `policy` is a name or a
    mapping of HTTP method to name."""
    named = getattr(view, "policy", None)
    if isinstance(named, Mapping):
        named = named.get(method) or (named.get("GET") if method in ("HEAD", "OPTIONS") else None)
    return named


class PolicyPermission(BasePermission):
    """The API's default permission: the rule the view names for the request's method, refusing
    with the rule's own reason. A view that names none is refused (fail closed; the coverage
    test names it)."""

    def has_permission(self, request, view) -> bool:
        return self._allows(request, policy_of(view, request.method))

    def has_object_permission(self, request, view, obj) -> bool:
        return self._allows(request, policy_of(view, request.method), obj)

    def _allows(self, request, name: str | None, obj=None) -> bool:
        if name is None:
            return False
        if allows(request.user, name, obj):
            return True
        if name in _MESSAGES:
            self.message = str(_MESSAGES[name])  # DRF answers 403 with it
        return False
