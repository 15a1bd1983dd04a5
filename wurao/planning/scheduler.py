"""The joint-visit scheduler: 进一次门，查多项事.

Each planned inspection gets a working day inside its window; inspections of one enterprise on
one day form one joint visit. Hard constraints: each department's capacity per day (hours), the
enterprise's limit on departments per visit (a joint visit with too many departments overwhelms
a small enterprise), the enterprise's blackout days and, when it asked for slots, only those
days. Objective: fewest visits, then fewest department-days (days a department goes out).

Pure: no Django. CP-SAT (OR-Tools) with a time limit, hinted with an earliest-deadline greedy
solution that is also the fallback; a lower bound from the per-enterprise interval-stabbing
relaxation. An inspection that cannot be placed is reported with the reason, never dropped.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from ortools.sat.python import cp_model

# Objective weights: an unplaced inspection outweighs any number of visits, a visit any number
# of department-days (a month has at most a few thousand department-days).
_UNPLACED_WEIGHT = 10_000_000
_VISIT_WEIGHT = 10_000


@dataclass(frozen=True)
class Task:
    """One planned inspection. Days are indices into the horizon's working days."""

    id: int
    enterprise: int
    department: int
    earliest: int
    latest: int
    hours: float = 2.0


@dataclass(frozen=True)
class Problem:
    tasks: Sequence[Task]
    days: int  # working days in the horizon, indexed 0..days-1
    # Hours a department can inspect on a day (teams × hours per team); missing days: default.
    capacity: Mapping[int, float]
    capacity_on: Mapping[tuple[int, int], float] = field(default_factory=dict)
    # Departments one visit may bring, per enterprise (by size class); missing: default_limit.
    limit: Mapping[int, int] = field(default_factory=dict)
    default_limit: int = 3
    blackout: Mapping[int, frozenset[int]] = field(default_factory=dict)
    # Days the enterprise asked for: when given, its inspections go only on those days.
    requested: Mapping[int, frozenset[int]] = field(default_factory=dict)

    def dept_capacity(self, department: int, day: int) -> float:
        return self.capacity_on.get((department, day), self.capacity.get(department, 0.0))

    def enterprise_limit(self, enterprise: int) -> int:
        return self.limit.get(enterprise, self.default_limit)

    def allowed_days(self, task: Task) -> list[int]:
        blocked = self.blackout.get(task.enterprise, frozenset())
        wanted = self.requested.get(task.enterprise)
        return [
            d
            for d in range(max(task.earliest, 0), min(task.latest, self.days - 1) + 1)
            if d not in blocked and (not wanted or d in wanted)
        ]


class Reason(StrEnum):
    NO_DAY = "no_day"
    TOO_LONG = "too_long"
    CAPACITY = "capacity"


REASON_LABELS = {
    Reason.NO_DAY: "窗口内没有可用的工作日（节假日、企业不便日期或企业预约日期之外）",
    Reason.TOO_LONG: "所需工时超过该部门窗口内任何一天的检查能力",
    Reason.CAPACITY: "该部门窗口内的检查能力已被其他计划占满",
}


@dataclass(frozen=True)
class Unplaced:
    task: int
    reason: Reason

    @property
    def label(self) -> str:
        return REASON_LABELS[self.reason]


@dataclass(frozen=True)
class Schedule:
    day_of: dict[int, int]  # task id -> day
    unplaced: list[Unplaced]
    method: str  # "cp-sat", "greedy"
    status: str  # solver status or "greedy"
    seconds: float

    def visit_count(self, problem: Problem) -> int:
        tasks = {t.id: t for t in problem.tasks}
        return len({(tasks[t].enterprise, d) for t, d in self.day_of.items()})

    def department_days(self, problem: Problem) -> int:
        tasks = {t.id: t for t in problem.tasks}
        return len({(tasks[t].department, d) for t, d in self.day_of.items()})


def group_visits(problem: Problem, day_of: Mapping[int, int]) -> dict[tuple[int, int], list[int]]:
    """(enterprise, day) -> task ids: one on-site visit each."""
    tasks = {t.id: t for t in problem.tasks}
    visits: dict[tuple[int, int], list[int]] = defaultdict(list)
    for task_id, day in sorted(day_of.items()):
        visits[tasks[task_id].enterprise, day].append(task_id)
    return dict(visits)


# --- checks that explain before solving ------------------------------------------------------


def unplaceable(problem: Problem) -> list[Unplaced]:
    """Inspections that no schedule can place, each with its reason."""
    out = []
    for t in problem.tasks:
        days = problem.allowed_days(t)
        if not days:
            out.append(Unplaced(t.id, Reason.NO_DAY))
        elif all(t.hours > problem.dept_capacity(t.department, d) for d in days):
            out.append(Unplaced(t.id, Reason.TOO_LONG))
    return out


# --- lower bound -----------------------------------------------------------------------------


def _stab(intervals: list[tuple[int, int]]) -> int:
    """Fewest points that hit every interval (earliest deadline first; optimal)."""
    count, last = 0, None
    for start, end in sorted(intervals, key=lambda iv: (iv[1], iv[0])):
        if last is None or start > last:
            count += 1
            last = end
    return count


def lower_bound(problem: Problem) -> int:
    """Visits no schedule can go below: per enterprise, the fewest days that hit every
    inspection's window (capacities ignored), and at least enough visits to bring every
    department under the per-visit limit. Days are compressed per enterprise so blackouts
    and requested slots keep the windows intervals."""
    by_enterprise: dict[int, list[Task]] = defaultdict(list)
    skip = {u.task for u in unplaceable(problem)}
    for t in problem.tasks:
        if t.id not in skip:
            by_enterprise[t.enterprise].append(t)
    total = 0
    for enterprise, tasks in by_enterprise.items():
        blocked = problem.blackout.get(enterprise, frozenset())
        wanted = problem.requested.get(enterprise)
        usable = [
            d for d in range(problem.days) if d not in blocked and (not wanted or d in wanted)
        ]
        index = {d: i for i, d in enumerate(usable)}
        intervals = []
        for t in tasks:
            days = [index[d] for d in problem.allowed_days(t)]
            intervals.append((days[0], days[-1]))
        departments = len({t.department for t in tasks})
        limit = problem.enterprise_limit(enterprise)
        total += max(_stab(intervals), -(-departments // limit))
    return total


# --- greedy ----------------------------------------------------------------------------------


class _Load:
    def __init__(self, problem: Problem):
        self.problem = problem
        self.hours: dict[tuple[int, int], float] = defaultdict(float)
        self.on_site: dict[tuple[int, int], set[int]] = defaultdict(
            set
        )  # (enterprise, day) -> depts

    def fits(self, t: Task, day: int) -> bool:
        if (
            self.hours[t.department, day] + t.hours
            > self.problem.dept_capacity(t.department, day) + 1e-9
        ):
            return False
        present = self.on_site[t.enterprise, day]
        return t.department in present or len(present) < self.problem.enterprise_limit(t.enterprise)

    def place(self, t: Task, day: int) -> None:
        self.hours[t.department, day] += t.hours
        self.on_site[t.enterprise, day].add(t.department)


def _visit_groups(problem: Problem, tasks: list[Task]) -> list[tuple[list[Task], list[int]]]:
    """One enterprise's inspections grouped as the lower bound groups them (earliest deadline
    first), each group with the days all its members allow, split to respect the limit on
    departments per visit."""
    groups: list[tuple[list[Task], list[int]]] = []
    current: list[Task] = []
    common: set[int] = set()
    for t in sorted(tasks, key=lambda t: (problem.allowed_days(t)[-1], t.id)):
        days = set(problem.allowed_days(t))
        if current and days & common:
            current.append(t)
            common &= days
        else:
            if current:
                groups.append((current, sorted(common)))
            current, common = [t], days
    if current:
        groups.append((current, sorted(common)))
    limit = problem.enterprise_limit(tasks[0].enterprise)
    split = []
    for members, days in groups:
        by_dept: dict[int, list[Task]] = defaultdict(list)
        for t in members:
            by_dept[t.department].append(t)
        chunks = list(by_dept.values())
        for i in range(0, len(chunks), limit):
            split.append(([t for chunk in chunks[i : i + limit] for t in chunk], days))
    return split


def greedy(problem: Problem) -> Schedule:
    """Group each enterprise's inspections into as few visits as their windows allow, then
    place the most constrained groups first on the day in their common window with the most
    spare capacity. An inspection whose group finds no day is placed alone: on a day its
    enterprise is already visited if one fits, else on the freest day of its window."""
    started = time.perf_counter()
    bad = unplaceable(problem)
    skip = {u.task for u in bad}
    by_enterprise: dict[int, list[Task]] = defaultdict(list)
    for t in problem.tasks:
        if t.id not in skip:
            by_enterprise[t.enterprise].append(t)
    groups = [g for tasks in by_enterprise.values() for g in _visit_groups(problem, tasks)]
    groups.sort(key=lambda g: (len(g[1]), g[1][0] if g[1] else 0, g[0][0].id))

    load = _Load(problem)
    day_of: dict[int, int] = {}
    unplaced = list(bad)
    visit_days: dict[int, set[int]] = defaultdict(set)

    def spare(t: Task, day: int) -> float:
        return problem.dept_capacity(t.department, day) - load.hours[t.department, day]

    def fits_all(members: list[Task], day: int) -> bool:
        need: dict[int, float] = defaultdict(float)
        for t in members:
            need[t.department] += t.hours
        present = load.on_site[members[0].enterprise, day] | set(need)
        return len(present) <= problem.enterprise_limit(members[0].enterprise) and all(
            load.hours[d, day] + h <= problem.dept_capacity(d, day) + 1e-9 for d, h in need.items()
        )

    leftovers: list[Task] = []
    for members, days in groups:
        fitting = [d for d in days if fits_all(members, d)]
        if not fitting:
            leftovers += members
            continue
        day = max(fitting, key=lambda d: (min(spare(t, d) for t in members), -d))
        for t in members:
            load.place(t, day)
            day_of[t.id] = day
        visit_days[members[0].enterprise].add(day)
    for t in sorted(leftovers, key=lambda t: (t.latest, t.id)):
        days = problem.allowed_days(t)
        joined = [d for d in days if d in visit_days[t.enterprise] and load.fits(t, d)]
        fresh = [d for d in days if load.fits(t, d)]
        if joined:
            day = joined[0]
        elif fresh:
            day = max(fresh, key=lambda d: (spare(t, d), -d))
        else:
            unplaced.append(Unplaced(t.id, Reason.CAPACITY))
            continue
        load.place(t, day)
        day_of[t.id] = day
        visit_days[t.enterprise].add(day)
    _merge_visits(problem, load, day_of)
    return Schedule(day_of, unplaced, "greedy", "greedy", time.perf_counter() - started)


def _merge_visits(problem: Problem, load: _Load, day_of: dict[int, int]) -> None:
    """Move every inspection of a visit onto another visit day of the same enterprise when
    all windows, capacities and the department limit allow: one visit fewer each time."""
    tasks = {t.id: t for t in problem.tasks}
    visits: dict[int, dict[int, list[Task]]] = defaultdict(lambda: defaultdict(list))
    for task_id, day in day_of.items():
        t = tasks[task_id]
        visits[t.enterprise][day].append(t)
    for enterprise, by_day in visits.items():
        changed = True
        while changed and len(by_day) > 1:
            changed = False
            for source in sorted(by_day, key=lambda d: len(by_day[d])):
                members = by_day[source]
                for target in sorted(by_day, key=lambda d: -len(by_day[d])):
                    if target == source or not _can_move(problem, load, members, target):
                        continue
                    for t in members:
                        load.hours[t.department, source] -= t.hours
                        load.place(t, target)
                        day_of[t.id] = target
                    load.on_site.pop((enterprise, source), None)
                    by_day[target] += members
                    del by_day[source]
                    changed = True
                    break
                if changed:
                    break


def _can_move(problem: Problem, load: _Load, members: list[Task], day: int) -> bool:
    need: dict[int, float] = defaultdict(float)
    for t in members:
        if day not in problem.allowed_days(t):
            return False
        need[t.department] += t.hours
    present = load.on_site[members[0].enterprise, day] | set(need)
    if len(present) > problem.enterprise_limit(members[0].enterprise):
        return False
    return all(
        load.hours[d, day] + h <= problem.dept_capacity(d, day) + 1e-9 for d, h in need.items()
    )


# --- CP-SAT ----------------------------------------------------------------------------------


def solve(
    problem: Problem,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    deterministic: bool = False,
    seed: int = 0,
) -> Schedule:
    """The best schedule CP-SAT finds within the time limit (seconds, model building
    included), never worse than the greedy one, which is its hint and its fallback.
    `deterministic`: one worker and a deterministic time limit, so the same input and seed give
    the same schedule on any machine."""
    started = time.perf_counter()
    hint = greedy(problem)
    bad = {u.task: u for u in unplaceable(problem)}
    tasks = [t for t in problem.tasks if t.id not in bad]
    if not tasks:
        return Schedule({}, list(bad.values()), "cp-sat", "EMPTY", time.perf_counter() - started)

    tasks_by_id = {t.id: t for t in tasks}
    m = cp_model.CpModel()
    # Capacities and hours in tenths of an hour: CP-SAT is an integer solver.
    tenths = {t.id: round(t.hours * 10) for t in tasks}
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    placed: dict[int, cp_model.IntVar] = {}
    by_ent_day: dict[tuple[int, int], list[tuple[Task, cp_model.IntVar]]] = defaultdict(list)
    by_dept_day: dict[tuple[int, int], list[tuple[Task, cp_model.IntVar]]] = defaultdict(list)
    for t in tasks:
        placed[t.id] = m.new_bool_var(f"p{t.id}")
        row = []
        for d in problem.allowed_days(t):
            if tenths[t.id] > problem.dept_capacity(t.department, d) * 10 + 1e-9:
                continue
            v = m.new_bool_var(f"x{t.id}_{d}")
            x[t.id, d] = v
            row.append(v)
            by_ent_day[t.enterprise, d].append((t, v))
            by_dept_day[t.department, d].append((t, v))
        m.add(sum(row) == placed[t.id])

    hinted_visits = {(tasks_by_id[t].enterprise, d) for t, d in hint.day_of.items()}
    hinted_dept_days = {(tasks_by_id[t].department, d) for t, d in hint.day_of.items()}
    visit_vars = []
    for (enterprise, d), members in by_ent_day.items():
        y = m.new_bool_var(f"y{enterprise}_{d}")
        m.add_hint(y, (enterprise, d) in hinted_visits)
        visit_vars.append(y)
        per_dept: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for t, v in members:
            m.add_implication(v, y)
            per_dept[t.department].append(v)
        m.add_bool_or([v for _, v in members]).only_enforce_if(y)
        limit = problem.enterprise_limit(enterprise)
        if len(per_dept) > limit:
            present = []
            for dept_vars in per_dept.values():
                if len(dept_vars) == 1:
                    present.append(dept_vars[0])
                else:
                    w = m.new_bool_var("")
                    m.add_max_equality(w, dept_vars)
                    present.append(w)
            m.add(sum(present) <= limit)

    dept_day_vars = []
    for (department, d), members in by_dept_day.items():
        z = m.new_bool_var(f"z{department}_{d}")
        m.add_hint(z, (department, d) in hinted_dept_days)
        dept_day_vars.append(z)
        for _, v in members:
            m.add_implication(v, z)
        cap = round(problem.dept_capacity(department, d) * 10)
        if sum(tenths[t.id] for t, _ in members) > cap:
            m.add(sum(tenths[t.id] * v for t, v in members) <= cap)

    m.minimize(
        _UNPLACED_WEIGHT * sum(1 - p for p in placed.values())
        + _VISIT_WEIGHT * sum(visit_vars)
        + sum(dept_day_vars)
    )
    for t in tasks:
        day = hint.day_of.get(t.id)
        m.add_hint(placed[t.id], day is not None)
        for d in problem.allowed_days(t):
            if (t.id, d) in x:
                m.add_hint(x[t.id, d], d == day)

    solver = cp_model.CpSolver()
    params = solver.parameters
    params.random_seed = seed
    if deterministic:
        params.num_workers = 1
        # About a second of work per deterministic unit; independent of machine load.
        params.max_deterministic_time = time_limit
    else:
        params.num_workers = workers
        # Leave two seconds for reading the solution back.
        params.max_time_in_seconds = max(1.0, time_limit - 2 - (time.perf_counter() - started))
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Schedule(
            hint.day_of,
            hint.unplaced,
            "greedy",
            f"greedy (CP-SAT {solver.status_name(status)})",
            time.perf_counter() - started,
        )
    day_of = {t: d for (t, d), v in x.items() if solver.boolean_value(v)}
    unplaced = list(bad.values()) + [
        Unplaced(t.id, Reason.CAPACITY) for t in tasks if t.id not in day_of
    ]
    found = Schedule(
        day_of, unplaced, "cp-sat", solver.status_name(status), time.perf_counter() - started
    )
    if _score(problem, found) > _score(problem, hint):
        return Schedule(
            hint.day_of, hint.unplaced, "greedy", "greedy (better than CP-SAT)", found.seconds
        )
    return found


def _score(problem: Problem, s: Schedule) -> int:
    return (
        _UNPLACED_WEIGHT * len(s.unplaced)
        + _VISIT_WEIGHT * s.visit_count(problem)
        + s.department_days(problem)
    )


def violations(problem: Problem, schedule: Schedule) -> list[str]:
    """Every hard constraint the schedule breaks (empty for a valid one): for tests and for
    checking a schedule a coordinator edited by hand."""
    tasks = {t.id: t for t in problem.tasks}
    out = []
    hours: dict[tuple[int, int], float] = defaultdict(float)
    present: dict[tuple[int, int], set[int]] = defaultdict(set)
    for task_id, day in schedule.day_of.items():
        t = tasks[task_id]
        if day not in problem.allowed_days(t):
            out.append(f"task {task_id} on day {day} outside its allowed days")
        hours[t.department, day] += t.hours
        present[t.enterprise, day].add(t.department)
    for (department, day), h in hours.items():
        if h > problem.dept_capacity(department, day) + 1e-9:
            out.append(f"department {department} over capacity on day {day}: {h}")
    for (enterprise, day), departments in present.items():
        if len(departments) > problem.enterprise_limit(enterprise):
            out.append(
                f"enterprise {enterprise} receives {len(departments)} departments on day {day}"
            )
    missing = set(tasks) - set(schedule.day_of) - {u.task for u in schedule.unplaced}
    if missing:
        out.append(f"tasks neither placed nor explained: {sorted(missing)}")
    return out
