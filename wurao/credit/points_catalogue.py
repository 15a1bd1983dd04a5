"""The credit catalogue the points tables are written in: the kinds of dated record
(indicators) with their labels and direction, the decay shapes and the grades. Plain enums and
dataclasses, no Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

# The name a table's JSON form carries (`points_json`).
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
    # A completed 自查自纠 (selfcheck): the completion counts, never the problems it found.
    SELF_INSPECTION_COMPLETED = "self_inspection_completed"


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
    Indicator.SELF_INSPECTION_COMPLETED: IndicatorInfo(
        gettext_noop("完成企业自查"), 1, label_en="Self-inspection completed"
    ),
}


# A kind of record a table declares itself (`PointsTable.kinds`): its sign says whether a
# record of the kind is a risk (it can only lower the score) or a credit (only raise it).
KIND_SIGNS = {"risk": -1, "credit": 1}


@dataclass(frozen=True)
class RecordKind:
    """A kind of dated record that a version of the points table declares, beside the
    catalogue's, so that a district can score what its own data has (for instance
    "食品抽检不合格") without borrowing another kind's label. `code` is what the records'
    `indicator` column holds; `sign` is "risk" or "credit"."""

    code: str
    label: str
    label_en: str
    sign: str

    def info(self) -> IndicatorInfo:
        return IndicatorInfo(self.label, KIND_SIGNS.get(self.sign, 0), label_en=self.label_en)


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
