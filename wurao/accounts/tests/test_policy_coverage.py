"""Every URL pattern and every API endpoint names the policy rule it answers to.

Walks the whole URL configuration: a page names its rule with @policy(...), an API view with
`policy = ...` (per HTTP method where they differ). Only Django's admin, which has its own staff
check, is exempt. A pattern added without a rule fails here with its route."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from wurao.accounts.policy import policy_of, rule_names

# Django's own back office: is_staff and model permissions, not the platform's roles.
EXEMPT_PREFIXES = ("admin/",)
METHODS = ("get", "post", "put", "patch", "delete")


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


def _named_rules(callback) -> list[str | None]:
    """The rules a view names: one per method it answers for class-based views."""
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is None:
        return [getattr(callback, "policy", None)]
    actions = getattr(callback, "actions", None)  # a viewset's method → action map
    methods = [m for m in METHODS if hasattr(view_class, m)] or ["get"]
    if actions:
        methods = list(actions)
    return [policy_of(view_class, m.upper()) for m in methods]


def _routes():
    return [
        (route, callback)
        for route, callback in _patterns(get_resolver())
        if not route.startswith(EXEMPT_PREFIXES)
    ]


def test_the_url_configuration_is_walked():
    routes = [route for route, _ in _routes()]
    # pages and API of every layer are found, so the check below means something
    assert len(routes) > 100
    assert any(r.startswith("api/") for r in routes) and "visits/new/" in routes


@pytest.mark.parametrize(
    "route, callback", _routes(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_endpoint_names_a_declared_rule(route, callback):
    named = _named_rules(callback)

    assert None not in named, f"{route} names no policy rule"
    unknown = set(named) - rule_names()
    assert not unknown, f"{route} names undeclared rules {sorted(unknown)}"
