"""Finding the Chinese an English reader would still meet on a page.

What the page says in its own words must be translated; what the users put in the database
(enterprise, people's and place names, addresses, remarks) is shown as they wrote it. So a
page's visible text (text, and the attributes a reader sees: title, placeholder, aria-label,
alt, button values, confirmations) is first stripped of every text value stored in the
database, then what Chinese is left is reported. Text inside an element marked
`lang="zh-hans"` (or any `zh` language) is Chinese on purpose, e.g. the switch back to 中文
or the Chinese headers a government template must carry, and is skipped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser

from django.apps import apps
from django.db import models

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
SHOWN_ATTRIBUTES = frozenset(
    {"title", "placeholder", "aria-label", "alt", "label", "hx-confirm", "data-confirm"}
)
BUTTON_TYPES = frozenset({"submit", "button", "reset"})
VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)
SHOWN = 90  # characters shown of a piece of text


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def database_texts() -> set[str]:
    """Every Chinese text value stored in the database (each line of it too), whitespace
    collapsed. Fields with choices are left out: they store codes, shown through labels."""
    found: set[str] = set()
    for model in apps.get_models():
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and not f.choices
        ]
        if not names:
            continue
        for row in model._base_manager.values_list(*names).iterator(chunk_size=2000):
            for value in row:
                for text in _strings(value):
                    if not HAN.search(text):
                        continue
                    found.add(" ".join(text.split()))
                    found.update(" ".join(line.split()) for line in text.splitlines())
    return {text for text in found if len(text) >= 2}


class UserData:
    """Removes the database's text values from a page's text, longest first."""

    def __init__(self, texts: Iterable[str]) -> None:
        by_start: dict[str, list[str]] = defaultdict(list)
        for text in texts:
            by_start[text[:2]].append(text)
        self.by_start = {k: sorted(v, key=len, reverse=True) for k, v in by_start.items()}

    def strip(self, text: str) -> str:
        out: list[str] = []
        i = 0
        while i < len(text):
            candidates = self.by_start.get(text[i : i + 2], ())
            for candidate in candidates:
                if text.startswith(candidate, i):
                    out.append("\x00")  # a gap: what surrounds a value does not join across it
                    i += len(candidate)
                    break
            else:
                if candidates and self._truncated(text[i:], candidates):
                    out.append("\x00")
                    break
                out.append(text[i])
                i += 1
        return "".join(out)

    @staticmethod
    def _truncated(tail: str, candidates: list[str]) -> bool:
        """A long value cut short for a list (truncatechars: "…" at the end)."""
        if not tail.endswith("…") or len(tail) < 6:
            return False
        head = tail[:-1].rstrip()
        return any(candidate.startswith(head) for candidate in candidates)


class _Visible(HTMLParser):
    """The text a reader sees, as separate pieces, outside elements marked as Chinese."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # tag, Chinese on purpose (or not shown)

    @property
    def skipped(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        skip = (
            self.skipped
            or a.get("lang", "").lower().startswith("zh")
            or tag == "style"
            or (tag == "script" and a.get("type", "") == "application/json")
        )
        if not skip:
            for name in SHOWN_ATTRIBUTES & a.keys():
                self.pieces.append(a[name])
            if tag == "input" and a.get("type", "").lower() in BUTTON_TYPES:
                self.pieces.append(a.get("value", ""))
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        # Browsers close <p>, <li>, <option>… implicitly: pop up to the matching tag.
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self.skipped:
            self.pieces.append(data)


def visible_texts(html: str) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return [" ".join(piece.split()) for piece in parser.pieces if HAN.search(piece)]


def untranslated(html: str, user_data: UserData, allowed: re.Pattern | None = None) -> list[str]:
    """Each piece of a page's text that still has Chinese once user data (and what `allowed`
    matches) is removed, the removed values shown as …."""
    fragments: list[str] = []
    for piece in visible_texts(html):
        stripped = user_data.strip(piece)
        if allowed is not None:
            stripped = allowed.sub(" ", stripped)
        if HAN.search(stripped):
            left = re.sub("\x00+", "…", stripped).strip()
            fragments.append(left if len(left) <= SHOWN else left[: SHOWN - 1] + "…")
    return list(dict.fromkeys(fragments))
