"""The visit rules: yearly caps, quiet periods, quiet days, exempt origins and cross-level
duplicates (国办发〔2024〕54号: 合理确定检查频次，防止重复检查、多头检查).

Pure: no Django. The service loads the enterprise's visits of the year, asks `violations()`
whether a registration breaks a rule, and stores the answer. A version of the rules is a JSON
object the justice bureau edits; `rules_from_json` refuses every mistake with its path.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

GRADES = ("A", "B", "C", "D", "U")  # U: not graded yet
ORIGINS = (
    "plan",
    "random_draw",
    "joint",
    "complaint",
    "referral",
    "higher_order",
    "campaign",
    "recheck",
    "enterprise_request",
)


class RuleCode(StrEnum):
    DEPARTMENT_CAP = "department_cap"
    TOTAL_CAP = "total_cap"
    QUIET_PERIOD = "quiet_period"
    QUIET_DAY = "quiet_day"
    DUPLICATE = "duplicate"
    OFFSITE_ONLY = "offsite_only"


def gettext_noop(message: str) -> str:
    """Marks a label for the translation catalogue (makemessages finds this name) without
    importing Django here; pages show it through {% translate %}, stored copies too."""
    return message


RULE_LABELS = {
    RuleCode.DEPARTMENT_CAP: gettext_noop("本部门年度检查上限"),
    RuleCode.TOTAL_CAP: gettext_noop("全部门年度检查上限"),
    RuleCode.QUIET_PERIOD: gettext_noop("联合检查后的安静期"),
    RuleCode.QUIET_DAY: gettext_noop("每月企业安静日"),
    RuleCode.DUPLICATE: gettext_noop("跨层级重复检查"),
    RuleCode.OFFSITE_ONLY: gettext_noop("非举报不现场核查"),
}

# 非举报不现场核查: the origins that may still take an officer on site for an item the rules
# list as off-site only (a complaint, a referral, a higher authority's order).
ONSITE_ORIGINS = frozenset({"complaint", "referral", "higher_order"})


@dataclass(frozen=True)
class GradeLimits:
    """For one grade: on-site inspections a year by one department and by all departments
    together (None: no cap), and the days of quiet after a joint visit."""

    department_cap: int | None
    total_cap: int | None
    quiet_days: int


@dataclass(frozen=True)
class VisitRules:
    version: int
    effective_from: date
    limits: Mapping[str, GradeLimits]
    exempt_origins: frozenset[str]
    exempt_grades: frozenset[str]
    # Take the department cap and the quiet period from the credit points table in force
    # when the enterprise is graded ([grading]); the limits above apply otherwise.
    limits_from_credit_table: bool = True
    monthly_quiet_days: tuple[int, ...] = ()
    duplicate_window_days: int = 90
    late_registration_days: int = 10  # 深圳: 紧急情况事后补登不超过 10 日
    min_officers: int = 2  # 《行政处罚法》第四十二条: 执法人员不得少于两人
    high_frequency_visits: int = 3
    high_frequency_days: int = 30
    non_enforcement_share: float = 0.4
    rating_min_count: int = 5
    # Catalogue item codes checked off-site unless a complaint, referral or higher order
    # asks for a visit (非举报不现场核查); neither exempt origins nor grades lift it.
    offsite_only_items: frozenset[str] = frozenset()

    def grade_limits(self, grade: str, credit_effect: Mapping | None = None) -> GradeLimits:
        own = self.limits.get(grade) or self.limits["U"]
        if not (self.limits_from_credit_table and credit_effect):
            return own
        return GradeLimits(
            department_cap=credit_effect.get("visit_cap_per_year"),
            total_cap=own.total_cap,
            quiet_days=int(credit_effect.get("quiet_period_days", own.quiet_days)),
        )

    def is_exempt(self, *, origin: str, grade: str) -> bool:
        return origin in self.exempt_origins or grade in self.exempt_grades


@dataclass(frozen=True)
class PastVisit:
    """A visit already registered for the enterprise (cancelled ones are not passed in)."""

    code: str
    date: date
    departments: frozenset[int]
    # (matter, level): a matter is what is checked, whichever department's list names it.
    matters: frozenset[tuple[str, str]] = frozenset()
    inspection: bool = True
    joint: bool = False
    open: bool = False  # not carried out yet: another department may still join it


@dataclass(frozen=True)
class Proposal:
    date: date
    origin: str
    grade: str
    departments: frozenset[int]
    matters: frozenset[tuple[str, str]] = frozenset()
    items: frozenset[str] = frozenset()  # catalogue item codes


@dataclass(frozen=True)
class Violation:
    rule: RuleCode
    message: str
    visits: tuple[str, ...] = ()  # codes of the visits that make the rule bite
    joinable: str = ""  # a visit the registration may join instead (duplicates)

    def as_json(self) -> dict:
        return {
            "rule": str(self.rule),
            "label": RULE_LABELS[self.rule],
            "message": self.message,
            "visits": list(self.visits),
            "joinable": self.joinable,
        }


def offsite_only(rules: VisitRules, proposal: Proposal) -> Violation | None:
    """The rule 非举报不现场核查: an on-site inspection of an item the rules list as off-site
    only is refused unless a complaint, a referral or a higher order asks for it. Apart from
    `violations()` because nothing lifts it: not an exempt origin or grade, not an override
    with a reason; the inspection is done off-site instead."""
    if proposal.origin in ONSITE_ORIGINS:
        return None
    listed = sorted(proposal.items & rules.offsite_only_items)
    if not listed:
        return None
    return Violation(
        RuleCode.OFFSITE_ONLY,
        f"检查事项 {'、'.join(listed)} 列为非举报不现场核查：除投诉举报、转办移送、"
        f"上级交办外不安排现场检查，请改为非现场检查",
    )


def violations(
    rules: VisitRules,
    proposal: Proposal,
    history: Iterable[PastVisit],
    *,
    limits: GradeLimits,
    department_names: Mapping[int, str] | None = None,
) -> list[Violation]:
    """Every rule the proposed inspection breaks, in a stable order; empty when it may go
    ahead. Exempt origins and grades break none."""
    if rules.is_exempt(origin=proposal.origin, grade=proposal.grade):
        return []
    names = department_names or {}
    # The answer must not depend on the order the history comes in (a database returns rows
    # in any order): newest first, so the quiet period names the latest joint visit.
    history = sorted(history, key=lambda v: (v.date, v.code), reverse=True)
    same_year = [v for v in history if v.inspection and v.date.year == proposal.date.year]
    found: list[Violation] = []

    for department in sorted(proposal.departments):
        cap = limits.department_cap
        counted = sorted(v.code for v in same_year if department in v.departments)
        if cap is not None and len(counted) >= cap:
            name = names.get(department, str(department))
            found.append(
                Violation(
                    RuleCode.DEPARTMENT_CAP,
                    f"{name}{proposal.date.year}年已对该企业现场检查 {len(counted)} 次，"
                    f"达到本部门年度上限 {cap} 次",
                    tuple(counted),
                )
            )
    if limits.total_cap is not None and len(same_year) >= limits.total_cap:
        found.append(
            Violation(
                RuleCode.TOTAL_CAP,
                f"{proposal.date.year}年各部门已对该企业现场检查 {len(same_year)} 次，"
                f"达到年度总上限 {limits.total_cap} 次",
                tuple(sorted(v.code for v in same_year)),
            )
        )
    if limits.quiet_days > 0:
        for v in history:
            until = v.date + timedelta(days=limits.quiet_days)
            if v.inspection and v.joint and v.date < proposal.date <= until:
                found.append(
                    Violation(
                        RuleCode.QUIET_PERIOD,
                        f"该企业已于 {v.date} 接受联合检查，其后 {limits.quiet_days} 日"
                        f"（至 {until}）为安静期",
                        (v.code,),
                    )
                )
                break
    if proposal.date.day in rules.monthly_quiet_days:
        days = "、".join(str(d) for d in rules.monthly_quiet_days)
        found.append(Violation(RuleCode.QUIET_DAY, f"每月 {days} 日为企业安静日，不安排现场检查"))
    window = timedelta(days=rules.duplicate_window_days)
    wanted: dict[str, set[str]] = {}
    for matter, level in proposal.matters:
        wanted.setdefault(matter, set()).add(level)
    for v in history:
        if not v.inspection or abs(v.date - proposal.date) > window:
            continue
        # Another level: any level of ours that is not the level that checked it then.
        clash = sorted({m for m, level in v.matters if wanted.get(m, set()) - {level}})
        if clash:
            found.append(
                Violation(
                    RuleCode.DUPLICATE,
                    f"同一检查事项已由另一层级于 {v.date} 检查（入企码 {v.code[:4]}-{v.code[4:]}）："
                    f"{'；'.join(clash)}。同一事项经一级执法机构检查的，原则上不重复检查",
                    (v.code,),
                    joinable=v.code if v.open else "",
                )
            )
    return found


# --- the rules as JSON -----------------------------------------------------------------------


class RulesError(ValueError):
    """A rules document that cannot be used; `problems` are (path, message in Chinese)."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))


DEFAULT_RULES_JSON: dict = {
    "limits": {
        "A": {"department_cap": 1, "total_cap": 3, "quiet_days": 180},
        "B": {"department_cap": 2, "total_cap": 6, "quiet_days": 90},
        "C": {"department_cap": 4, "total_cap": 12, "quiet_days": 30},
        "D": {"department_cap": None, "total_cap": None, "quiet_days": 0},
        "U": {"department_cap": 2, "total_cap": 6, "quiet_days": 90},
    },
    "limits_from_credit_table": True,
    "exempt_origins": ["complaint", "referral", "higher_order", "recheck", "enterprise_request"],
    "exempt_grades": ["D"],
    "monthly_quiet_days": [],
    "duplicate_window_days": 90,
    "late_registration_days": 10,
    "min_officers": 2,
    "high_frequency_visits": 3,
    "high_frequency_days": 30,
    "non_enforcement_share": 0.4,
    "rating_min_count": 5,
    "offsite_only_items": [],
}

_LIMIT_KEYS = ("department_cap", "total_cap", "quiet_days")

_WHOLE_FIELDS = {
    "duplicate_window_days": (0, 366, "跨层级重复检查的比对期（日）"),
    "late_registration_days": (0, 60, "事后补登期限（日）"),
    "min_officers": (1, 10, "检查最少执法人员数"),
    "high_frequency_visits": (1, 100, "高频预警的次数"),
    "high_frequency_days": (1, 366, "高频预警的期间（日）"),
    "rating_min_count": (1, 100, "部门可见评价汇总的最少评价数"),
}


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def rules_from_json(doc: Mapping, *, version: int, effective_from: date) -> VisitRules:
    """Build rules from the JSON the justice bureau edits, refusing every mistake at once."""
    problems: list[tuple[str, str]] = []
    if not isinstance(doc, Mapping):
        raise RulesError([("$", "规则须为 JSON 对象")])
    unknown = sorted(set(doc) - set(DEFAULT_RULES_JSON))
    for key in unknown:
        problems.append((key, "未知的规则项"))

    limits: dict[str, GradeLimits] = {}
    raw_limits = doc.get("limits")
    if not isinstance(raw_limits, Mapping):
        problems.append(("limits", "须为按等级（A、B、C、D、U）列出的上限"))
        raw_limits = {}
    for grade in GRADES:
        entry = raw_limits.get(grade)
        path = f"limits.{grade}"
        if not isinstance(entry, Mapping):
            problems.append((path, f"缺少 {grade} 级的上限"))
            continue
        for key in sorted(set(entry) - set(_LIMIT_KEYS)):
            problems.append((f"{path}.{key}", f"未知的上限项，可选：{'、'.join(_LIMIT_KEYS)}"))
        caps = {}
        for key in ("department_cap", "total_cap"):
            # A missing (or misspelt) cap must not silently mean "no cap": null says so.
            if key not in entry:
                problems.append((f"{path}.{key}", "缺少此项；不设上限请写 null"))
            value = entry.get(key)
            if value is not None and not (_whole(value) and value >= 0):
                problems.append(
                    (f"{path}.{key}", f"须为不小于 0 的整数，或 null 表示不设上限，现为 {value!r}")
                )
            caps[key] = value
        quiet = entry.get("quiet_days")
        if not (_whole(quiet) and 0 <= quiet <= 366):
            problems.append((f"{path}.quiet_days", f"须为 0 到 366 的整数，现为 {quiet!r}"))
        limits[grade] = GradeLimits(caps["department_cap"], caps["total_cap"], quiet)
    for grade in sorted(set(raw_limits) - set(GRADES)):
        problems.append((f"limits.{grade}", "等级只能是 A、B、C、D 或 U（未评级）"))

    def _list(key: str, allowed: tuple[str, ...], label: str) -> frozenset[str]:
        value = doc.get(key, [])
        if not isinstance(value, list):
            problems.append((key, f"须为{label}的列表"))
            return frozenset()
        for i, item in enumerate(value):
            if item not in allowed:
                problems.append(
                    (f"{key}[{i}]", f"未知的{label} {item!r}，可选：{'、'.join(allowed)}")
                )
        return frozenset(v for v in value if v in allowed)

    exempt_origins = _list("exempt_origins", ORIGINS, "检查来源")
    exempt_grades = _list("exempt_grades", GRADES, "等级")

    quiet_days = doc.get("monthly_quiet_days", [])
    if not isinstance(quiet_days, list):
        problems.append(("monthly_quiet_days", "须为 1 到 31 的日期列表，例如 [1, 2, 3]"))
        quiet_days = []
    bad_days = [(i, d) for i, d in enumerate(quiet_days) if not (_whole(d) and 1 <= d <= 31)]
    for i, d in bad_days:
        problems.append((f"monthly_quiet_days[{i}]", f"须为 1 到 31 的日期，现为 {d!r}"))
    if bad_days:
        quiet_days = []
    elif len(set(quiet_days)) > 20:
        problems.append(("monthly_quiet_days", "每月安静日不宜超过 20 日"))

    whole = {}
    for key, (low, high, label) in _WHOLE_FIELDS.items():
        value = doc.get(key, DEFAULT_RULES_JSON[key])
        if not (_whole(value) and low <= value <= high):
            problems.append((key, f"{label}须为 {low} 到 {high} 的整数，现为 {value!r}"))
            value = DEFAULT_RULES_JSON[key]
        whole[key] = value

    share = doc.get("non_enforcement_share", DEFAULT_RULES_JSON["non_enforcement_share"])
    if not (
        isinstance(share, int | float)
        and not isinstance(share, bool)
        and math.isfinite(share)
        and 0 < share < 1
    ):
        problems.append(
            ("non_enforcement_share", f"非执法入企占比预警线须在 0 与 1 之间，现为 {share!r}")
        )
        share = DEFAULT_RULES_JSON["non_enforcement_share"]
    # Item codes only: whether each is on the catalogue is for the service that saves the
    # rules to check (this engine knows no catalogue).
    offsite_items = doc.get("offsite_only_items", [])
    if not isinstance(offsite_items, list):
        problems.append(("offsite_only_items", '须为检查事项编码的列表，例如 ["AJ-001"]'))
        offsite_items = []
    for i, code in enumerate(offsite_items):
        if not (isinstance(code, str) and code.strip() and len(code) <= 64):
            problems.append((f"offsite_only_items[{i}]", f"须为检查事项编码，现为 {code!r}"))
    from_credit = doc.get("limits_from_credit_table", True)
    if not isinstance(from_credit, bool):
        problems.append(("limits_from_credit_table", "须为 true 或 false"))

    if problems:
        raise RulesError(problems)
    return VisitRules(
        version=version,
        effective_from=effective_from,
        limits=limits,
        exempt_origins=exempt_origins,
        exempt_grades=exempt_grades,
        limits_from_credit_table=from_credit,
        monthly_quiet_days=tuple(sorted(set(quiet_days))),
        non_enforcement_share=float(share),
        offsite_only_items=frozenset(
            c.strip() for c in offsite_items if isinstance(c, str) and c.strip()
        ),
        **whole,
    )


def default_rules() -> VisitRules:
    return rules_from_json(DEFAULT_RULES_JSON, version=0, effective_from=date(2020, 1, 1))
