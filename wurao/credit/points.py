"""The credit points table (信用计分表): what each kind of record is worth, for how long, the
grade thresholds and what each grade means for supervision. Plain dataclasses, no Django.

The justice bureau configures and versions the table; `engine` scores with one version and
each result records that version, so a new version never rewrites past grades. A table is
validated when it is built: an invalid one cannot exist, and `PointsTableError` lists every
problem at once (path, code, a Chinese message for the UI and an English one).

The indicators, decays and grades the table is written in are in `points_catalogue`, its
checks in `points_problems`, its JSON form (`table_to_json` / `table_from_json` and the dict
forms) in `points_json`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from wurao.credit.points_catalogue import (
    DECAY_LABELS,
    INDICATORS,
    Decay,
    Grade,
    Indicator,
    IndicatorInfo,
    RecordKind,
)
from wurao.credit.points_problems import PointsTableError, ProblemList, table_problems


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
    # Kinds of record this version declares beside the catalogue's (`RecordKind`).
    kinds: tuple[RecordKind, ...] = ()

    def __post_init__(self) -> None:
        problems = table_problems(self)
        if problems:
            raise PointsTableError(problems)

    def rule(self, indicator: Indicator | str) -> IndicatorRule | None:
        return next((r for r in self.rules if r.indicator == indicator), None)

    @property
    def codes(self) -> list[str]:
        """Every kind of record this table knows: the catalogue's, then its own."""
        return [i.value for i in Indicator] + [k.code for k in self.kinds]

    def info(self, code: str) -> IndicatorInfo | None:
        """Label and sign of a kind of record the table knows (None if it does not)."""
        if code in INDICATORS:
            return INDICATORS[Indicator(code)]
        kind = next((k for k in self.kinds if k.code == code), None)
        return kind.info() if kind else None

    def effect(self, grade: Grade | str) -> GradeEffect:
        return next(e for e in self.effects if e.grade == grade)


def table_in_force(tables: Iterable[PointsTable], on: date) -> PointsTable:
    """The version in force on a date: the highest version whose effective date has come."""
    eligible = [t for t in tables if t.effective_from <= on]
    if not eligible:
        out = ProblemList()
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
# - a completed self-inspection (自查自纠, selfcheck) +1 for 365 days, capped at +1: once a
#   year, the completion only (the problems an enterprise finds itself are never deducted);
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
    IndicatorRule(Indicator.SELF_INSPECTION_COMPLETED, 1, 365, Decay.NONE, cap=1),
)
# The self-inspection entry alone, for a district whose published table predates it
# (services_grading.points_table_add_self_inspection publishes a new version with it).
SELF_INSPECTION_RULE = _RULES[-1]
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
