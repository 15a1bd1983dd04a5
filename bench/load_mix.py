"""The everyday mix of bench.load: what each kind of request is, and how often it comes.

The weights follow who uses the platform most on an ordinary working day: enterprises and
the public checking visit codes when an officer arrives (the most frequent single act),
enterprises reading their own portal, officers looking enterprises up and registering
visits, and the justice bureau's dashboard now and then.

| kind | weight | request | who |
| --- | --- | --- | --- |
| code_check | 30 | GET /api/public/visits/<code>/ | anyone, no login |
| portal_visits | 15 | GET /visits/mine/ (page) | an enterprise user (session) |
| portal_credit | 10 | GET /credit/ (page) | an enterprise user (session) |
| search | 20 | GET /api/enterprises/?q=<2 characters> (name search) | a department (token) |
| register | 15 | POST /api/visits/ (all rules checked) | an inspector (token) |
| dashboard | 10 | GET /api/oversight/summary/?year=<last year> | the justice bureau (token) |
"""

from __future__ import annotations

import random
from typing import Any

from bench.visits_run import registration

LOAD_MIX: tuple[tuple[str, int], ...] = (
    ("code_check", 30),
    ("portal_visits", 15),
    ("portal_credit", 10),
    ("search", 20),
    ("register", 15),
    ("dashboard", 10),
)


def request_for(
    kind: str, fix: dict[str, Any], rnd: random.Random
) -> tuple[str, str, dict[str, str], dict | None]:
    """(method, path, headers, JSON body) of one request of that kind."""
    if kind == "code_check":
        return "GET", f"/api/public/visits/{rnd.choice(fix['codes'])}/", {}, None
    if kind in ("portal_visits", "portal_credit"):
        session = rnd.choice(fix["enterprise_sessions"])
        path = "/visits/mine/" if kind == "portal_visits" else "/credit/"
        return "GET", path, {"Cookie": f"sessionid={session}"}, None
    if kind == "search":
        account = rnd.choice(fix["accounts"])
        term = rnd.choice(fix["terms"])
        headers = {"Authorization": f"Token {account['token']}"}
        return "GET", f"/api/enterprises/?q={term}", headers, None
    if kind == "register":
        account, body = registration(fix, rnd)
        return "POST", "/api/visits/", {"Authorization": f"Token {account['token']}"}, body
    if kind == "dashboard":
        headers = {"Authorization": f"Token {fix['bureau_token']}"}
        return "GET", f"/api/oversight/summary/?year={fix['dashboard_year']}", headers, None
    raise ValueError(kind)
