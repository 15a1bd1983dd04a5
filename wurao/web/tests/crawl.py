"""Crawl the site as its users meet it: every page reachable from the menus, for each role.

A test loads the demo district (the `demo_district` fixture in this folder's conftest), then::

    from wurao.web.tests.crawl import DEMO_ROLES, crawl, server_errors, describe

    pages = crawl(roles=DEMO_ROLES)            # list[Page], in the order they were fetched
    assert not server_errors(pages), describe(server_errors(pages))

    crawl(roles=DEMO_ROLES, start=("/", *plain_urls()))   # also the pages no menu links

Each role starts at "/" (the menu is on every page) and follows every same-origin link
(`<a href>`, `hx-get`, redirects) and submits every GET form as it stands, with GET only:
nothing is posted, logout and static files are never fetched, downloads are fetched but not
parsed. With `hostile=True` it then sends each list or filter page it found (a page with a
GET form or links with a query) values a user or a script could type, one parameter at a
time and all at once: huge and negative numbers, words where numbers go, 300-character
strings, NUL and odd unicode, impossible and reversed dates, a page far past the last; and
each page addressed by its path gets an id past any record's, or a code holding a NUL.

The crawl is bounded so that it stays quick on the demo district: at most `per_pattern`
URLs for each resolved URL name and set of query keys, per role (a list's 50 detail links
are the same template 50 times), one for a download; in the Django admin, a model's list
(and one of its filters), one record and the empty form. The crafted values go to a filter
page once, by the first role that meets it with those parameters.

Run it inside a test's transaction (the `db` fixture; a request that fails is rolled back to
before it, so on PostgreSQL the next still runs) or, to share one crawl between tests, in a
module fixture under `django_db_blocker.unblock()` (test_crawl.py does).

To read the pages in another language, pass `language="en"`: the language cookie is set
as the switch on the page sets it, and `Page.text` is what the user would read.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, URLResolver, get_resolver, resolve, reverse

ANONYMOUS = "anonymous"
# The demo district's accounts (wurao/demo/data.py DEMO_ACCOUNTS): the justice bureau (also
# the Django admin's superuser), a department's admin and inspector, a street, an enterprise.
DEMO_ROLES = ("sfj", "yjj_admin", "yjj_inspector", "fucheng", "qiye", ANONYMOUS)

# Never fetched: leaving (logout), files that are not pages, the language switch (POST only).
SKIPPED_PREFIXES = ("/logout/", "/admin/logout/", "/static/", "/lang/", "/media/")
# The admin's generic pages for each model: its list (and one filter of it), a record and the
# empty form are where this project's admin code runs; history and delete are Django's own.
ADMIN_SKIPPED = ("_history", "_delete")
ADMIN_PER_VIEW = 1

# At most this many times per_pattern URLs of one view, whatever their query keys.
PER_VIEW = 3

HUGE = "99999999999999999999"  # past a 64-bit integer: the database refuses it
# Sent to one parameter at a time, the others left out: the values that may pass a form's
# checks and reach the database (one bad value elsewhere would stop the form before).
HOSTILE_EACH = (HUGE, "x" * 300)
# Sent to every parameter of a form at once: values each field's own parsing must survive.
# "²" is a digit to str.isdigit() and not a number to int().
HOSTILE_ALL = ("-1", "0", "abc", "²", "9223372036854775808", "\x00", "\u202e😀", "2024-02-30")
HOSTILE_PAGES = ("999999", "abc")


@dataclasses.dataclass(frozen=True)
class Page:
    """One fetched URL, as one role saw it."""

    role: str  # a demo username, or ANONYMOUS
    url: str  # path and query, as requested
    status: int
    content_type: str
    content: bytes
    source: str  # the page linking here ("" for the start; "hostile" for the crafted values)
    view_name: str  # the resolved URL name ("" when the path resolves to nothing)
    error: str = ""  # for a 5xx, the exception the view raised
    seconds: float = 0.0  # how long the answer took

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def __str__(self) -> str:
        line = f"{self.status} {self.role} {self.url}"
        if self.source:
            line += f"  (from {self.source})"
        return line + (f"\n    {self.error}" if self.error else "")


def crawl(
    *,
    roles: Iterable[str] = DEMO_ROLES,
    start: Iterable[str] = ("/",),
    per_pattern: int = 2,
    hostile: bool = True,
    language: str | None = None,
    log: Callable[[Page], None] | None = None,
) -> list[Page]:
    """Fetch every page each role reaches from `start`, then (with `hostile`) the list and
    filter pages with crafted query values; returns every fetch, in order. `log` is called
    with each page as it is fetched (to watch a long crawl)."""
    pages: list[Page] = []
    probed: set[tuple[str, frozenset[str]]] = set()  # shared: see _RoleCrawl.run
    for role in roles:
        walk = _RoleCrawl(role, per_pattern=per_pattern, language=language, log=log)
        pages.extend(walk.run(start, probed if hostile else None))
    return pages


def plain_urls() -> list[str]:
    """Every named page that takes no argument, whether a menu links it or not (typed in,
    bookmarked, or linked only from a page the crawl did not reach): extra starting points.
    The API is left out (test_api_hostile.py probes it from its schema), and so is the admin."""
    urls = set()
    for name in _url_names(get_resolver()):
        try:
            url = reverse(name)
        except NoReverseMatch:  # it takes arguments
            continue
        if not url.startswith((*SKIPPED_PREFIXES, "/api/", "/admin/")):
            urls.add(url)
    return sorted(urls)


def _url_names(resolver: URLResolver, namespace: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            yield from _url_names(
                pattern, f"{namespace}:{inner}".strip(":") if inner else namespace
            )
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def server_errors(pages: Iterable[Page]) -> list[Page]:
    return [page for page in pages if page.status >= 500]


def describe(pages: Iterable[Page]) -> str:
    """One paragraph a page, for an assertion message."""
    return "\n".join(str(page) for page in pages)


def client_for(role: str, *, language: str | None = None) -> Client:
    """A test client signed in as `role` (a username, or ANONYMOUS), reading `language`."""
    from wurao.accounts.models import User

    client = Client(raise_request_exception=False)
    if role != ANONYMOUS:
        client.force_login(User.objects.get(username=role))
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@dataclasses.dataclass
class _Form:
    action: str
    fields: list[tuple[str, str]]  # name, value as the page fills it
    dates: list[str]  # names of date and month inputs


class _PageParser(HTMLParser):
    """The links and GET forms on one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, bool]] = []  # href, asked for by HTMX
        self.forms: list[_Form] = []
        self.lookups: list[tuple[str, str]] = []  # hx-get URL, the field's name
        self.included: list[str] = []  # hx-get URLs sent the page's fields (hx-include)
        self.field_names: set[str] = set()  # every named field, in any form
        self._form: _Form | None = None
        self._select: tuple[str, list[str], str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append((a["href"], False))
        if a.get("hx-get"):
            self.links.append((a["hx-get"], True))
            if a.get("name"):
                # A field that asks the server as the user types (a lookup): its own filter.
                self.lookups.append((a["hx-get"], a["name"]))
            if a.get("hx-include"):
                self.included.append(a["hx-get"])
        if tag in ("input", "select", "textarea") and a.get("name"):
            self.field_names.add(a["name"])
        if tag == "form":
            self._form = None
            if a.get("method", "get").lower() == "get":
                self._form = _Form(action=a.get("action", ""), fields=[], dates=[])
                self.forms.append(self._form)
        if tag == "option" and self._select is not None:
            name, options, chosen = self._select
            options.append(a.get("value", ""))
            if "selected" in a:
                chosen = a.get("value", "")
            self._select = (name, options, chosen)
        if self._form is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
            if kind in ("date", "month", "datetime-local"):
                self._form.dates.append(name)
        elif tag == "textarea":
            self._form.fields.append((name, ""))
        elif tag == "select":
            self._select = (name, [], None)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None and self._form is not None:
            name, options, chosen = self._select
            value = chosen if chosen is not None else (options[0] if options else "")
            self._form.fields.append((name, value))
            self._select = None
        elif tag == "form":
            self._form = None


def _view_name(path: str) -> str:
    try:
        return resolve(path).view_name or ""
    except Resolver404:
        return ""


class _RoleCrawl:
    def __init__(
        self, role: str, *, per_pattern: int, language: str | None, log: Callable | None
    ) -> None:
        self.role = role
        self.log = log
        self.per_pattern = per_pattern
        self.client = client_for(role, language=language)
        self.pages: list[Page] = []
        self.seen: set[str] = set()
        self.budget: Counter[tuple[str, frozenset[str] | None]] = Counter()
        self.downloads: set[str] = set()  # view names answering something other than a page
        # A list or filter page's first path, and the parameters it takes.
        self.filters: dict[str, tuple[str, dict[str, str], set[str]]] = {}
        # A page addressed by its path (a record's number or code), and the path's arguments.
        self.addressed: dict[str, dict[str, object]] = {}

    def run(
        self, start: Iterable[str], probed: set[tuple[str, frozenset[str]]] | None
    ) -> list[Page]:
        """Walk from `start`; then, unless `probed` is None, send the crafted values to each
        filter page whose (view, parameters) no earlier role has probed: the values are
        parsed the same way whoever sends them, and a role whose page takes other
        parameters is probed again."""
        queue: deque[tuple[str, str, bool]] = deque((url, "", False) for url in start)
        while queue:
            url, source, htmx = queue.popleft()
            if not self._admit(url):
                continue
            page = self._fetch(url, source, htmx=htmx)
            for found, found_htmx in self._links(page):
                queue.append((found, url, found_htmx))
        if probed is not None:
            for url in self._hostile_urls(probed):
                if url not in self.seen:
                    self.seen.add(url)
                    self._fetch(url, "hostile")
        return self.pages

    def _remember_addressed(self, path: str) -> None:
        try:
            match = resolve(path)
        except Resolver404:
            return
        if match.view_name and match.kwargs:
            self.addressed.setdefault(match.view_name, match.kwargs)

    def _admit(self, url: str) -> bool:
        if url in self.seen or url.startswith(SKIPPED_PREFIXES):
            return False
        parts = urlsplit(url)
        name = _view_name(parts.path)
        admin = name.startswith("admin:")
        if admin and name.endswith(ADMIN_SKIPPED):
            return False
        limit = 1 if name in self.downloads else ADMIN_PER_VIEW if admin else self.per_pattern
        whole_limit = 2 * limit if admin else PER_VIEW * limit
        key = (name, frozenset(k for k, _ in parse_qsl(parts.query, keep_blank_values=True)))
        # A list with many filters (the admin's) links each of them: a few are enough.
        whole = (name, None)
        if self.budget[key] >= limit or self.budget[whole] >= whole_limit:
            return False
        self.budget[key] += 1
        self.budget[whole] += 1
        self.seen.add(url)
        return True

    def _fetch(self, url: str, source: str, *, htmx: bool = False) -> Page:
        errors: list[str] = []

        def keep(sender, request, **kwargs):
            import sys

            kind, value, _ = sys.exc_info()
            if kind is not None:
                errors.append(f"{kind.__name__}: {value}")

        got_request_exception.connect(keep)
        # A failed statement aborts PostgreSQL's transaction (the test's): undo to before the
        # request so that the next one still runs.
        savepoint = (
            transaction.savepoint() if transaction.get_connection().in_atomic_block else None
        )
        started = time.monotonic()
        try:
            headers = {"HX-Request": "true"} if htmx else {}
            response = self.client.get(url, headers=headers)
            content = (
                b"".join(response.streaming_content)
                if getattr(response, "streaming", False)
                else response.content
            )
        finally:
            got_request_exception.disconnect(keep)
        if savepoint:
            if response.status_code >= 500:
                transaction.savepoint_rollback(savepoint)
            else:
                transaction.savepoint_commit(savepoint)
        parts = urlsplit(url)
        page = Page(
            role=self.role,
            url=url,
            status=response.status_code,
            content_type=response.get("Content-Type", ""),
            content=content,
            source=source,
            view_name=_view_name(parts.path),
            error="; ".join(errors),
            seconds=time.monotonic() - started,
        )
        if response.status_code in (301, 302, 303, 307, 308):
            page = dataclasses.replace(page, content=response.get("Location", "").encode())
        elif response.status_code == 200 and not page.is_html and "json" not in page.content_type:
            self.downloads.add(page.view_name)
        if response.status_code == 200:
            self._remember_addressed(parts.path)
        self.pages.append(page)
        if self.log:
            self.log(page)
        return page

    def _links(self, page: Page) -> Iterator[tuple[str, bool]]:
        if page.status in (301, 302, 303, 307, 308):
            found = [(page.text, False)]
        elif page.status == 200 and page.is_html:
            parser = _PageParser()
            parser.feed(page.text)
            found = list(parser.links)
            for href, name in parser.lookups:
                self._remember_filters(urljoin(page.url, href), [name], [])
            for href in parser.included:
                # Which fields hx-include picks is a CSS selector: offer it all of the page's.
                fields = sorted(parser.field_names - {"csrfmiddlewaretoken"})
                self._remember_filters(urljoin(page.url, href), fields, [])
            for form in parser.forms:
                action = urljoin(page.url, form.action) if form.action else page.url.split("?")[0]
                found.append((_with_query(action, form.fields), False))
                self._remember_filters(action, [name for name, _ in form.fields], form.dates)
        else:
            return
        for href, htmx in found:
            url = _same_origin(urljoin(page.url, href))
            if url is None:
                continue
            parts = urlsplit(url)
            if parts.query:
                keys = [k for k, _ in parse_qsl(parts.query, keep_blank_values=True)]
                self._remember_filters(parts.path, keys, [])
            yield url, htmx

    def _remember_filters(self, path: str, names: list[str], dates: list[str]) -> None:
        path = urlsplit(_same_origin(path) or "").path
        name = _view_name(path)
        if not path or not name or path.startswith(SKIPPED_PREFIXES):
            return
        first, params, date_names = self.filters.setdefault(name, (path, {}, set()))
        for param in names:
            params.setdefault(param, "")
        date_names.update(dates)

    def _hostile_urls(self, probed: set[tuple[str, frozenset[str]]]) -> Iterator[str]:
        for view_name, kwargs in self.addressed.items():
            # A record past any id, a code with a NUL in it: a 404, whoever asks.
            if (view_name, frozenset(["<path>"])) in probed:
                continue
            probed.add((view_name, frozenset(["<path>"])))
            numbers = {k for k, v in kwargs.items() if str(v).isdigit()}
            for changed in (
                {k: HUGE if k in numbers else v for k, v in kwargs.items()},
                {k: v if k in numbers else "x\x00" for k, v in kwargs.items()},
            ):
                if changed == kwargs:
                    continue
                try:
                    yield reverse(view_name, kwargs=changed)
                except NoReverseMatch:  # a code's pattern refuses the NUL before any view
                    continue
        for view_name, (path, params, dates) in self.filters.items():
            names = [n for n in params if n not in ("csrfmiddlewaretoken",)]
            key = (view_name, frozenset(names))
            if view_name in self.downloads or key in probed:
                continue
            probed.add(key)
            if view_name.startswith("admin:"):
                # Django's own filters: a probe or two of them all, not the full set.
                for value in (HUGE, "\x00"):
                    yield _with_query(path, [(name, value) for name in names])
                continue
            for name, value in itertools.product(names, HOSTILE_EACH):
                yield _with_query(path, [(name, value)])
            for value in HOSTILE_ALL:
                yield _with_query(path, [(name, value) for name in names])
            for value in HOSTILE_PAGES:
                yield _with_query(path, [("page", value)])
            ordered = sorted(dates)
            if len(ordered) >= 2:
                # Reversed and absurd periods: the end before the start, and ten thousand years.
                yield _with_query(path, [(ordered[0], "2030-12-31"), (ordered[1], "2020-01-01")])
                yield _with_query(path, [(ordered[0], "0001-01-01"), (ordered[1], "9999-12-31")])


def _same_origin(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    if not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _with_query(path: str, params: list[tuple[str, str]]) -> str:
    query = urlencode(params)
    return f"{path}?{query}" if query else path
