"""Splitting a document's text into articles: pure functions, no Django.

Laws, regulations, rules and normative documents number their articles "第X条" (Chinese
numerals, sometimes Arabic) under headings "第X编/章/节"; technical standards number their
clauses "5.3.2" under headings "5 …" and "5.3 …" (GB/T 1.1-2020 第7章). An article's anchor
is derived from its number ("a10", "c5-3-2"), so it stays the same across versions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NUMERALS = "零〇一二两三四五六七八九十百千"
_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}

_SPACE = "[ \t\u3000]"
_LAW_ARTICLE = re.compile(rf"^{_SPACE}*(第([{NUMERALS}]+|\d+)条)(?:{_SPACE}+|$)(.*)$")
_LAW_HEADING = re.compile(rf"^{_SPACE}*(第(?:[{NUMERALS}]+|\d+)(编|章|节))(?:{_SPACE}+(.*)|$)")
_CLAUSE = re.compile(rf"^{_SPACE}*(\d{{1,2}}(?:\.\d{{1,3}})+)(?:{_SPACE}+|$)(.*)$")
_CHAPTER = re.compile(rf"^{_SPACE}*(\d{{1,2}}){_SPACE}+(\S.{{0,40}})$")
_SENTENCE = re.compile("[。；：，,;]")

LAW = "law"
STANDARD = "standard"


def chinese_number(numeral: str) -> int:
    """一百一十 → 110, 十二 → 12, 二十 → 20, 一〇五 → 105; Arabic digits pass through."""
    if numeral.isdigit():
        return int(numeral)
    if all(ch in _DIGITS for ch in numeral):  # read digit by digit: 一〇五
        return int("".join(str(_DIGITS[ch]) for ch in numeral))
    total, current = 0, 0
    for ch in numeral:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        else:
            total += (current or 1) * _UNITS[ch]
            current = 0
    return total + current


@dataclass
class SplitArticle:
    number: str
    anchor: str
    heading: str
    text: str


@dataclass
class Split:
    style: str  # LAW or STANDARD; "" when nothing was recognised
    articles: list[SplitArticle]
    problems: list[str]


def _unique(anchor: str, taken: set[str]) -> str:
    candidate, n = anchor, 1
    while candidate in taken:
        n += 1
        candidate = f"{anchor}-{n}"
    taken.add(candidate)
    return candidate


def _split_law(lines: list[str]) -> list[SplitArticle]:
    articles: list[SplitArticle] = []
    chapter = section = ""
    taken: set[str] = set()
    for line in lines:
        heading = _LAW_HEADING.match(line)
        if heading and not _LAW_ARTICLE.match(line):
            label = " ".join(p for p in (heading.group(1), (heading.group(3) or "").strip()) if p)
            if heading.group(2) == "节":
                section = label
            else:
                chapter, section = label, ""
            continue
        match = _LAW_ARTICLE.match(line)
        if match:
            anchor = _unique(f"a{chinese_number(match.group(2))}", taken)
            title = " ".join(p for p in (chapter, section) if p)
            articles.append(SplitArticle(match.group(1), anchor, title, match.group(3).strip()))
        elif articles and line.strip():
            articles[-1].text = f"{articles[-1].text}\n{line.strip()}".strip()
    return articles


def _split_standard(lines: list[str]) -> list[SplitArticle]:
    articles: list[SplitArticle] = []
    headings: dict[int, str] = {}
    taken: set[str] = set()
    for line in lines:
        clause = _CLAUSE.match(line)
        chapter = _CHAPTER.match(line) if not clause else None
        if clause:
            number, rest = clause.group(1), clause.group(2).strip()
            depth = number.count(".")
            # "6.2 建筑构件和管道井": a short title without a sentence is a heading.
            if rest and len(rest) <= 30 and not _SENTENCE.search(rest) and depth == 1:
                headings = {d: h for d, h in headings.items() if d < depth}
                headings[depth] = f"{number} {rest}"
                continue
            anchor = _unique("c" + number.replace(".", "-"), taken)
            title = " ".join(headings[d] for d in sorted(headings))
            articles.append(SplitArticle(number, anchor, title, rest))
        elif chapter and not _SENTENCE.search(chapter.group(2)):
            headings = {0: f"{chapter.group(1)} {chapter.group(2).strip()}"}
        elif articles and line.strip():
            articles[-1].text = f"{articles[-1].text}\n{line.strip()}".strip()
    return articles


def split_articles(text: str, *, style: str = "") -> Split:
    """The articles of a text; `style` LAW or STANDARD, or "" to recognise it (第X条 first)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    problems: list[str] = []
    articles: list[SplitArticle] = []
    if style in ("", LAW):
        articles = _split_law(lines)
        style = LAW if articles else style
    if not articles and style in ("", STANDARD):
        articles = _split_standard(lines)
        style = STANDARD
    empty = [a.number for a in articles if not a.text.strip()]
    if empty:
        problems.append("以下条文没有内容：" + "、".join(empty[:10]))
    return Split(style=style if articles else "", articles=articles, problems=problems)
