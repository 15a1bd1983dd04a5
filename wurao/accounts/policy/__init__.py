"""Who may do what, declared once and used everywhere: views, APIs, services and templates.

Each capability declares its rules in its own module of this package (``visits.py``,
``planning.py``...), built from the predicates in ``predicates.py``; ``core.py`` holds the
machinery. A rule is a name such as ``"visits.override_decide"``:

- a page names it with ``@policy("...")`` (login, then the rule, else 403);
- an API view names it with ``policy = "..."`` (or one per HTTP method), checked by
  ``PolicyPermission``, the API's default permission class;
- a service calls ``require(actor, "...", obj)`` before it writes (the platform acting
  alone, an actor named by a string such as ``"demo"`` or ``"scheduler"``, passes);
- a template asks ``{% load policy %}{% if user|may:"..." %}``.

A rule checked without an object answers "may this person do this at all" (which pages and
buttons to offer); with an object it also checks the object's department, street or
enterprise against the person's. What a person may *see* stays the Scope's job
(wurao.accounts.scope): lists are scoped by selectors, and out of scope is a 404.

Every URL pattern names a rule (tests/test_policy_coverage.py walks the URL configuration).
"""

from wurao.accounts.policy.core import (
    PUBLIC,
    SIGNED_IN,
    PolicyPermission,
    allows,
    declare,
    is_platform,
    policy,
    policy_of,
    require,
    rule_names,
)

# Each capability's rules, declared on import (one module per app, in the layers' order).
from wurao.accounts.policy import (  # noqa: E402, F401  isort: skip
    registry,
    standards,
    selfcheck,
    outcomes_findings,
    outcomes_cases,
    outcomes_documents,
    outcomes_offsite,
    credit,
    sampling,
    visits,
    planning,
    imports,
    rulemaking,
    bookings,
    complaints,
    oversight,
    portal,
    web,
)

__all__ = [
    "PUBLIC",
    "SIGNED_IN",
    "PolicyPermission",
    "allows",
    "declare",
    "is_platform",
    "policy",
    "policy_of",
    "require",
    "rule_names",
]
