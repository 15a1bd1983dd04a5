"""The authorisation matrix's records and routes of the standards app (see authz_extensions.py).

Each scope k has a standard of department k, imported through the service with one version and
two clauses. The library is public: everyone, signed in or not, reads every document."""

from __future__ import annotations

import datetime

from wurao.standards.choices import DocumentKind
from wurao.standards.services import document_create, version_import
from wurao.web.tests.authz_targets import _each_scope

VISIBLE: dict = {}  # the documents are "public" (authz_targets.VISIBLE)


def build(world) -> None:
    for k in (1, 2):
        scoped = world[k]
        document = document_create(
            actor="matrix",
            title=f"矩阵规范{k}",
            kind=DocumentKind.STANDARD,
            designation=f"GB 7000{k}-2020",
            department=scoped.department,
        )
        version = version_import(
            actor="matrix",
            document=document,
            text="5.1.1 矩阵条文一。\n5.1.2 矩阵条文二。",
            effective_from=datetime.date(2020, 1, 1),
        )
        scoped.extra["standard"] = document
        scoped.extra["standard_version"] = version
        scoped.extra["standard_article"] = version.articles.order_by("position").first()


def _x(s, name):
    return s.extra[name]


documents = _each_scope("public", lambda w, s: ({"pk": _x(s, "standard").pk}, _x(s, "standard")))
versions = _each_scope(
    "public",
    lambda w, s: (
        {"pk": _x(s, "standard").pk, "version_pk": _x(s, "standard_version").pk},
        _x(s, "standard"),
    ),
)
articles = _each_scope(
    "public", lambda w, s: ({"pk": _x(s, "standard_article").pk}, _x(s, "standard_article"))
)

TARGETS: dict = {
    "standards:document-detail": documents,
    "standards:version-detail": versions,
    "standards:article-detail": articles,
    "api-standards-document": documents,
    "api-standards-article": articles,
}
BODIES: dict = {}


def shown(world, k: int) -> dict:
    return {}  # nothing of the library is hidden from anyone
