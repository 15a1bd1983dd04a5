"""The authorisation matrix's machinery: every route of the URL configuration, the outcome the
policy module expects for an identity and a record (what the URL names and who may see it are
in authz_targets.py, the world in authz_world.py), and the request that checks it.

The expected outcome is derived, never typed in per route:

1. the rule the route declares for the method (``@policy`` on a page, ``policy`` on an API
   view), asked without a record: if it refuses, the answer is a refusal (403; the login page
   for a visitor to a page, 401 or 403 for a visitor to the API) and nothing is written;
2. the record the URL names, out of the identity's scope: 404, and nothing written;
3. the same rule asked about the record: if it refuses, 403 and nothing written;
4. otherwise the route serves the identity: no 403, 404 or 5xx. A write may refuse an empty
   body (400, or the form again) and a route may not take the method (405). A 403 here is
   accepted only when a rule of the policy module refused during the request (the finer rule
   the view or its service requires, such as visits.register behind a visit's page): every
   refusal comes from the policy module.

What each identity may see is the Scope's rule (wurao/accounts/scope.py) written per kind of
record in authz_targets.VISIBLE: a department sees its own records, a street its area, an
enterprise itself.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Callable
from http import HTTPStatus
from http.cookies import SimpleCookie
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver

from wurao.accounts.policy import allows, core, policy_of
from wurao.audit.models import AuditEvent
from wurao.web.tests.authz_targets import Target, visible
from wurao.web.tests.authz_world import ANONYMOUS

# Django's own back office: is_staff and model permissions, not the platform's roles.
EXEMPT_PREFIXES = ("admin/",)
PAGE_METHODS = ("GET", "POST")
API_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

DENIED, HIDDEN, SERVED = "denied", "hidden", "served"


# ---------------------------------------------------------------- the routes


@dataclasses.dataclass(frozen=True)
class Route:
    route: str  # as the URL configuration spells it, e.g. "draws/<int:pk>/commit/"
    name: str  # its reversible name, e.g. "sampling:task-commit"
    callback: Callable
    kwargs: tuple[str, ...]

    @property
    def view_class(self):
        return getattr(self.callback, "view_class", None) or getattr(self.callback, "cls", None)

    @property
    def is_api(self) -> bool:
        return self.view_class is not None and hasattr(self.view_class, "permission_classes")

    @property
    def methods(self) -> tuple[str, ...]:
        """A page is asked with GET and POST (whatever it accepts, it must refuse a stranger);
        an API view with the methods it defines."""
        if not self.is_api:
            return PAGE_METHODS
        return tuple(m for m in API_METHODS if hasattr(self.view_class, m.lower()))

    def rule(self, method: str) -> str | None:
        if self.view_class is not None:
            return policy_of(self.view_class, method)
        return getattr(self.callback, "policy", None)

    def __str__(self) -> str:
        return self.route


def _walk(resolver: URLResolver, prefix: str = "", namespace: tuple = ()):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = (*namespace, entry.namespace) if entry.namespace else namespace
            yield from _walk(entry, route, inner)
        elif isinstance(entry, URLPattern):
            name = ":".join((*namespace, entry.name)) if entry.name else ""
            yield Route(route, name, entry.callback, tuple(entry.pattern.regex.groupindex))


def routes() -> list[Route]:
    return [r for r in _walk(get_resolver()) if not r.route.startswith(EXEMPT_PREFIXES)]


# ---------------------------------------------------------------- what the policy expects


def expected(route: Route, method: str, user, identity: str, target: Target | None) -> str:
    """What the policy module and the scope say this identity gets here."""
    rule = route.rule(method)
    if not allows(user, rule):
        return DENIED
    if not visible(identity, target):
        return HIDDEN
    if target is not None and target.obj is not None and not allows(user, rule, target.obj):
        return DENIED
    return SERVED


# ---------------------------------------------------------------- asking, and what was written


def _tables() -> list[str]:
    """Every table of the platform's models that the database has (the sessions aside: a
    sign-in is not a write the matrix is about)."""
    kept = {Session._meta.db_table}
    names = {
        m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    }
    return sorted((names & set(connection.introspection.table_names())) - kept)


_COUNT_SQL: str | None = None


def written_state() -> tuple:
    """The audit log's last seq and every table's row count, in one query."""
    global _COUNT_SQL
    if _COUNT_SQL is None:
        quote = connection.ops.quote_name
        counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in _tables())
        _COUNT_SQL = f"SELECT {counts}"
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_SQL)
        counts = cursor.fetchone()
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    return (last, *counts)


@dataclasses.dataclass
class Answer:
    status: int
    location: str
    wrote: bool
    refusals: list[str]  # the policy rules that refused this person during the request
    error: str = ""
    text: str = ""  # the page or JSON the person read


class _RefusalSpy:
    """Records the rules that refused `user` while a request runs (the real rules answer):
    every check, through allows(), require(), @policy or the API's permission, asks the
    policy's one rule set. A template's question (the menu, `user|may:"..."`) decides what to
    show, never a refusal, and is left out."""

    def __init__(self, user):
        self.user, self.refused = user, []

    def __enter__(self):
        rules = core._RULES
        real = type(rules).test_rule.__get__(rules)

        def spying(name, user, obj=None, *args, **kwargs):
            answer = real(name, user, obj, *args, **kwargs)
            mine = getattr(user, "pk", None) == getattr(self.user, "pk", None)
            if not answer and mine and not _asked_by_a_template(sys._getframe(1)):
                self.refused.append(name)
            return answer

        rules.test_rule = spying
        return self

    def __exit__(self, *exc):
        del core._RULES.test_rule


_POLICY_DIR = str(Path(core.__file__).parent)


def _asked_by_a_template(frame) -> bool:
    """Whether the first caller outside the policy package is a template tag."""
    while frame is not None and frame.f_code.co_filename.startswith(_POLICY_DIR):
        frame = frame.f_back
    return frame is not None and f"{os.sep}templatetags{os.sep}" in frame.f_code.co_filename


def ask(client, route: Route, method: str, url: str, user, data=None) -> Answer:
    """One request, inside a savepoint that is rolled back: the world stays as built. Returns
    the status and whether anything was written (audit log or any table's row count)."""
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    with transaction.atomic():
        before = written_state()
        with _RefusalSpy(user) as spy:
            response = _send(client, route, method, url, data)
        error = ""
        if response.status_code >= 500 and getattr(response, "exc_info", None):
            error = repr(response.exc_info[1])
        try:
            wrote = written_state() != before
        except Exception as failure:  # a broken transaction after a failed request
            wrote, error = True, error or repr(failure)
        transaction.set_rollback(True)
    # Signing out or switching the language stays in this request.
    client.cookies = SimpleCookie(cookies)
    if response.streaming:
        # Read to the end, which closes the file: the test client's way, which keeps the
        # database connection (closing the response directly would close it, mid-transaction).
        b"".join(response.streaming_content)
    return Answer(
        status=response.status_code,
        location=response.get("Location", ""),
        wrote=wrote,
        refusals=spy.refused,
        error=error,
        text=_text(response),
    )


def _text(response) -> str:
    kind = response.get("Content-Type", "")
    if response.streaming or not kind.startswith(("text/", "application/json")):
        return ""
    return response.content.decode(response.charset or "utf-8", errors="replace")


def _send(client, route: Route, method: str, url: str, data):
    if route.is_api:
        if method == "GET":
            return client.get(url, data or {})
        return client.generic(
            method,
            url,
            data=_json(data or {}),
            content_type="application/json",
            HTTP_ACCEPT="application/json",
        )
    if method == "GET":
        return client.get(url, data or {})
    return client.post(url, data or {})


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


# ---------------------------------------------------------------- judging an answer


def login_url() -> str:
    return resolve_url(settings.LOGIN_URL)


def problem(route: Route, outcome: str, identity: str, answer: Answer) -> str:
    """What is wrong with the answer, or "" when it is what the policy expects."""
    status = answer.status
    if status >= 500:
        return f"server error {status} {answer.error}"
    if status == HTTPStatus.METHOD_NOT_ALLOWED:
        return "wrote despite 405" if answer.wrote else ""
    if outcome == DENIED:
        if identity == ANONYMOUS and not route.is_api:
            refused = status == 302 and answer.location.startswith(login_url())
            want = "a redirect to the login page"
        elif identity == ANONYMOUS:
            refused, want = status in (401, 403), "401 or 403"
        else:
            refused, want = status == 403, "403"
        if not refused:
            return f"the rule refuses: expected {want}, got {status} {answer.location}".strip()
        return "the rule refuses, yet something was written" if answer.wrote else ""
    if outcome == HIDDEN:
        if status != 404:
            return f"out of scope: expected 404, got {status} {answer.location}".strip()
        return "out of scope, yet something was written" if answer.wrote else ""
    if status == 404:
        return "in scope and allowed, yet 404"
    if status == 403 and not answer.refusals:
        return "allowed by the declared rule, yet 403 with no policy rule refusing"
    return ""
