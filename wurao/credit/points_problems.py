"""What is wrong with a points table: every problem at once, each with its path, a code and a
Chinese message for the UI and an English one. `PointsTable` refuses to exist with any
(`PointsTableError`); `points_json` reports the JSON form's problems the same way. No Django.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from wurao.credit.points_catalogue import FORMAT, INDICATORS, KIND_SIGNS, Decay, Grade

if TYPE_CHECKING:
    from wurao.credit.points import GradeEffect, IndicatorRule, PointsTable
    from wurao.credit.points_catalogue import RecordKind


class TableErrorCode(StrEnum):
    JSON_INVALID = "json_invalid"
    FORMAT_UNKNOWN = "format_unknown"
    FIELD_MISSING = "field_missing"
    FIELD_UNKNOWN = "field_unknown"
    FIELD_TYPE = "field_type"
    VERSION_INVALID = "version_invalid"
    BASE_INVALID = "base_invalid"
    INDICATOR_UNKNOWN = "indicator_unknown"
    INDICATOR_DUPLICATE = "indicator_duplicate"
    KIND_INVALID = "kind_invalid"
    KIND_DUPLICATE = "kind_duplicate"
    POINTS_INVALID = "points_invalid"
    POINTS_SIGN = "points_sign"
    WINDOW_INVALID = "window_invalid"
    DECAY_UNKNOWN = "decay_unknown"
    HALF_LIFE_INVALID = "half_life_invalid"
    CAP_INVALID = "cap_invalid"
    TAG_INVALID = "tag_invalid"
    TAG_DUPLICATE = "tag_duplicate"
    INDUSTRY_INVALID = "industry_invalid"
    INDUSTRY_DUPLICATE = "industry_duplicate"
    THRESHOLD_INVALID = "threshold_invalid"
    THRESHOLDS_ORDER = "thresholds_order"
    EFFECT_MISSING = "effect_missing"
    EFFECT_INVALID = "effect_invalid"
    NO_TABLE_IN_FORCE = "no_table_in_force"


@dataclass(frozen=True)
class TableProblem:
    code: TableErrorCode
    path: str  # where, e.g. "indicators[2].window_days"
    message_zh: str
    message_en: str


class PointsTableError(ValueError):
    """A table refused, with every problem found (each with its path and both languages)."""

    def __init__(self, problems: Iterable[TableProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            "\n".join(f"{p.path}: {p.message_zh} / {p.message_en}" for p in self.problems)
        )

    @property
    def codes(self) -> set[TableErrorCode]:
        return {p.code for p in self.problems}


def finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_CATALOGUE = "、".join(f"{i.value}（{info.label}）" for i, info in INDICATORS.items())
# Every message, Chinese for the UI then English, by key; `{name}` is the indicator's label.
_C = TableErrorCode
_MESSAGES: dict[str, tuple[TableErrorCode, str, str]] = {
    "version": (
        _C.VERSION_INVALID,
        "版本号须为正整数，实为 {got!r}",
        "version must be a positive whole number, got {got!r}",
    ),
    "effective_from": (
        _C.FIELD_TYPE,
        "生效日期须为日期（YYYY-MM-DD）",
        "effective_from must be a date (YYYY-MM-DD)",
    ),
    "base": (
        _C.BASE_INVALID,
        "基础分须为有限数字，实为 {got!r}",
        "base must be a finite number, got {got!r}",
    ),
    "indicator": (
        _C.INDICATOR_UNKNOWN,
        "未知的指标“{got}”，可选：" + _CATALOGUE + "{declared_zh}",
        "unknown indicator {got!r}; one of " + ", ".join(INDICATORS) + "{declared_en}",
    ),
    "kind_code": (
        _C.KIND_INVALID,
        "自定义记录类型的代码须为小写字母开头、由小写字母、数字和下划线组成的 2—40 个字符，"
        "实为 {got!r}",
        "a declared kind's code must be 2–40 characters of lower-case letters, digits and"
        " underscores, starting with a letter, got {got!r}",
    ),
    "kind_clash": (
        _C.KIND_INVALID,
        "自定义记录类型“{got}”与目录中的指标重名，请换一个代码",
        "declared kind {got!r} has the name of a catalogue indicator; choose another code",
    ),
    "kind_duplicate": (
        _C.KIND_DUPLICATE,
        "自定义记录类型“{got}”重复出现",
        "declared kind {got!r} appears twice",
    ),
    "kind_label": (
        _C.KIND_INVALID,
        "自定义记录类型“{got}”须有中文名称和英文名称",
        "declared kind {got!r} needs a Chinese and an English label",
    ),
    "kind_sign": (
        _C.KIND_INVALID,
        "自定义记录类型“{code}”的方向须为 risk（风险，只能扣分）或 credit（信用，只能加分），"
        "实为 {got!r}",
        "declared kind {code!r}: sign must be risk (can only lower the score) or credit (can"
        " only raise it), got {got!r}",
    ),
    "duplicate": (
        _C.INDICATOR_DUPLICATE,
        "指标“{got}”重复出现，每个指标只能有一条规则",
        "indicator {got!r} appears twice; one rule per indicator",
    ),
    "points": (
        _C.POINTS_INVALID,
        "“{name}”的分值须为有限数字，实为 {got!r}",
        "points must be a finite number, got {got!r}",
    ),
    "sign-": (
        _C.POINTS_SIGN,
        "“{name}”只能扣分，分值须 ≤ 0，实为 {got}",
        "{name_en} can only lower the score: points must be ≤ 0, got {got}",
    ),
    "sign+": (
        _C.POINTS_SIGN,
        "“{name}”只能加分，分值须 ≥ 0，实为 {got}",
        "{name_en} can only raise the score: points must be ≥ 0, got {got}",
    ),
    "window": (
        _C.WINDOW_INVALID,
        "“{name}”的回溯期须为 1 至 36500 之间的整数天，实为 {got!r}",
        "window_days must be a whole number of days from 1 to 36500, got {got!r}",
    ),
    "decay": (
        _C.DECAY_UNKNOWN,
        "“{name}”的衰减方式“{got}”未知，可选：none（不衰减）、linear（线性）、exponential（指数）",
        "unknown decay {got!r}; one of none, linear, exponential",
    ),
    "half_life": (
        _C.HALF_LIFE_INVALID,
        "“{name}”按指数衰减，须给出大于 0 的半衰期天数，实为 {got!r}",
        "exponential decay needs half_life_days > 0, got {got!r}",
    ),
    "half_life_unused": (
        _C.HALF_LIFE_INVALID,
        "“{name}”不是指数衰减，不应设半衰期（请删去，或改为指数衰减）",
        "half_life_days is only for exponential decay; remove it or set decay to exponential",
    ),
    "cap": (
        _C.CAP_INVALID,
        "“{name}”的封顶分值须大于 0（按绝对值计），不封顶请留空，实为 {got!r}",
        "cap must be > 0 (a magnitude) or null for no cap, got {got!r}",
    ),
    "per_severity": (
        _C.FIELD_TYPE,
        "“{name}”的“按严重程度计分”须为 true 或 false",
        "per_severity must be true or false",
    ),
    "tag": (
        _C.TAG_INVALID,
        "风险标签须有非空代码和有限分值，实为 {got!r}",
        "a tag needs a non-empty code and finite points, got {got!r}",
    ),
    "tag_duplicate": (_C.TAG_DUPLICATE, "风险标签“{got}”重复出现", "tag {got!r} appears twice"),
    "tag_cap": (
        _C.CAP_INVALID,
        "风险标签合计封顶须大于 0，不封顶请留空，实为 {got!r}",
        "tag_cap must be > 0 or null for no cap, got {got!r}",
    ),
    "industry": (
        _C.INDUSTRY_INVALID,
        "行业门类须为 GB/T 4754 门类字母 A–T，分值为有限数字，实为 {got!r}",
        "an industry needs a GB/T 4754 section letter A–T and finite points, got {got!r}",
    ),
    "industry_duplicate": (
        _C.INDUSTRY_DUPLICATE,
        "行业门类 {got} 重复出现",
        "industry section {got} appears twice",
    ),
    "threshold": (
        _C.THRESHOLD_INVALID,
        "{grade} 级分数线须为有限数字，实为 {got!r}",
        "the {grade} threshold must be a finite number, got {got!r}",
    ),
    "order": (
        _C.THRESHOLDS_ORDER,
        "分数线须从高到低：A（{a}）> B（{b}）> C（{c}）",
        "thresholds must decrease strictly: A ({a}) > B ({b}) > C ({c})",
    ),
    "effect_missing": (
        _C.EFFECT_MISSING,
        "{grade} 级的监管措施须恰好设置一次（现有 {got} 次）",
        "grade {grade} needs exactly one effects entry (found {got})",
    ),
    "weight": (
        _C.EFFECT_INVALID,
        '{grade} 级的抽查权重须为不小于 0 的十进制数，JSON 中写作字符串（如 "0.5"、"2"），实为 {got!r}',
        'sampling_weight must be a decimal ≥ 0, written as a string in JSON (such as "0.5" or "2"), got {got!r}',
    ),
    "visit_cap": (
        _C.EFFECT_INVALID,
        "{grade} 级的年度入企检查上限须为不小于 0 的整数，不设上限请留空，实为 {got!r}",
        "visit_cap_per_year must be a whole number ≥ 0 or null for no cap, got {got!r}",
    ),
    "quiet": (
        _C.EFFECT_INVALID,
        "{grade} 级的免扰期须为不小于 0 的整数天，实为 {got!r}",
        "quiet_period_days must be a whole number ≥ 0, got {got!r}",
    ),
    "flags": (
        _C.EFFECT_INVALID,
        "{grade} 级的标识须为非空文字，实为 {got!r}",
        "flags must be non-empty strings, got {got!r}",
    ),
    "in_force": (
        _C.NO_TABLE_IN_FORCE,
        "{got} 没有生效的计分表",
        "no points table is in force on {got}",
    ),
    "missing": (_C.FIELD_MISSING, "缺少字段“{got}”", "field {got!r} is missing"),
    "unknown": (
        _C.FIELD_UNKNOWN,
        "未知字段“{got}”（可用：{known_zh}）",
        "unknown field {got!r} (known: {known_en})",
    ),
    "type": (_C.FIELD_TYPE, "须为{zh}，实为 {got!r}", "must be {en}, got {got!r}"),
    "format": (
        _C.FORMAT_UNKNOWN,
        "格式“{got}”无法识别，应为 " + FORMAT,
        "unknown format {got!r}; expected " + FORMAT,
    ),
    "json": (
        _C.JSON_INVALID,
        "不是有效的 JSON（第 {line} 行第 {col} 列：{got}）",
        "not valid JSON (line {line}, column {col}: {got})",
    ),
}


class ProblemList(list[TableProblem]):
    def add(self, key: str, path: str, **kw: object) -> None:
        code, zh, en = _MESSAGES[key]
        self.append(TableProblem(code, path, zh.format(**kw), en.format(**kw)))


def _rule_problems(out: ProblemList, path: str, rule: IndicatorRule, table: PointsTable) -> None:
    code = rule.indicator
    info = table.info(code) if isinstance(code, str) else None
    name = info.label if info else str(code)
    if info is None:
        declared = [k.code for k in table.kinds if isinstance(k.code, str)]
        declared = [c for c in declared if c not in INDICATORS]
        out.add(
            "indicator",
            f"{path}.indicator",
            got=str(code),
            declared_zh="".join(f"、{c}（本表声明）" for c in declared),
            declared_en="".join(f", {c} (declared)" for c in declared),
        )
    if not finite(rule.points):
        out.add("points", f"{path}.points", name=name, got=rule.points)
    elif info and info.direction and rule.points * info.direction < 0:
        sign = "sign-" if info.direction < 0 else "sign+"
        out.add(sign, f"{path}.points", name=name, name_en=rule.indicator, got=rule.points)
    if not (whole(rule.window_days) and 1 <= rule.window_days <= 36500):
        out.add("window", f"{path}.window_days", name=name, got=rule.window_days)
    half_life = rule.half_life_days
    if not isinstance(rule.decay, Decay):
        out.add("decay", f"{path}.decay", name=name, got=str(rule.decay))
    elif rule.decay == Decay.EXPONENTIAL and not (finite(half_life) and half_life > 0):  # type: ignore[operator]
        out.add("half_life", f"{path}.half_life_days", name=name, got=half_life)
    elif rule.decay != Decay.EXPONENTIAL and half_life is not None:
        out.add("half_life_unused", f"{path}.half_life_days", name=name)
    if rule.cap is not None and not (finite(rule.cap) and rule.cap > 0):
        out.add("cap", f"{path}.cap", name=name, got=rule.cap)
    if not isinstance(rule.per_severity, bool):
        out.add("per_severity", f"{path}.per_severity", name=name)


def table_problems(table: PointsTable) -> list[TableProblem]:
    """Every problem with a table, in field order; empty when it is valid."""
    out = ProblemList()
    if not (whole(table.version) and table.version >= 1):
        out.add("version", "version", got=table.version)
    if not isinstance(table.effective_from, date):
        out.add("effective_from", "effective_from")
    if not finite(table.base):
        out.add("base", "base", got=table.base)
    _kind_problems(out, table.kinds)
    seen: set[str] = set()
    for i, rule in enumerate(table.rules):
        _rule_problems(out, f"indicators[{i}]", rule, table)
        if str(rule.indicator) in seen:
            out.add("duplicate", f"indicators[{i}].indicator", got=str(rule.indicator))
        seen.add(str(rule.indicator))
    codes: set[str] = set()
    for i, tag in enumerate(table.tags):
        if not (isinstance(tag.code, str) and tag.code.strip() and finite(tag.points)):
            out.add("tag", f"tags[{i}]", got=(tag.code, tag.points))
        elif tag.code in codes:
            out.add("tag_duplicate", f"tags[{i}].code", got=tag.code)
        codes.add(str(tag.code))
    if table.tag_cap is not None and not (finite(table.tag_cap) and table.tag_cap > 0):
        out.add("tag_cap", "tag_cap", got=table.tag_cap)
    sections: set[str] = set()
    for i, ind in enumerate(table.industries):
        letter = isinstance(ind.section, str) and re.fullmatch("[A-T]", ind.section)
        if not (letter and finite(ind.points)):
            out.add("industry", f"industries[{i}]", got=(ind.section, ind.points))
        elif ind.section in sections:
            out.add("industry_duplicate", f"industries[{i}].section", got=ind.section)
        sections.add(str(ind.section))
    t = table.thresholds
    values = {"A": t.a, "B": t.b, "C": t.c}
    for g, v in values.items():
        if not finite(v):
            out.add("threshold", f"thresholds.{g}", grade=g, got=v)
    if all(finite(v) for v in values.values()) and not t.a > t.b > t.c:
        out.add("order", "thresholds", a=t.a, b=t.b, c=t.c)
    _effect_problems(out, table.effects)
    return out


def _kind_problems(out: ProblemList, kinds: tuple[RecordKind, ...]) -> None:
    seen: set[str] = set()
    for i, kind in enumerate(kinds):
        path, code = f"kinds[{i}]", kind.code
        if not (isinstance(code, str) and re.fullmatch("[a-z][a-z0-9_]{1,39}", code)):
            out.add("kind_code", f"{path}.code", got=code)
        elif code in INDICATORS:
            out.add("kind_clash", f"{path}.code", got=code)
        elif code in seen:
            out.add("kind_duplicate", f"{path}.code", got=code)
        seen.add(str(code))
        labels = (kind.label, kind.label_en)
        if not all(isinstance(x, str) and x.strip() for x in labels):
            out.add("kind_label", f"{path}.label", got=code)
        if kind.sign not in KIND_SIGNS:
            out.add("kind_sign", f"{path}.sign", code=code, got=kind.sign)


def _effect_problems(out: ProblemList, effects: tuple[GradeEffect, ...]) -> None:
    grades = [e.grade for e in effects]
    for grade in Grade:
        if grades.count(grade) != 1:
            out.add(
                "effect_missing", f"effects.{grade}", grade=grade.value, got=grades.count(grade)
            )
    for e in effects:
        path, g = f"effects.{e.grade}", str(e.grade)
        w = e.sampling_weight
        if not (isinstance(w, Decimal) and w.is_finite() and w >= 0):
            out.add("weight", f"{path}.sampling_weight", grade=g, got=w)
        cap = e.visit_cap_per_year
        if cap is not None and not (whole(cap) and cap >= 0):
            out.add("visit_cap", f"{path}.visit_cap_per_year", grade=g, got=cap)
        if not (whole(e.quiet_period_days) and e.quiet_period_days >= 0):
            out.add("quiet", f"{path}.quiet_period_days", grade=g, got=e.quiet_period_days)
        if not all(isinstance(f, str) and f.strip() for f in e.flags):
            out.add("flags", f"{path}.flags", grade=g, got=e.flags)
