"""A rule set for the policy simulator: what a proposed policy changes when a year of the visit
registry is replayed under it. Documented key by key in docs/simulator.md.

Pure: no Django. A rule set is a JSON object; every key is optional and a missing key means
"this rule is off", so `{}` is the empty rule set that reproduces the registry as it happened.
`ruleset_from_json` refuses every mistake at once, each with its JSON path.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from wurao.visits import rules as visit_rules

FORMAT = "wurao-simulation-rules/1"
GRADES = visit_rules.GRADES
# The registry's origins, and 事故调查 (accident), which imported history may carry.
ORIGINS = (*visit_rules.ORIGINS, "accident", "other")
# Origins no rule of any rule set removes (国办发〔2024〕54号: 对投诉举报、转办交办、事故调查和
# 整改复查等的检查不受频次限制). A rule set cannot drop one of them.
PROTECTED_ORIGINS = frozenset({"complaint", "referral", "higher_order", "accident", "recheck"})
PURPOSES = ("research", "union", "women", "party", "community", "policy", "other")
NON_ENFORCEMENT_CHOICES = ("keep", "fold", "offsite")
METHODS = ("greedy", "cp-sat")
SIZE_CLASSES = ("micro", "small", "medium", "large", "")

DEFAULT_RULES_PATH = Path(__file__).with_name("default_rules.json")


class RuleSetError(ValueError):
    """A rule set that cannot be used. `problems` are (JSON path, message in Chinese, message in
    English); `message` names every path in Chinese, `message_en` in English."""

    def __init__(self, problems: list[tuple[str, str, str]]):
        self.problems = problems
        self.message = "；".join(f"{path}：{zh}" for path, zh, _ in problems)
        self.message_en = "; ".join(f"{path}: {en}" for path, _, en in problems)
        super().__init__(self.message)


@dataclass(frozen=True)
class MergeRule:
    """Planned (non-urgent) inspections of one enterprise in one month merged into joint visits
    by the joint-visit scheduler ([joint])."""

    origins: frozenset[str]
    method: str = "cp-sat"
    time_limit_per_month: float = 1.0
    greedy_above_tasks: int = 2000
    hours_per_inspection: float = 2.0
    department_limits: Mapping[str, int] | None = None  # None: the platform's setting
    # The month's visits that cannot move (urgent origins) take the planned inspections in.
    join_fixed_visits: bool = True


@dataclass(frozen=True)
class DrawRule:
    """Routine inspections of low-risk grades replaced by risk-weighted random draws: only
    `ratio` of them (per department) still take place (非举报不现场核查)."""

    grades: frozenset[str]
    origins: frozenset[str]
    ratio: float
    seed: int = 0


@dataclass(frozen=True)
class RuleSet:
    name: str = ""
    description: str = ""
    merge: MergeRule | None = None
    # Caps, quiet periods and exempt origins by grade: the visit rules of [visits].
    visit_rules: visit_rules.VisitRules | None = None
    visit_rules_json: Mapping | None = None
    # Non-enforcement visits by purpose: keep, fold (into an on-site visit of the same
    # enterprise in the same month) or offsite (phone, online, meeting at the office).
    non_enforcement: Mapping[str, str] = field(default_factory=dict)
    draw: DrawRule | None = None

    @property
    def is_empty(self) -> bool:
        return (
            self.merge is None
            and self.visit_rules is None
            and self.draw is None
            and all(v == "keep" for v in self.non_enforcement.values())
        )


# --- reading ----------------------------------------------------------------------------------

_TOP_KEYS = ("format", "name", "description", "merge", "visit_rules", "non_enforcement", "draw")
_MERGE_KEYS = (
    "origins",
    "method",
    "time_limit_per_month",
    "greedy_above_tasks",
    "hours_per_inspection",
    "department_limits",
    "join_fixed_visits",
)
_DRAW_KEYS = ("grades", "origins", "ratio", "seed")


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


class _Reader:
    def __init__(self) -> None:
        self.problems: list[tuple[str, str, str]] = []

    def bad(self, path: str, zh: str, en: str) -> None:
        self.problems.append((path, zh, en))

    def unknown(self, doc: Mapping, allowed: tuple[str, ...], prefix: str) -> None:
        for key in sorted(set(doc) - set(allowed)):
            self.bad(
                f"{prefix}{key}",
                f"未知的规则项，可选：{'、'.join(allowed)}",
                f"unknown key, expected one of: {', '.join(allowed)}",
            )

    def codes(self, doc: Mapping, key: str, allowed: tuple[str, ...], path: str) -> frozenset:
        value = doc.get(key)
        if not isinstance(value, list):
            self.bad(path, "须为列表", "must be a list")
            return frozenset()
        for i, item in enumerate(value):
            if item not in allowed:
                self.bad(
                    f"{path}[{i}]",
                    f"未知的代码 {item!r}，可选：{'、'.join(allowed)}",
                    f"unknown code {item!r}, expected one of: {', '.join(allowed)}",
                )
        return frozenset(v for v in value if v in allowed)


def _merge(r: _Reader, doc: object) -> MergeRule | None:
    if doc is None:
        return None
    if not isinstance(doc, Mapping):
        r.bad("merge", "须为对象或 null（不合并）", "must be an object, or null for no merging")
        return None
    r.unknown(doc, _MERGE_KEYS, "merge.")
    origins = r.codes(doc, "origins", ORIGINS, "merge.origins")
    for code in sorted(origins & PROTECTED_ORIGINS):
        r.bad(
            "merge.origins",
            f"{code} 是紧急来源（投诉举报、转办、交办、事故、复查），须按时到场，不能合并改期",
            f"{code} is an urgent origin and cannot be moved into a joint visit",
        )
    method = doc.get("method", "cp-sat")
    if method not in METHODS:
        r.bad("merge.method", "须为 greedy 或 cp-sat", "must be greedy or cp-sat")
    limit = doc.get("time_limit_per_month", 1.0)
    if not (_is_number(limit) and 0.1 <= limit <= 60):
        r.bad(
            "merge.time_limit_per_month",
            f"每月求解时间上限须为 0.1 到 60 秒，现为 {limit!r}",
            f"must be 0.1 to 60 seconds, got {limit!r}",
        )
        limit = 1.0
    above = doc.get("greedy_above_tasks", 2000)
    if not (_is_int(above) and above >= 0):
        r.bad(
            "merge.greedy_above_tasks",
            f"须为不小于 0 的整数，现为 {above!r}",
            f"must be a whole number ≥ 0, got {above!r}",
        )
        above = 2000
    hours = doc.get("hours_per_inspection", 2.0)
    if not (_is_number(hours) and 0.1 <= hours <= 12):
        r.bad(
            "merge.hours_per_inspection",
            f"每次检查工时须为 0.1 到 12，现为 {hours!r}",
            f"must be 0.1 to 12 hours, got {hours!r}",
        )
        hours = 2.0
    limits = doc.get("department_limits")
    if limits is not None:
        if not isinstance(limits, Mapping):
            r.bad(
                "merge.department_limits",
                "须为按规模（micro、small、medium、large、空字符串）列出的部门数上限，或 null",
                "must map size classes to department limits, or be null",
            )
            limits = None
        else:
            for key, value in limits.items():
                if key not in SIZE_CLASSES:
                    r.bad(
                        f"merge.department_limits.{key}",
                        "规模只能是 micro、small、medium、large 或空字符串（未知）",
                        "size class must be micro, small, medium, large or empty",
                    )
                elif not (_is_int(value) and 1 <= value <= 20):
                    r.bad(
                        f"merge.department_limits.{key}",
                        f"须为 1 到 20 的整数，现为 {value!r}",
                        f"must be 1 to 20, got {value!r}",
                    )
    join = doc.get("join_fixed_visits", True)
    if not isinstance(join, bool):
        r.bad("merge.join_fixed_visits", "须为 true 或 false", "must be true or false")
        join = True
    return MergeRule(
        join_fixed_visits=join,
        origins=origins,
        method=method if method in METHODS else "cp-sat",
        time_limit_per_month=float(limit),
        greedy_above_tasks=above,
        hours_per_inspection=float(hours),
        department_limits=dict(limits) if limits is not None else None,
    )


def _visit_rules(r: _Reader, doc: object, year_start: date) -> visit_rules.VisitRules | None:
    if doc is None:
        return None
    if doc == "default":
        doc = visit_rules.DEFAULT_RULES_JSON
    if not isinstance(doc, Mapping):
        r.bad(
            "visit_rules",
            '须为入企规则对象（格式同入企规则版本）、"default" 或 null（不限频次）',
            'must be a visit rules object, "default", or null for no caps',
        )
        return None
    try:
        rules = visit_rules.rules_from_json(doc, version=0, effective_from=year_start)
    except visit_rules.RulesError as e:
        for path, message in e.problems:
            r.bad(f"visit_rules.{path}", message, f"invalid visit rule ({message})")
        return None
    # 事故 (accident) is not an origin of the visit registry; the engine protects it anyway.
    missing = sorted((PROTECTED_ORIGINS & set(visit_rules.ORIGINS)) - rules.exempt_origins)
    if missing:
        r.bad(
            "visit_rules.exempt_origins",
            f"须包含 {'、'.join(missing)}：投诉举报、转办、交办、事故和整改复查的检查不受频次限制",
            f"must include {', '.join(missing)}: urgent origins are never capped",
        )
    return rules


def _non_enforcement(r: _Reader, doc: object) -> dict[str, str]:
    if doc is None:
        return {}
    if not isinstance(doc, Mapping):
        r.bad(
            "non_enforcement",
            "须为按事由（research、union、women、party、community、policy、other）列出的处理方式",
            "must map purposes to keep, fold or offsite",
        )
        return {}
    out = {}
    for purpose, choice in doc.items():
        if purpose not in PURPOSES:
            r.bad(
                f"non_enforcement.{purpose}",
                f"未知的来访事由，可选：{'、'.join(PURPOSES)}",
                f"unknown purpose, expected one of: {', '.join(PURPOSES)}",
            )
        elif choice not in NON_ENFORCEMENT_CHOICES:
            r.bad(
                f"non_enforcement.{purpose}",
                f"须为 keep（照常）、fold（并入当月入企）或 offsite（改为线上或电话），现为 {choice!r}",
                f"must be keep, fold or offsite, got {choice!r}",
            )
        else:
            out[purpose] = choice
    return out


def _draw(r: _Reader, doc: object) -> DrawRule | None:
    if doc is None:
        return None
    if not isinstance(doc, Mapping):
        r.bad("draw", "须为对象或 null（不替代）", "must be an object, or null for no draws")
        return None
    r.unknown(doc, _DRAW_KEYS, "draw.")
    grades = r.codes(doc, "grades", GRADES, "draw.grades")
    if "D" in grades:
        r.bad(
            "draw.grades", "D 级（高风险）企业不能以抽查替代", "grade D cannot be replaced by draws"
        )
    origins = r.codes(doc, "origins", ORIGINS, "draw.origins")
    for code in sorted(origins & PROTECTED_ORIGINS):
        r.bad(
            "draw.origins",
            f"{code} 不是日常检查，不能以抽查替代",
            f"{code} is not a routine origin and cannot be replaced by draws",
        )
    ratio = doc.get("ratio")
    if not (_is_number(ratio) and 0 <= ratio <= 1):
        r.bad(
            "draw.ratio",
            f"抽查比例须在 0 与 1 之间，现为 {ratio!r}",
            f"must be 0..1, got {ratio!r}",
        )
        ratio = 1.0
    seed = doc.get("seed", 0)
    if not _is_int(seed):
        r.bad(
            "draw.seed", f"随机种子须为整数，现为 {seed!r}", f"must be a whole number, got {seed!r}"
        )
        seed = 0
    return DrawRule(grades=grades - {"D"}, origins=origins, ratio=float(ratio), seed=seed)


def ruleset_from_json(doc: object, *, year_start: date = date(2020, 1, 1)) -> RuleSet:
    """The rule set a JSON document describes; RuleSetError lists every mistake with its path."""
    r = _Reader()
    if not isinstance(doc, Mapping):
        raise RuleSetError([("$", "规则集须为 JSON 对象", "a rule set must be a JSON object")])
    r.unknown(doc, _TOP_KEYS, "")
    fmt = doc.get("format", FORMAT)
    if fmt != FORMAT:
        r.bad("format", f"须为 {FORMAT}，现为 {fmt!r}", f"must be {FORMAT}, got {fmt!r}")
    name = doc.get("name", "")
    if not isinstance(name, str):
        r.bad("name", "须为文字", "must be a string")
        name = ""
    description = doc.get("description", "")
    if not isinstance(description, str):
        r.bad("description", "须为文字", "must be a string")
        description = ""
    raw_rules = doc.get("visit_rules")
    rs = RuleSet(
        name=name,
        description=description,
        merge=_merge(r, doc.get("merge")),
        visit_rules=_visit_rules(r, raw_rules, year_start),
        visit_rules_json=(visit_rules.DEFAULT_RULES_JSON if raw_rules == "default" else raw_rules),
        non_enforcement=_non_enforcement(r, doc.get("non_enforcement")),
        draw=_draw(r, doc.get("draw")),
    )
    if r.problems:
        raise RuleSetError(r.problems)
    return rs


def ruleset_to_json(rs: RuleSet) -> dict:
    """The JSON document `ruleset_from_json` reads back to the same rule set."""
    doc: dict = {"format": FORMAT}
    if rs.name:
        doc["name"] = rs.name
    if rs.description:
        doc["description"] = rs.description
    if rs.merge is not None:
        m = rs.merge
        doc["merge"] = {
            "origins": sorted(m.origins),
            "method": m.method,
            "time_limit_per_month": m.time_limit_per_month,
            "greedy_above_tasks": m.greedy_above_tasks,
            "hours_per_inspection": m.hours_per_inspection,
            "department_limits": dict(m.department_limits) if m.department_limits else None,
            "join_fixed_visits": m.join_fixed_visits,
        }
    if rs.visit_rules_json is not None:
        doc["visit_rules"] = json.loads(json.dumps(rs.visit_rules_json))
    if rs.non_enforcement:
        doc["non_enforcement"] = dict(sorted(rs.non_enforcement.items()))
    if rs.draw is not None:
        doc["draw"] = {
            "grades": sorted(rs.draw.grades),
            "origins": sorted(rs.draw.origins),
            "ratio": rs.draw.ratio,
            "seed": rs.draw.seed,
        }
    return doc


RULE_LABELS = {
    "draw_replacement": visit_rules.gettext_noop(
        "低风险企业日常检查以抽查替代（非举报不现场核查）"
    ),
    "joint_merge": visit_rules.gettext_noop("同一企业同月计划检查合并为联合检查"),
    **{str(code): label for code, label in visit_rules.RULE_LABELS.items()},
    "non_enforcement_fold": visit_rules.gettext_noop("非执法入企并入当月入企"),
    "non_enforcement_offsite": visit_rules.gettext_noop("非执法入企改为线上、电话或集中办理"),
}
RULE_ORDER = tuple(RULE_LABELS)


def empty_ruleset() -> RuleSet:
    """The baseline: nothing changes, the registry as it happened."""
    return RuleSet(name="现行做法（登记实况）")


def default_ruleset() -> RuleSet:
    """The rule set shipped with the platform (default_rules.json)."""
    return ruleset_from_json(json.loads(DEFAULT_RULES_PATH.read_text(encoding="utf-8")))
