"""The search's grams, queries and highlights: pure functions, no Django.

Chinese is not segmented into words here: every article is indexed as its characters (unigrams)
and each pair of adjacent characters (bigrams) within a run of Chinese; Latin letters and digits
as lower-cased words. A query of one character looks its unigram up, a longer run all its
bigrams (a superset: "防火门" also finds 防火…火门 apart), and the database then checks the real
text for the query itself, so what is found is exactly what contains it (docs/standards.md).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# CJK unified ideographs, extension A and the compatibility block.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{HAN}]+|[0-9A-Za-z]+")
_HAN_RUN = re.compile(rf"[{HAN}]+")

MAX_TERMS = 8
MAX_TERM_LENGTH = 40


def searchable(designation: str, number: str, text: str) -> str:
    """What an article is searched in: its document's designation, its number and its text, so
    that "GB 50016 6.2.7" finds the clause (the SQL recheck joins the same three)."""
    return f"{designation} {number} {text}"


def index_grams(text: str) -> str:
    """The space-separated distinct grams of a text, in first-seen order."""
    seen: dict[str, None] = {}
    for run in _RUNS.findall(text):
        if _HAN_RUN.fullmatch(run):
            seen.update(dict.fromkeys(run))
            seen.update(dict.fromkeys(run[i : i + 2] for i in range(len(run) - 1)))
        else:
            seen[run.lower()] = None
    return " ".join(seen)


@dataclass(frozen=True)
class Term:
    """One whitespace-separated piece of a query: its text (what the recheck looks for) and
    the grams every match must hold; the last Latin word may be the start of a longer one."""

    text: str
    grams: tuple[str, ...]
    prefix: str = ""  # a Latin word matched as a prefix ("5001" finds "50016")


def query_terms(query: str) -> list[Term]:
    """The terms of a query; pieces with neither Chinese nor Latin letters or digits are
    dropped (they could not be looked up), as are repeats."""
    terms: list[Term] = []
    for piece in dict.fromkeys(query.split()[:MAX_TERMS]):
        piece = piece[:MAX_TERM_LENGTH]
        runs = _RUNS.findall(piece)
        if not runs:
            continue
        grams: dict[str, None] = {}
        prefix = ""
        for index, run in enumerate(runs):
            if _HAN_RUN.fullmatch(run):
                if len(run) == 1:
                    grams[run] = None
                else:
                    grams.update(dict.fromkeys(run[i : i + 2] for i in range(len(run) - 1)))
            elif index == len(runs) - 1 and piece.lower().endswith(run.lower()):
                prefix = run.lower()  # may continue in the text: "GB5" … "GB50016"
            else:
                grams[run.lower()] = None
        terms.append(Term(text=piece.lower(), grams=tuple(grams), prefix=prefix))
    return terms


def occurrences(text: str, terms: list[Term]) -> int:
    lowered = text.lower()
    return sum(lowered.count(term.text) for term in terms)


def _spans(text: str, terms: list[Term]) -> list[tuple[int, int]]:
    lowered = text.lower()
    spans = []
    for term in terms:
        start = lowered.find(term.text)
        while start >= 0:
            spans.append((start, start + len(term.text)))
            start = lowered.find(term.text, start + len(term.text))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, terms: list[Term], *, width: int | None = None) -> str:
    """The text HTML-escaped with every occurrence of a term in <mark>; with `width`, a window
    of about that many characters around the first occurrence, ellipses where cut."""
    spans = _spans(text, terms)
    start, end = 0, len(text)
    if width is not None and len(text) > width:
        first = spans[0][0] if spans else 0
        start = max(0, min(first - width // 4, len(text) - width))
        end = start + width
    parts = ["…"] if start > 0 else []
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        parts.append(html.escape(text[cursor:span_start]))
        parts.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(html.escape(text[cursor:end]))
    if end < len(text):
        parts.append("…")
    return "".join(parts)
