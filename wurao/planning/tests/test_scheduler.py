"""The joint-visit scheduler against brute force on small instances, and its guarantees:
constraints never broken, nothing dropped silently, the bound below every schedule."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from wurao.planning.scheduler import (
    Problem,
    Reason,
    Schedule,
    Task,
    greedy,
    lower_bound,
    solve,
    violations,
)


def _objective(problem: Problem, day_of: dict[int, int]) -> tuple[int, int]:
    tasks = {t.id: t for t in problem.tasks}
    visits = {(tasks[t].enterprise, d) for t, d in day_of.items()}
    dept_days = {(tasks[t].department, d) for t, d in day_of.items()}
    return len(visits), len(dept_days)


def _brute_force(problem: Problem) -> tuple[int, int] | None:
    """The best (visits, department-days) over every assignment that places every task."""
    choices = [problem.allowed_days(t) for t in problem.tasks]
    best = None
    for days in itertools.product(*choices):
        day_of = {t.id: d for t, d in zip(problem.tasks, days, strict=True)}
        schedule = Schedule(day_of, [], "brute", "brute", 0.0)
        if violations(problem, schedule):
            continue
        score = _objective(problem, day_of)
        best = score if best is None or score < best else best
    return best


@st.composite
def small_problems(draw):
    days = draw(st.integers(2, 4))
    n_tasks = draw(st.integers(1, 6))
    tasks = []
    for i in range(n_tasks):
        start = draw(st.integers(0, days - 1))
        end = draw(st.integers(start, days - 1))
        tasks.append(
            Task(
                id=i,
                enterprise=draw(st.integers(0, 2)),
                department=draw(st.integers(0, 2)),
                earliest=start,
                latest=end,
                hours=draw(st.sampled_from([1.0, 2.0, 3.0])),
            )
        )
    return Problem(
        tasks=tasks,
        days=days,
        capacity={d: draw(st.sampled_from([3.0, 4.0, 6.0])) for d in range(3)},
        default_limit=draw(st.integers(1, 3)),
    )


@settings(max_examples=60, deadline=None)
@given(small_problems())
def test_the_solver_matches_brute_force_on_small_instances(problem):
    best = _brute_force(problem)
    schedule = solve(problem, time_limit=10, workers=1)

    assert violations(problem, schedule) == []
    if best is None:
        # no complete schedule exists: something must be reported unplaced, with a reason
        assert schedule.unplaced
    else:
        assert schedule.unplaced == []
        assert _objective(problem, schedule.day_of) == best
        assert lower_bound(problem) <= best[0]


@settings(max_examples=60, deadline=None)
@given(small_problems())
def test_greedy_never_breaks_a_constraint_and_the_bound_stays_below(problem):
    schedule = greedy(problem)

    assert violations(problem, schedule) == []
    assert lower_bound(problem) <= schedule.visit_count(problem) + len(schedule.unplaced)


def test_inspections_of_one_enterprise_are_merged_into_one_visit():
    # given three departments planning the same enterprise with overlapping windows
    tasks = [Task(i, enterprise=7, department=i, earliest=i, latest=5) for i in range(3)]
    problem = Problem(tasks=tasks, days=10, capacity={0: 8, 1: 8, 2: 8}, default_limit=3)

    schedule = solve(problem, time_limit=5)

    # then they go in on one day together: one visit instead of three
    assert schedule.visit_count(problem) == 1
    assert len(set(schedule.day_of.values())) == 1 and min(schedule.day_of.values()) >= 2


def test_a_small_enterprise_receives_no_more_departments_than_its_limit():
    tasks = [Task(i, enterprise=1, department=i, earliest=0, latest=4) for i in range(5)]
    problem = Problem(tasks=tasks, days=5, capacity=dict.fromkeys(range(5), 8.0), limit={1: 2})

    schedule = solve(problem, time_limit=5)

    assert violations(problem, schedule) == []
    assert schedule.visit_count(problem) == 3  # 2 + 2 + 1 departments


def test_what_cannot_be_placed_is_explained():
    # given: a window entirely in the enterprise's blackout days, an inspection longer than
    # any day's capacity, and two 4-hour inspections for one 4-hour day
    tasks = [
        Task(1, enterprise=1, department=0, earliest=0, latest=1),
        Task(2, enterprise=2, department=1, earliest=0, latest=2, hours=9),
        Task(3, enterprise=3, department=2, earliest=0, latest=0, hours=4),
        Task(4, enterprise=4, department=2, earliest=0, latest=0, hours=4),
    ]
    problem = Problem(
        tasks=tasks,
        days=3,
        capacity={0: 8, 1: 8, 2: 4},
        blackout={1: frozenset({0, 1})},
    )

    schedule = solve(problem, time_limit=5)

    reasons = {u.task: u.reason for u in schedule.unplaced}
    assert reasons[1] == Reason.NO_DAY
    assert reasons[2] == Reason.TOO_LONG
    assert sorted(reasons) == [1, 2, 3] or sorted(reasons) == [1, 2, 4]
    assert Reason.CAPACITY in reasons.values()
    assert violations(problem, schedule) == []


def test_requested_slots_are_honoured():
    tasks = [Task(i, enterprise=1, department=i, earliest=0, latest=9) for i in range(2)]
    problem = Problem(tasks=tasks, days=10, capacity={0: 8, 1: 8}, requested={1: frozenset({6})})

    schedule = solve(problem, time_limit=5)

    assert set(schedule.day_of.values()) == {6}


def test_deterministic_runs_give_the_same_schedule():
    tasks = [
        Task(i, enterprise=i % 7, department=i % 4, earliest=i % 5, latest=i % 5 + 6)
        for i in range(60)
    ]
    problem = Problem(tasks=tasks, days=14, capacity=dict.fromkeys(range(4), 6.0))

    first = solve(problem, time_limit=5, deterministic=True, seed=3)
    second = solve(problem, time_limit=5, deterministic=True, seed=3)

    assert first.day_of == second.day_of
