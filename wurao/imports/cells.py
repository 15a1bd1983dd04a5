"""Reading one cell of an import file.

Each parser takes the raw cell (text from CSV; text, number, date or bool from
XLSX), the reference data (Lookups) and the values parsed so far in the row, and
returns the value to store or an Invalid(code, message) whose Chinese message says
what would be right ("{column}" stands for the column's header). No Django import.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wurao.common.credit_code import CreditCodeError, credit_code_normalise
from wurao.imports.errors import RowErrorCode as E
from wurao.registry.industries import SECTION_LETTERS, industry_section_of

LIST_SEPARATORS = re.compile(r"[;；、,，|｜\n]+")
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0, off by its 1900 leap-year bug on purpose
SHOWN_CHOICES = 10  # how many known names an "unknown ..." message lists


def gettext_noop(message: str) -> str:
    """Marks a name for the translation catalogue (makemessages finds this name) without
    importing Django here; pages show it through gettext."""
    return message


@dataclass(frozen=True)
class Invalid:
    code: str
    message: str


@dataclass(frozen=True)
class Lookups:
    """Reference data, loaded once per import, keyed by what a user may type."""

    streets: Mapping[str, int] = field(default_factory=dict)  # name or code -> id
    street_names: Mapping[int, str] = field(default_factory=dict)
    communities: Mapping[str, tuple[tuple[int, int], ...]] = field(
        default_factory=dict
    )  # name/code -> (id, street)
    parks: Mapping[str, int] = field(default_factory=dict)  # name or code -> id
    departments: Mapping[str, tuple[int, bool]] = field(
        default_factory=dict
    )  # name/code -> (id, enforcement)
    risk_tags: Mapping[str, int] = field(default_factory=dict)  # name or casefolded code -> id
    enterprises: Mapping[str, int] = field(default_factory=dict)  # credit code -> id
    today: dt.date | None = None  # the local date of the import (None: the machine's)
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # kind -> names to suggest

    @classmethod
    def build(
        cls,
        *,
        streets: Iterable[tuple[int, str, str]] = (),
        communities: Iterable[tuple[int, int, str, str]] = (),
        parks: Iterable[tuple[int, str, str]] = (),
        departments: Iterable[tuple[int, str, str, bool]] = (),
        risk_tags: Iterable[tuple[int, str, str]] = (),
        enterprises: Iterable[tuple[int, str]] = (),
        today: dt.date | None = None,
    ) -> Lookups:
        """From plain rows: streets (id, code, name), communities (id, street id, code, name),
        parks (id, code, name), departments (id, code, name, is_enforcement), risk tags (id, code, name),
        enterprises (id, credit code; only those an import refers to)."""
        streets, parks, departments, risk_tags = (
            list(streets),
            list(parks),
            list(departments),
            list(risk_tags),
        )
        by_community: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for pk, street_id, code, name in communities:
            by_community[name].append((pk, street_id))
            by_community[code].append((pk, street_id))
        return cls(
            streets={key: pk for pk, code, name in streets for key in (code, name)},
            street_names={pk: name for pk, _, name in streets},
            communities={key: tuple(value) for key, value in by_community.items()},
            parks={key: pk for pk, code, name in parks for key in (code, name)},
            departments={
                key: (pk, enforcement)
                for pk, code, name, enforcement in departments
                for key in (code, code.upper(), name)
            },
            risk_tags={key: pk for pk, code, name in risk_tags for key in (code.casefold(), name)},
            enterprises={code: pk for pk, code in enterprises},
            today=today,
            names={
                "street": tuple(name for _, _, name in streets),
                "park": tuple(name for _, _, name in parks),
                "department": tuple(name for _, _, name, enforcement in departments if enforcement),
                "risk_tag": tuple(name for _, _, name in risk_tags),
            },
        )

    def suggest(self, kind: str) -> str:
        known = self.names.get(kind, ())
        if not known:
            return "（库中尚无数据，请先维护）"
        shown = "、".join(known[:SHOWN_CHOICES])
        more = f"等 {len(known)} 个" if len(known) > SHOWN_CHOICES else ""
        return f"现有：{shown}{more}"


Parser = Callable[[Any, Lookups, Mapping[str, Any]], Any]


def is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def as_text(cell: Any) -> str:
    """A cell as text: XLSX numbers lose their ".0", dates become ISO dates."""
    if isinstance(cell, bool):
        return "是" if cell else "否"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(sep=" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return "" if cell is None else str(cell).strip()


def split_list(cell: Any) -> list[str]:
    """Items separated by ; ； 、 , ， | or line breaks, without blanks or repeats, in order."""
    return list(dict.fromkeys(p.strip() for p in LIST_SEPARATORS.split(as_text(cell)) if p.strip()))


def text(max_length: int) -> Parser:
    def parse(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> str | Invalid:
        value = " ".join(as_text(cell).split())
        if len(value) > max_length:
            return Invalid(
                E.TOO_LONG, f"“{{column}}”最多 {max_length} 个字，实为 {len(value)} 个字"
            )
        return value

    return parse


def long_text(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> str:
    return as_text(cell).replace("\r\n", "\n")


def credit_code(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> str | Invalid:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return Invalid(
            E.CREDIT_CODE_AS_NUMBER,
            f"统一社会信用代码被 Excel 存成了数字（{as_text(cell)}），末几位可能已丢失。请把该列设为“文本”格式后重新填写。",
        )
    try:
        return credit_code_normalise(as_text(cell))
    except CreditCodeError as exc:
        return Invalid(exc.code, exc.message)


def choice(options: Mapping[str, str], shown: str) -> Parser:
    keyed = {k.casefold(): v for k, v in options.items()}

    def parse(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> str | Invalid:
        value = as_text(cell)
        found = keyed.get(value.casefold())
        if found is None:
            return Invalid(E.INVALID_CHOICE, f"“{{column}}”应为 {shown} 之一，实为“{value}”")
        return found

    return parse


def choices_of(choices: Any, **synonyms: str) -> dict[str, str]:
    """Accept a TextChoices' labels and values, plus synonyms (synonym=value)."""
    options = {label: value for value, label in choices.choices}
    options.update({value: value for value, _ in choices.choices})
    options.update({synonym: value for synonym, value in synonyms.items()})
    return options


TRUE_WORDS = frozenset({"是", "y", "yes", "1", "true", "t", "对", "√"})
FALSE_WORDS = frozenset({"否", "n", "no", "0", "false", "f", "不是", "×"})


def boolean(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> bool | Invalid:
    if isinstance(cell, bool):
        return cell
    value = as_text(cell).casefold()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    return Invalid(
        E.BAD_BOOLEAN, f"“{{column}}”应填 是/否（或 Y/N、1/0、true/false），实为“{as_text(cell)}”"
    )


DATE_PATTERNS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
)
TIME_SUFFIX = re.compile(r"\s+0{1,2}:00(:00)?$")  # "2020/1/1 0:00" as Excel writes dates into CSV


def date(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> dt.date | Invalid:
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool) and 1 <= cell < 2958466:
        # An XLSX date cell without date formatting arrives as Excel's serial day number.
        return EXCEL_EPOCH + dt.timedelta(days=int(cell))
    value = TIME_SUFFIX.sub("", as_text(cell))
    for pattern in DATE_PATTERNS:
        if match := pattern.fullmatch(value):
            year, month, day = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                return Invalid(
                    E.BAD_DATE,
                    f"“{{column}}”不是有效日期：“{value}”（月份应为 1–12，日不超过当月天数）",
                )
    return Invalid(
        E.BAD_DATE,
        f"“{{column}}”应为 YYYY-MM-DD、YYYY/M/D 或 YYYY年M月D日 格式的日期，实为“{value}”",
    )


def non_negative_int(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> int | Invalid:
    value = as_text(cell).replace(",", "")
    if re.fullmatch(r"\d+", value) and int(value) <= 2_147_483_647:
        return int(value)
    return Invalid(E.BAD_INTEGER, f"“{{column}}”应为不小于 0 的整数，实为“{as_text(cell)}”")


def industry_code(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> tuple[str, str] | Invalid:
    """GB/T 4754 小类: "C3311" or "3311"; the section letter is derived from the division."""
    value = as_text(cell).upper().replace(" ", "")
    match = re.fullmatch(r"([A-Z]?)(\d{4})", value)
    if not match:
        return Invalid(
            E.BAD_INDUSTRY_CODE,
            f"行业代码应为 GB/T 4754 四位小类代码，可带门类字母，如“C3311”或“3311”，实为“{value}”",
        )
    letter, digits = match.groups()
    section = industry_section_of(int(digits[:2]))
    if section is None:
        return Invalid(
            E.BAD_INDUSTRY_CODE,
            f"行业代码“{value}”的大类 {digits[:2]} 不在 GB/T 4754 中（应为 01–97）",
        )
    if letter and letter != section:
        return Invalid(
            E.BAD_INDUSTRY_CODE,
            f"行业代码“{value}”的门类字母与大类不符：大类 {digits[:2]} 属于门类 {section}，应写作“{section}{digits}”",
        )
    return section, digits


def industry_sections(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> list[str] | Invalid:
    parts = split_list(cell)
    if len(parts) == 1 and re.fullmatch(r"[A-Za-z]{2,}", parts[0]):
        parts = list(parts[0])  # "CF" for C and F
    letters = [p.upper() for p in parts]
    bad = [p for p in letters if p not in SECTION_LETTERS]
    if bad:
        return Invalid(
            E.BAD_INDUSTRY_SECTION,
            f"适用行业门类应为 GB/T 4754 门类字母 A–T（如“C;F”），无法识别：{'、'.join(bad)}",
        )
    return sorted(set(letters))


def street(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> int | Invalid:
    value = as_text(cell)
    if value in lookups.streets:
        return lookups.streets[value]
    return Invalid(E.UNKNOWN_STREET, f"街道“{value}”不在街道库中。{lookups.suggest('street')}")


def community(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> int | Invalid:
    value = as_text(cell)
    candidates = lookups.communities.get(value, ())
    if not candidates:
        return Invalid(E.UNKNOWN_COMMUNITY, f"社区“{value}”不在社区库中")
    street_id = row.get("street_id")
    if street_id is None:  # the street itself is wrong and already reported
        return candidates[0][0]
    for pk, owner in candidates:
        if owner == street_id:
            return pk
    owners = "、".join(lookups.street_names.get(owner, "?") for _, owner in candidates)
    return Invalid(
        E.COMMUNITY_NOT_IN_STREET,
        f"社区“{value}”不属于“{lookups.street_names.get(street_id, '?')}”（它属于{owners}），请核对街道或社区",
    )


def park(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> int | Invalid:
    value = as_text(cell)
    if value in lookups.parks:
        return lookups.parks[value]
    return Invalid(E.UNKNOWN_PARK, f"园区“{value}”不在园区库中。{lookups.suggest('park')}")


def department(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> int | Invalid:
    value = as_text(cell)
    found = lookups.departments.get(value) or lookups.departments.get(value.upper())
    if found is None:
        return Invalid(
            E.UNKNOWN_DEPARTMENT,
            f"部门“{value}”不在部门库中（填部门全称或简码）。{lookups.suggest('department')}",
        )
    pk, enforcement = found
    if not enforcement:
        return Invalid(
            E.NOT_ENFORCEMENT_DEPARTMENT,
            f"“{value}”不是执法主体（工会、妇联、党工委、社区工作站等），不能填作“{{column}}”；"
            "请填执法部门的全称或简码",
        )
    return pk


def enterprise(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> int | Invalid:
    """An enterprise already in the registry, by its unified social credit code."""
    code = credit_code(cell, lookups, row)
    if isinstance(code, Invalid):
        return code
    if code not in lookups.enterprises:
        return Invalid(
            E.UNKNOWN_ENTERPRISE,
            f"统一社会信用代码“{code}”不在企业库中：请核对代码，或先导入该企业（企业导入模板）",
        )
    return lookups.enterprises[code]


LEVEL_WORDS = {"一般": 1, "较重": 2, "严重": 3, "一级": 1, "二级": 2, "三级": 3}


def level(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> int | Invalid:
    """A level 1–3 (一般, 较重, 严重), as the points table counts an alert's severity."""
    value = as_text(cell).replace(" ", "")
    found = LEVEL_WORDS.get(value)
    if found is None and re.fullmatch(r"[123](级)?", value):
        found = int(value[0])
    if found is None:
        return Invalid(
            E.BAD_LEVEL, f"“{{column}}”应为 1、2、3（或 一般、较重、严重），实为“{value}”"
        )
    return found


def past_date(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> dt.date | Invalid:
    """A date that has already come: a record cannot be dated in the future."""
    value = date(cell, lookups, row)
    today = lookups.today or dt.date.today()
    if isinstance(value, dt.date) and value > today:
        return Invalid(E.FUTURE_DATE, f"“{{column}}”不能晚于今天（{today}），实为 {value}")
    return value


def risk_tags(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> frozenset[int] | Invalid:
    ids: set[int] = set()
    unknown: list[str] = []
    for name in split_list(cell):
        pk = lookups.risk_tags.get(name, lookups.risk_tags.get(name.casefold()))
        if pk is None:
            unknown.append(name)
        else:
            ids.add(pk)
    if unknown:
        return Invalid(
            E.UNKNOWN_RISK_TAG,
            f"未知风险标签：{'、'.join(unknown)}（填风险标签库中的名称或代码，多个用“;”分隔）。{lookups.suggest('risk_tag')}",
        )
    return frozenset(ids)


def text_list(max_items: int = 50) -> Parser:
    def parse(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> list[str] | Invalid:
        items = split_list(cell)
        if len(items) > max_items:
            return Invalid(E.TOO_LONG, f"“{{column}}”最多 {max_items} 项，实为 {len(items)} 项")
        return items

    return parse


_law_text = text(200)


def law_name(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> str | Invalid:
    """A law's name, without the 《》 people often write around it."""
    return _law_text(as_text(cell).strip("《》〈〉 "), lookups, row)
