"""The credit points table (信用计分表): what each kind of record is worth, for how long, the
grade thresholds and what each grade means for supervision. Plain dataclasses, no Django.

The justice bureau configures and versions the table; `engine` scores with one version and
each result records that version, so a new version never rewrites past grades. A table is
validated when it is built: an invalid one cannot exist, and `PointsTableError` lists every
problem at once (path, code, a Chinese message for the UI and an English one).

The table's JSON form (`table_to_json` / `table_from_json` and the dict forms) is in
`points_json`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

FORMAT = "wurao-points-table-v1"


class Indicator(StrEnum):
    """The kinds of dated record the engine scores, in catalogue order."""

    PENALTY = "penalty"
    COERCIVE_MEASURE = "coercive_measure"
    INSPECTION_PROBLEM = "inspection_problem"
    INSPECTION_CLEAN = "inspection_clean"
    HAZARD_OPEN = "hazard_open"
    RECTIFICATION_OVERDUE = "rectification_overdue"
    COMPLAINT_SUBSTANTIATED = "complaint_substantiated"
    COMMITMENT_BROKEN = "commitment_broken"
    COMMITMENT_FULFILLED = "commitment_fulfilled"
    MONITORING_ALERT = "monitoring_alert"
    AWARD = "award"
    REPAIR_COMPLETED = "repair_completed"


def gettext_noop(message: str) -> str:
    """Marks a label for the translation catalogue (makemessages finds this name) without
    importing Django here; pages show it through gettext."""
    return message


@dataclass(frozen=True)
class IndicatorInfo:
    label: str
    direction: int  # -1: a record can only lower the score; +1: only raise it
    severity_labels: Mapping[int, str] = field(default_factory=dict)
    # For the English breakdown (the engine writes each reason in both languages).
    label_en: str = ""
    severity_labels_en: Mapping[int, str] = field(default_factory=dict)


_LEVELS = {1: gettext_noop("一般"), 2: gettext_noop("较重"), 3: gettext_noop("严重")}
_LEVELS_EN = {1: "minor", 2: "serious", 3: "severe"}
INDICATORS: Mapping[Indicator, IndicatorInfo] = {
    Indicator.PENALTY: IndicatorInfo(
        gettext_noop("行政处罚"), -1, _LEVELS, "Administrative penalty", _LEVELS_EN
    ),
    Indicator.COERCIVE_MEASURE: IndicatorInfo(
        gettext_noop("行政强制措施"), -1, label_en="Administrative coercive measure"
    ),
    Indicator.INSPECTION_PROBLEM: IndicatorInfo(
        gettext_noop("检查发现问题"), -1, _LEVELS, "Problems found at inspection", _LEVELS_EN
    ),
    Indicator.INSPECTION_CLEAN: IndicatorInfo(
        gettext_noop("检查未发现问题"), 1, label_en="Inspection found no problems"
    ),
    Indicator.HAZARD_OPEN: IndicatorInfo(
        gettext_noop("未整改隐患"),
        -1,
        {1: gettext_noop("一般隐患"), 3: gettext_noop("重大隐患")},
        "Hazard not remedied",
        {1: "ordinary hazard", 3: "major hazard"},
    ),
    Indicator.RECTIFICATION_OVERDUE: IndicatorInfo(
        gettext_noop("逾期未整改"), -1, label_en="Rectification overdue"
    ),
    Indicator.COMPLAINT_SUBSTANTIATED: IndicatorInfo(
        gettext_noop("投诉举报查实"), -1, label_en="Substantiated complaint"
    ),
    Indicator.COMMITMENT_BROKEN: IndicatorInfo(
        gettext_noop("违背信用承诺"), -1, label_en="Credit commitment broken"
    ),
    Indicator.COMMITMENT_FULFILLED: IndicatorInfo(
        gettext_noop("履行信用承诺"), 1, label_en="Credit commitment kept"
    ),
    Indicator.MONITORING_ALERT: IndicatorInfo(
        gettext_noop("非现场监测预警"), -1, _LEVELS, "Off-site monitoring alert", _LEVELS_EN
    ),
    Indicator.AWARD: IndicatorInfo(
        gettext_noop("表彰奖励"),
        1,
        {1: gettext_noop("区级"), 2: gettext_noop("市级"), 3: gettext_noop("省级及以上")},
        "Commendations and awards",
        {1: "district", 2: "city", 3: "provincial or higher"},
    ),
    Indicator.REPAIR_COMPLETED: IndicatorInfo(
        gettext_noop("完成信用修复"), 1, label_en="Credit repair completed"
    ),
}


class Decay(StrEnum):
    NONE = "none"  # full points for the whole window
    LINEAR = "linear"  # 1 − age / window: full on the day, 0 at the window's end
    EXPONENTIAL = "exponential"  # 0.5 ** (age / half_life), until the window's end


DECAY_LABELS = {
    Decay.NONE: gettext_noop("不衰减"),
    Decay.LINEAR: gettext_noop("线性衰减"),
    Decay.EXPONENTIAL: gettext_noop("指数衰减"),
}


class Grade(StrEnum):
    A = "A"  # best: good credit, low risk
    B = "B"
    C = "C"
    D = "D"  # highest risk


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


@dataclass(frozen=True)
class IndicatorRule:
    """Points per record (× the record's severity if `per_severity`), counted while the
    record's age in days is in [0, window_days), decayed, the enterprise's total for the
    indicator capped at ±cap (None: no cap)."""

    indicator: Indicator
    points: float
    window_days: int
    decay: Decay = Decay.NONE
    half_life_days: float | None = None
    cap: float | None = None
    per_severity: bool = False

    def __post_init__(self) -> None:
        # Plain strings become enum members; unknown ones stay for the table to report.
        if isinstance(self.indicator, str) and self.indicator in INDICATORS:
            object.__setattr__(self, "indicator", Indicator(self.indicator))
        if isinstance(self.decay, str) and self.decay in DECAY_LABELS:
            object.__setattr__(self, "decay", Decay(self.decay))


@dataclass(frozen=True)
class TagRisk:
    """Inherent risk of a registry risk tag (风险标签, `RiskTag.code`); no date, no window."""

    code: str
    label: str
    points: float


@dataclass(frozen=True)
class IndustryRisk:
    """Inherent risk of an industry section (GB/T 4754 门类 letter A–T); no date, no window."""

    section: str
    label: str
    points: float


@dataclass(frozen=True)
class Thresholds:
    """Score → grade: A if score ≥ a, B if ≥ b, C if ≥ c, else D; a > b > c."""

    a: float
    b: float
    c: float


@dataclass(frozen=True)
class GradeEffect:
    """What a grade means for the other capabilities: the draw's sampling weight ([draws]),
    the yearly cap of planned on-site visits (None: no cap) and the quiet period after a
    visit ([visits]), and flags shown to departments such as 绿色通道."""

    grade: Grade
    sampling_weight: Decimal
    visit_cap_per_year: int | None
    quiet_period_days: int
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class PointsTable:
    """One version of the table: from `base`, each rule's records and the inherent risk of
    tags and industry make the score; `thresholds` make the grade; `effects` say what the
    grade means. Valid by construction (`PointsTableError` otherwise)."""

    version: int
    effective_from: date
    name: str
    base: float
    rules: tuple[IndicatorRule, ...]
    tags: tuple[TagRisk, ...]
    tag_cap: float | None
    industries: tuple[IndustryRisk, ...]
    thresholds: Thresholds
    effects: tuple[GradeEffect, ...]  # one per grade, A to D

    def __post_init__(self) -> None:
        problems = table_problems(self)
        if problems:
            raise PointsTableError(problems)

    def rule(self, indicator: Indicator | str) -> IndicatorRule | None:
        return next((r for r in self.rules if r.indicator == indicator), None)

    def effect(self, grade: Grade | str) -> GradeEffect:
        return next(e for e in self.effects if e.grade == grade)


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _whole(value: object) -> bool:
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
        "未知的指标“{got}”，可选：" + _CATALOGUE,
        "unknown indicator {got!r}; one of " + ", ".join(INDICATORS),
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


class _Problems(list[TableProblem]):
    def add(self, key: str, path: str, **kw: object) -> None:
        code, zh, en = _MESSAGES[key]
        self.append(TableProblem(code, path, zh.format(**kw), en.format(**kw)))


def _rule_problems(out: _Problems, path: str, rule: IndicatorRule) -> None:
    info = INDICATORS.get(rule.indicator) if isinstance(rule.indicator, Indicator) else None
    name = info.label if info else str(rule.indicator)
    if info is None:
        out.add("indicator", f"{path}.indicator", got=str(rule.indicator))
    if not _finite(rule.points):
        out.add("points", f"{path}.points", name=name, got=rule.points)
    elif info and rule.points * info.direction < 0:
        sign = "sign-" if info.direction < 0 else "sign+"
        out.add(sign, f"{path}.points", name=name, name_en=rule.indicator, got=rule.points)
    if not (_whole(rule.window_days) and 1 <= rule.window_days <= 36500):
        out.add("window", f"{path}.window_days", name=name, got=rule.window_days)
    half_life = rule.half_life_days
    if not isinstance(rule.decay, Decay):
        out.add("decay", f"{path}.decay", name=name, got=str(rule.decay))
    elif rule.decay == Decay.EXPONENTIAL and not (_finite(half_life) and half_life > 0):  # type: ignore[operator]
        out.add("half_life", f"{path}.half_life_days", name=name, got=half_life)
    elif rule.decay != Decay.EXPONENTIAL and half_life is not None:
        out.add("half_life_unused", f"{path}.half_life_days", name=name)
    if rule.cap is not None and not (_finite(rule.cap) and rule.cap > 0):
        out.add("cap", f"{path}.cap", name=name, got=rule.cap)
    if not isinstance(rule.per_severity, bool):
        out.add("per_severity", f"{path}.per_severity", name=name)


def table_problems(table: PointsTable) -> list[TableProblem]:
    """Every problem with a table, in field order; empty when it is valid."""
    out = _Problems()
    if not (_whole(table.version) and table.version >= 1):
        out.add("version", "version", got=table.version)
    if not isinstance(table.effective_from, date):
        out.add("effective_from", "effective_from")
    if not _finite(table.base):
        out.add("base", "base", got=table.base)
    seen: set[str] = set()
    for i, rule in enumerate(table.rules):
        _rule_problems(out, f"indicators[{i}]", rule)
        if str(rule.indicator) in seen:
            out.add("duplicate", f"indicators[{i}].indicator", got=str(rule.indicator))
        seen.add(str(rule.indicator))
    codes: set[str] = set()
    for i, tag in enumerate(table.tags):
        if not (isinstance(tag.code, str) and tag.code.strip() and _finite(tag.points)):
            out.add("tag", f"tags[{i}]", got=(tag.code, tag.points))
        elif tag.code in codes:
            out.add("tag_duplicate", f"tags[{i}].code", got=tag.code)
        codes.add(str(tag.code))
    if table.tag_cap is not None and not (_finite(table.tag_cap) and table.tag_cap > 0):
        out.add("tag_cap", "tag_cap", got=table.tag_cap)
    sections: set[str] = set()
    for i, ind in enumerate(table.industries):
        letter = isinstance(ind.section, str) and re.fullmatch("[A-T]", ind.section)
        if not (letter and _finite(ind.points)):
            out.add("industry", f"industries[{i}]", got=(ind.section, ind.points))
        elif ind.section in sections:
            out.add("industry_duplicate", f"industries[{i}].section", got=ind.section)
        sections.add(str(ind.section))
    t = table.thresholds
    values = {"A": t.a, "B": t.b, "C": t.c}
    for g, v in values.items():
        if not _finite(v):
            out.add("threshold", f"thresholds.{g}", grade=g, got=v)
    if all(_finite(v) for v in values.values()) and not t.a > t.b > t.c:
        out.add("order", "thresholds", a=t.a, b=t.b, c=t.c)
    _effect_problems(out, table.effects)
    return out


def _effect_problems(out: _Problems, effects: tuple[GradeEffect, ...]) -> None:
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
        if cap is not None and not (_whole(cap) and cap >= 0):
            out.add("visit_cap", f"{path}.visit_cap_per_year", grade=g, got=cap)
        if not (_whole(e.quiet_period_days) and e.quiet_period_days >= 0):
            out.add("quiet", f"{path}.quiet_period_days", grade=g, got=e.quiet_period_days)
        if not all(isinstance(f, str) and f.strip() for f in e.flags):
            out.add("flags", f"{path}.flags", grade=g, got=e.flags)


def table_in_force(tables: Iterable[PointsTable], on: date) -> PointsTable:
    """The version in force on a date: the highest version whose effective date has come."""
    eligible = [t for t in tables if t.effective_from <= on]
    if not eligible:
        out = _Problems()
        out.add("in_force", "effective_from", got=on.isoformat())
        raise PointsTableError(out)
    return max(eligible, key=lambda t: t.version)


# The default table, version 1. Values and why (every figure is the justice bureau's to change):
# - base 100; A ≥ 103 needs a positive record (clean inspections, kept commitments, awards),
#   so an enterprise nobody knows anything about is B, the draw's neutral weight 1;
# - an ordinary penalty −6 (较重 −12, 严重 −18) fading linearly over three years, the
#   period 《市场监督管理严重违法失信名单管理办法》 and most repair rules count; one 严重
#   penalty alone means C, two mean D;
# - 行政强制 −8 over two years; a broken commitment −10 over three (承诺失信 is itself
#   a credit record under 国办发〔2019〕35号);
# - problems found at inspection −2 × severity, open hazards −3 × severity (重大隐患 −9),
#   overdue rectification −5: these are risk now, so they fade fast or stay while open;
# - substantiated complaints −3 and monitoring alerts −1 × level halve every 180 / 30
#   days, signals rather than findings;
# - clean inspections +1 (cap +10), kept commitments +2 (cap +6), awards +3 × level
#   (cap +10), completed repair +2 (cap +6);
# - inherent risk: risk tags from −2 (食品) to −6 (危化品), at most −10 together, and
#   industries from 0 to −3 (采矿业, 建筑业): inherent risk alone can bring an enterprise
#   to C, never to D.
_RULES = (
    IndicatorRule(Indicator.PENALTY, -6, 1095, Decay.LINEAR, cap=36, per_severity=True),
    IndicatorRule(Indicator.COERCIVE_MEASURE, -8, 730, Decay.LINEAR, cap=24),
    IndicatorRule(
        Indicator.INSPECTION_PROBLEM, -2, 365, Decay.EXPONENTIAL, 180, cap=12, per_severity=True
    ),
    IndicatorRule(Indicator.INSPECTION_CLEAN, 1, 730, Decay.NONE, cap=10),
    IndicatorRule(Indicator.HAZARD_OPEN, -3, 730, Decay.NONE, cap=18, per_severity=True),
    IndicatorRule(Indicator.RECTIFICATION_OVERDUE, -5, 730, Decay.LINEAR, cap=20),
    IndicatorRule(Indicator.COMPLAINT_SUBSTANTIATED, -3, 730, Decay.EXPONENTIAL, 180, cap=15),
    IndicatorRule(Indicator.COMMITMENT_BROKEN, -10, 1095, Decay.LINEAR, cap=30),
    IndicatorRule(Indicator.COMMITMENT_FULFILLED, 2, 730, Decay.NONE, cap=6),
    IndicatorRule(
        Indicator.MONITORING_ALERT, -1, 180, Decay.EXPONENTIAL, 30, cap=10, per_severity=True
    ),
    IndicatorRule(Indicator.AWARD, 3, 1095, Decay.LINEAR, cap=10, per_severity=True),
    IndicatorRule(Indicator.REPAIR_COMPLETED, 2, 730, Decay.NONE, cap=6),
)
_TAGS = (
    TagRisk("hazchem", "危化品", -6),
    TagRisk("dust", "粉尘涉爆", -5),
    TagRisk("ammonia", "涉氨制冷", -5),
    TagRisk("metal_melt", "金属熔融", -5),
    TagRisk("confined", "有限空间", -4),
    TagRisk("fire_key", "消防重点", -4),
    TagRisk("construction", "建筑施工", -4),
    TagRisk("special_eq", "特种设备", -3),
    TagRisk("discharge", "排污", -3),
    TagRisk("occupational", "职业病危害", -3),
    TagRisk("crowded", "人员密集", -3),
    TagRisk("food", "食品", -2),
)
_INDUSTRIES = (
    IndustryRisk("B", "采矿业", -3),
    IndustryRisk("C", "制造业", -2),
    IndustryRisk("D", "电力、热力、燃气及水生产和供应业", -2),
    IndustryRisk("E", "建筑业", -3),
    IndustryRisk("G", "交通运输、仓储和邮政业", -1),
    IndustryRisk("H", "住宿和餐饮业", -1),
    IndustryRisk("N", "水利、环境和公共设施管理业", -1),
)
# 国办发〔2024〕54号 asks for fewer inspections of low-risk, good-credit enterprises and
# closer watch of high-risk ones; the weights are the draw's defaults (spec §5).
_EFFECTS = (
    GradeEffect(Grade.A, Decimal("0.5"), 1, 180, ("绿色通道", "容缺受理")),
    GradeEffect(Grade.B, Decimal("1"), 2, 90),
    GradeEffect(Grade.C, Decimal("2"), 4, 30),
    GradeEffect(Grade.D, Decimal("4"), None, 0, ("重点监管",)),
)
DEFAULT_TABLE = PointsTable(
    version=1,
    effective_from=date(2020, 1, 1),
    name="企业信用风险计分表（第 1 版）",
    base=100.0,
    rules=_RULES,
    tags=_TAGS,
    tag_cap=10.0,
    industries=_INDUSTRIES,
    thresholds=Thresholds(a=103.0, b=90.0, c=75.0),
    effects=_EFFECTS,
)
