"""The policy simulator's engine: a year of the visit registry replayed under a rule set.

Pure: no Django. The loader turns the registry into a `Year`; `simulate` applies the rule set's
rules in the order a department meets them (docs/simulator.md):

1. draw       routine inspections of low-risk grades replaced by risk-weighted draws;
2. merge      planned inspections of one enterprise in one month scheduled into joint visits
              by the [joint] scheduler (wurao/planning/scheduler.py), month by month;
3. caps       each remaining visit registered in date order against the [visits] rules
              (wurao/visits/rules.py): yearly caps, quiet periods, quiet days by grade;
4. non-enforcement visits kept, folded into the month's on-site visit, or moved off-site.

Origins in rules.PROTECTED_ORIGINS are never removed, merged or moved. An empty rule set
changes nothing: the outcome is the registry as it happened.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from wurao.oversight.simulation.rules import PROTECTED_ORIGINS, DrawRule, MergeRule, RuleSet
from wurao.planning import scheduler
from wurao.sampling import allocation
from wurao.sampling import engine as draw_engine
from wurao.visits import rules as visit_rules


@dataclass(frozen=True)
class Inspection:
    """One inspection (行政检查) of the year. `visit` names the on-site visit it was part of:
    inspections sharing it (a joint visit) count as one visit."""

    id: int
    enterprise: int
    department: int
    date: date
    origin: str
    visit: str
    problems: bool = False  # the inspection found a violation (finding == "problems")


@dataclass(frozen=True)
class OtherVisit:
    """One non-enforcement visit (调研、工会、妇联、党建、社区走访、政策宣传)."""

    id: int
    enterprise: int
    department: int
    date: date
    purpose: str


@dataclass(frozen=True)
class Year:
    year: int
    inspections: Sequence[Inspection]
    others: Sequence[OtherVisit]
    enterprise_count: int  # enterprises registered by the year's end
    grades: Mapping[int, str]  # enterprise -> grade (missing: U, not graded)
    d_grade: frozenset[int]  # every enterprise graded D
    names: Mapping[int, str] = field(default_factory=dict)
    size_class: Mapping[int, str] = field(default_factory=dict)
    working_days: Sequence[date] = ()
    capacity: Mapping[int, float] = field(default_factory=dict)  # department -> hours a day
    default_capacity: float = 12.0
    department_limits: Mapping[str, int] = field(default_factory=lambda: {"": 3})
    grade_effects: Mapping[str, Mapping] = field(default_factory=dict)  # credit table effects
    # grade -> the draw's sampling weight as a decimal string (credit table effects)
    sampling_weights: Mapping[str, str] = field(default_factory=dict)

    def grade(self, enterprise: int) -> str:
        return self.grades.get(enterprise, "U")


@dataclass
class _Visit:
    key: str
    enterprise: int
    date: date
    inspections: list[Inspection]

    @property
    def departments(self) -> frozenset[int]:
        return frozenset(i.department for i in self.inspections)


@dataclass(frozen=True)
class Outcome:
    """What took place under a rule set: the inspection visits (inspection id -> (visit key,
    date)), the non-enforcement visits still on site, and the on-site visits each rule
    removed."""

    placed: Mapping[int, tuple[str, date]]
    others: frozenset[int]
    by_rule: Mapping[str, int]
    methods: Mapping[str, int] = field(default_factory=dict)  # scheduler method -> months


def _baseline(year: Year) -> list[_Visit]:
    visits: dict[str, _Visit] = {}
    for i in year.inspections:
        v = visits.get(i.visit)
        if v is None:
            visits[i.visit] = _Visit(i.visit, i.enterprise, i.date, [i])
        else:
            v.inspections.append(i)
    return sorted(visits.values(), key=lambda v: (v.date, v.key))


def _drop(visits: list[_Visit], removed: set[int]) -> tuple[list[_Visit], int]:
    """The visits without the removed inspections, and how many visits emptied."""
    kept, emptied = [], 0
    for v in visits:
        left = [i for i in v.inspections if i.id not in removed]
        if left:
            kept.append(_Visit(v.key, v.enterprise, v.date, left))
        else:
            emptied += 1
    return kept, emptied


# --- 1. draws --------------------------------------------------------------------------------


def _drawn(year: Year, rule: DrawRule) -> set[int]:
    """The inspections the draw removes. Per department, its routine inspections of the rule's
    grades are the candidates, stratified by grade; round(ratio × n) go ahead, split between
    the grades by the credit table's sampling weights and drawn by the [draws] engine
    (wurao/sampling: quotas by spec §5, AES-CTR keys by §3, selection by §4) from a seed made
    of the rule's seed, the year and the department, so a run is repeatable."""
    pool: dict[int, list[Inspection]] = defaultdict(list)
    for i in year.inspections:
        if (
            i.origin in rule.origins
            and i.origin not in PROTECTED_ORIGINS
            and year.grade(i.enterprise) in rule.grades
        ):
            pool[i.department].append(i)
    grades = sorted(rule.grades)
    removed: set[int] = set()
    for department in sorted(pool):
        members = sorted(pool[department], key=lambda i: i.id)
        strata = np.array([grades.index(year.grade(i.enterprise)) for i in members])
        sizes = np.bincount(strata, minlength=len(grades))
        specs = [
            allocation.StratumSpec(g, int(sizes[n]), year.sampling_weights.get(g, "1"))
            for n, g in enumerate(grades)
        ]
        quotas = allocation.allocate(specs, round(rule.ratio * len(members)))
        seed = hashlib.sha256(
            f"wurao-simulate\0{rule.seed}\0{year.year}\0{department}".encode()
        ).digest()
        keys = draw_engine.keys(seed, len(members))
        chosen = set(draw_engine.select_indices(strata, keys, [quotas[g] for g in grades]).tolist())
        removed.update(i.id for n, i in enumerate(members) if n not in chosen)
    return removed


# --- 2. joint visits -------------------------------------------------------------------------


def _merge(year: Year, rule: MergeRule, visits: list[_Visit], methods: Counter) -> list[_Visit]:
    days_by_month: dict[int, list[date]] = defaultdict(list)
    for d in sorted(set(year.working_days)):
        if d.year == year.year:
            days_by_month[d.month].append(d)
    limits = {**year.department_limits, **(rule.department_limits or {})}
    out: list[_Visit] = []
    by_month: dict[int, list[_Visit]] = defaultdict(list)
    for v in visits:
        by_month[v.date.month].append(v)
    for month in sorted(by_month):
        out += _merge_month(
            year, rule, by_month[month], days_by_month.get(month, []), limits, methods
        )
    return sorted(out, key=lambda v: (v.date, v.key))


def _merge_month(
    year: Year,
    rule: MergeRule,
    visits: list[_Visit],
    days: list[date],
    limits: Mapping[str, int],
    methods: Counter,
) -> list[_Visit]:
    index = {d: n for n, d in enumerate(days)}
    mergeable = {v.key for v in visits if all(i.origin in rule.origins for i in v.inspections)}
    # A visit that cannot move (an urgent origin) stays on its day, and the month's planned
    # inspections of the enterprise may join it there: it is a task pinned to its day.
    movable = Counter(v.enterprise for v in visits if v.key in mergeable)
    hosts = Counter(
        v.enterprise
        for v in visits
        if v.key in mergeable or (rule.join_fixed_visits and v.date in index)
    )
    chosen = [
        v
        for v in visits
        if movable[v.enterprise]
        and hosts[v.enterprise] >= 2
        and (v.key in mergeable or (rule.join_fixed_visits and v.date in index))
    ]
    if not chosen or not days:
        return visits
    chosen_keys = {v.key for v in chosen}
    hours = rule.hours_per_inspection
    # A department can inspect on any day of the month what it did on its busiest day then
    # (history shows it), and at least its configured capacity.
    used: dict[tuple[int, date], float] = defaultdict(float)
    fixed: dict[tuple[int, int], float] = defaultdict(float)
    for v in visits:
        for i in v.inspections:
            used[i.department, v.date] += hours
            if v.key not in chosen_keys and v.date in index:
                fixed[i.department, index[v.date]] += hours
    capacity: dict[int, float] = {}
    for (department, _), h in used.items():
        own = year.capacity.get(department, year.default_capacity)
        capacity[department] = max(capacity.get(department, own), h)
    tasks = [
        scheduler.Task(i.id, v.enterprise, i.department, 0, len(days) - 1, hours)
        if v.key in mergeable
        else scheduler.Task(i.id, v.enterprise, i.department, index[v.date], index[v.date], hours)
        for v in chosen
        for i in v.inspections
    ]
    # Departments one visit may bring: the size class's limit, or as many as the enterprise
    # already received at once that month (a recorded joint visit is not split).
    received: dict[int, int] = defaultdict(int)
    for v in chosen:
        received[v.enterprise] = max(received[v.enterprise], len(v.departments))
    problem = scheduler.Problem(
        tasks=tasks,
        days=len(days),
        capacity=capacity,
        capacity_on={(d, day): capacity[d] - h for (d, day), h in fixed.items() if d in capacity},
        limit={
            e: max(limits.get(year.size_class.get(e, ""), limits.get("", 3)), received[e])
            for e in movable
        },
    )
    schedule = scheduler.greedy(problem)
    # CP-SAT only where it may find fewer visits: not when the greedy schedule already meets
    # the lower bound, nor above the rule set's size for it.
    if (
        rule.method == "cp-sat"
        and len(tasks) <= rule.greedy_above_tasks
        and schedule.visit_count(problem) > scheduler.lower_bound(problem)
    ):
        # Wall-clock time: a deterministic limit took ten times longer on a loaded machine.
        schedule = scheduler.solve(problem, time_limit=rule.time_limit_per_month, workers=1)
    methods[schedule.method] += 1
    by_id = {i.id: i for v in chosen for i in v.inspections}
    out = [v for v in visits if v.key not in chosen_keys]
    for (enterprise, day), ids in sorted(scheduler.group_visits(problem, schedule.day_of).items()):
        members = [by_id[t] for t in ids]
        key = "M:" + ",".join(str(t) for t in sorted(ids))
        out.append(_Visit(key, enterprise, days[day], members))
    # An inspection the scheduler could not place stays where it was, never dropped.
    unplaced = {u.task for u in schedule.unplaced}
    for v in chosen:
        left = [i for i in v.inspections if i.id in unplaced]
        if left:
            out.append(_Visit(v.key, v.enterprise, v.date, left))
    return out


# --- 3. caps and quiet periods ---------------------------------------------------------------


def _capped(
    year: Year, rules: visit_rules.VisitRules, visits: list[_Visit], by_rule: Counter
) -> list[_Visit]:
    """Each visit registered in date order against the visit rules, with the visits kept so far
    as the enterprise's history: a department's inspections that break a rule are refused
    unless their origin or the grade is exempt; a visit left with no inspection is removed."""
    history: dict[int, list[visit_rules.PastVisit]] = defaultdict(list)
    kept: list[_Visit] = []
    for v in sorted(visits, key=lambda v: (v.date, v.key)):
        grade = year.grade(v.enterprise)
        limits = rules.grade_limits(grade, year.grade_effects.get(grade))
        by_department: dict[int, list[Inspection]] = defaultdict(list)
        for i in v.inspections:
            by_department[i.department].append(i)
        left: list[Inspection] = []
        first_rule = ""
        for department in sorted(by_department):
            group = by_department[department]
            free = [
                i
                for i in group
                if i.origin in PROTECTED_ORIGINS or rules.is_exempt(origin=i.origin, grade=grade)
            ]
            others = [i for i in group if i not in free]
            if others:
                found = visit_rules.violations(
                    rules,
                    visit_rules.Proposal(
                        date=v.date,
                        origin=others[0].origin,
                        grade=grade,
                        departments=frozenset({department}),
                    ),
                    history[v.enterprise],
                    limits=limits,
                )
                if found:
                    first_rule = first_rule or str(found[0].rule)
                    others = []
            left += free + others
        if not left:
            by_rule[first_rule] += 1
            continue
        nv = _Visit(v.key, v.enterprise, v.date, left)
        kept.append(nv)
        history[v.enterprise].append(
            visit_rules.PastVisit(
                code=v.key, date=v.date, departments=nv.departments, joint=len(nv.departments) > 1
            )
        )
    return kept


# --- 4. non-enforcement visits ---------------------------------------------------------------


def _non_enforcement(
    year: Year, rs: RuleSet, visits: list[_Visit], by_rule: Counter
) -> frozenset[int]:
    """The non-enforcement visits still on site. `fold`: the visit joins an on-site inspection
    visit of the enterprise in the same month; with none, the month's fold visits go together,
    as few visits as the enterprise's department limit allows. `offsite`: done by phone, online
    or at a meeting, no visit."""
    on_site = {(v.enterprise, v.date.month) for v in visits}
    limits = year.department_limits
    kept: set[int] = set()
    folding: dict[tuple[int, int], list[OtherVisit]] = defaultdict(list)
    for o in year.others:
        choice = rs.non_enforcement.get(o.purpose or "other", "keep")
        if choice == "offsite":
            by_rule["non_enforcement_offsite"] += 1
        elif choice == "fold" and (o.enterprise, o.date.month) in on_site:
            by_rule["non_enforcement_fold"] += 1
        elif choice == "fold":
            folding[o.enterprise, o.date.month].append(o)
        else:
            kept.add(o.id)
    for (enterprise, _), group in folding.items():
        limit = max(limits.get(year.size_class.get(enterprise, ""), limits.get("", 3)), 1)
        organisations = len({o.department for o in group})
        stay = math.ceil(organisations / limit)
        group = sorted(group, key=lambda o: (o.date, o.id))
        kept.update(o.id for o in group[:stay])
        by_rule["non_enforcement_fold"] += len(group) - stay
    return frozenset(kept)


# --- the run ---------------------------------------------------------------------------------


def simulate(year: Year, rs: RuleSet) -> Outcome:
    by_rule: Counter = Counter()
    methods: Counter = Counter()
    visits = _baseline(year)
    if rs.draw is not None:
        visits, emptied = _drop(visits, _drawn(year, rs.draw))
        by_rule["draw_replacement"] += emptied
    if rs.merge is not None:
        before = len(visits)
        visits = _merge(year, rs.merge, visits, methods)
        by_rule["joint_merge"] += before - len(visits)
    if rs.visit_rules is not None:
        visits = _capped(year, rs.visit_rules, visits, by_rule)
    others = _non_enforcement(year, rs, visits, by_rule)
    placed = {i.id: (v.key, v.date) for v in visits for i in v.inspections}
    return Outcome(placed, others, {k: n for k, n in by_rule.items() if n}, dict(methods))
