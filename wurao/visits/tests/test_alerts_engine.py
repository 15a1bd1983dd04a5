"""The alerts engine (alerts.py), pure: high frequency, repeat items, the non-enforcement
share and registrations after the fact, on plain columns. No database."""

from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from wurao.visits.alerts import (
    SHARE_MIN_VISITS,
    AlertKind,
    VisitRows,
    after_the_fact,
    high_frequency,
    non_enforcement_share,
    repeat_items,
)

START = date(2026, 3, 1)


def _rows(visits, items=()) -> VisitRows:
    """visits: (id, enterprise, day, inspection, after_the_fact); items: (visit id, item id)."""
    visits = list(visits)
    column = list(zip(*visits, strict=True)) if visits else [(), (), (), (), ()]
    return VisitRows(
        visit=np.array(column[0], dtype=np.int64),
        enterprise=np.array(column[1], dtype=np.int64),
        day=np.array([d.toordinal() for d in column[2]], dtype=np.int64),
        inspection=np.array(column[3], dtype=bool),
        after_the_fact=np.array(column[4], dtype=bool),
        item_visit=np.array([p[0] for p in items], dtype=np.int64),
        item=np.array([p[1] for p in items], dtype=np.int64),
    )


def _visit(pk, day, enterprise=1, inspection=True, late=False):
    return (pk, enterprise, day, inspection, late)


def _on(*offsets):
    return [START + timedelta(days=o) for o in offsets]


# --- high frequency ---------------------------------------------------------------------------


def test_nothing_to_alert_on_when_there_are_no_visits():
    empty = _rows([])

    assert high_frequency(empty, visits=3, days=30) == []
    assert repeat_items(empty, window_days=90) == []
    assert non_enforcement_share(empty, threshold=0.4) == []
    assert after_the_fact(empty) == []


def test_exactly_the_allowed_number_of_visits_is_not_high_frequency():
    rows = _rows(_visit(i, d) for i, d in enumerate(_on(0, 10, 29), start=1))

    assert high_frequency(rows, visits=3, days=30) == []


def test_one_more_visit_within_the_period_is_high_frequency():
    rows = _rows(_visit(i, d) for i, d in enumerate(_on(0, 10, 20, 29), start=1))

    [alert] = high_frequency(rows, visits=3, days=30)

    assert alert.kind == AlertKind.HIGH_FREQUENCY
    assert (alert.first_day, alert.last_day, alert.count) == (START, START + timedelta(29), 4)
    assert alert.visit_ids == (1, 2, 3, 4)


def test_visits_spread_just_beyond_the_period_are_not_high_frequency():
    # four visits, but the first and last are 30 days apart: no 30-day window holds all four
    rows = _rows(_visit(i, d) for i, d in enumerate(_on(0, 10, 20, 30), start=1))

    assert high_frequency(rows, visits=3, days=30) == []


def test_visits_on_the_same_day_all_count():
    rows = _rows(_visit(i, START) for i in (4, 2, 3, 1))

    [alert] = high_frequency(rows, visits=3, days=30)

    assert alert.count == 4 and alert.visit_ids == (1, 2, 3, 4)


def test_the_busiest_window_is_the_one_reported():
    # given a window of four in March and one of six in June
    march = _on(0, 5, 10, 15)
    june = _on(90, 91, 92, 93, 94, 95)
    rows = _rows(_visit(i, d) for i, d in enumerate(march + june, start=1))

    [alert] = high_frequency(rows, visits=3, days=30)

    assert alert.count == 6
    assert alert.visit_ids == (5, 6, 7, 8, 9, 10)
    assert alert.first_day == june[0] and alert.last_day == june[-1]


def test_of_two_equally_busy_windows_the_first_is_reported():
    rows = _rows(_visit(i, d) for i, d in enumerate(_on(0, 1, 2, 3, 100, 101, 102, 103), start=1))

    [alert] = high_frequency(rows, visits=3, days=30)

    assert alert.visit_ids == (1, 2, 3, 4)


def test_each_enterprise_is_judged_on_its_own_visits():
    # given enterprise 1 with four visits, enterprise 2 with three, enterprise 3 with five,
    # all within the same fortnight and given in no particular order
    visits = [_visit(10 + i, d, enterprise=1) for i, d in enumerate(_on(0, 3, 6, 9))]
    visits += [_visit(20 + i, d, enterprise=2) for i, d in enumerate(_on(1, 4, 7))]
    visits += [_visit(30 + i, d, enterprise=3) for i, d in enumerate(_on(2, 3, 4, 5, 6))]
    visits.reverse()

    alerts = high_frequency(_rows(visits), visits=3, days=30)

    assert [(a.enterprise_id, a.count) for a in alerts] == [(1, 4), (3, 5)]


def test_non_enforcement_visits_count_towards_high_frequency():
    # the selector passes every counted visit: the burden on the enterprise is what matters
    rows = _rows(_visit(i, d, inspection=i % 2 == 0) for i, d in enumerate(_on(0, 1, 2, 3)))

    assert len(high_frequency(rows, visits=3, days=30)) == 1


def _brute_force(visits, *, limit, days):
    """For each enterprise: the largest number of its visits within `days` consecutive days."""
    best = {}
    for _, enterprise, day, _, _ in visits:
        inside = [v for v in visits if v[1] == enterprise and 0 <= (day - v[2]).days <= days - 1]
        best[enterprise] = max(best.get(enterprise, 0), len(inside))
    return {e: n for e, n in best.items() if n > limit}


@st.composite
def _visit_lists(draw):
    n = draw(st.integers(0, 40))
    return [
        (
            pk,
            draw(st.integers(1, 4)),
            START + timedelta(days=draw(st.integers(0, 120))),
            draw(st.booleans()),
            draw(st.booleans()),
        )
        for pk in draw(st.lists(st.integers(1, 10_000), min_size=n, max_size=n, unique=True))
    ]


@settings(max_examples=300, deadline=None)
@given(visits=_visit_lists(), limit=st.integers(1, 6), days=st.integers(1, 60))
def test_high_frequency_agrees_with_a_brute_force_sliding_window(visits, limit, days):
    alerts = high_frequency(_rows(visits), visits=limit, days=days)

    assert {a.enterprise_id: a.count for a in alerts} == _brute_force(
        visits, limit=limit, days=days
    )
    for a in alerts:
        # the visits named are exactly the enterprise's visits in the window shown
        inside = {
            pk
            for pk, enterprise, day, _, _ in visits
            if enterprise == a.enterprise_id and a.first_day <= day <= a.last_day
        }
        assert set(a.visit_ids) == inside and len(a.visit_ids) == a.count
        assert (a.last_day - a.first_day).days <= days - 1


# --- repeat items -----------------------------------------------------------------------------


def test_the_same_item_within_the_window_is_a_repeat():
    rows = _rows(
        [_visit(1, START), _visit(2, START + timedelta(days=90))],
        items=[(1, 77), (2, 77)],
    )

    [alert] = repeat_items(rows, window_days=90)

    assert alert.kind == AlertKind.REPEAT_ITEM and alert.item_id == 77
    assert alert.visit_ids == (1, 2) and alert.count == 2


def test_the_same_item_after_the_window_is_not_a_repeat():
    rows = _rows(
        [_visit(1, START), _visit(2, START + timedelta(days=91))],
        items=[(1, 77), (2, 77)],
    )

    assert repeat_items(rows, window_days=90) == []


def test_a_repeat_names_only_the_visits_close_together_and_their_period():
    # given the item checked in March, twice in August a week apart, and at the year's end
    days = [date(2026, 3, 2), date(2026, 8, 3), date(2026, 8, 10), date(2026, 12, 28)]
    rows = _rows(
        [_visit(i, d) for i, d in enumerate(days, start=1)],
        items=[(i, 5) for i in range(1, 5)],
    )

    [alert] = repeat_items(rows, window_days=30)

    assert alert.visit_ids == (2, 3)
    assert (alert.first_day, alert.last_day) == (date(2026, 8, 3), date(2026, 8, 10))


def test_other_items_and_other_enterprises_are_not_repeats():
    rows = _rows(
        [_visit(1, START), _visit(2, START, enterprise=2), _visit(3, START + timedelta(days=1))],
        items=[(1, 5), (2, 5), (3, 6)],
    )

    assert repeat_items(rows, window_days=90) == []


def test_a_non_enforcement_visit_does_not_repeat_an_item():
    rows = _rows(
        [_visit(1, START), _visit(2, START + timedelta(days=3), inspection=False)],
        items=[(1, 5), (2, 5)],
    )

    assert repeat_items(rows, window_days=90) == []


def test_items_of_visits_outside_the_rows_are_ignored():
    rows = _rows([_visit(1, START)], items=[(1, 5), (99, 5)])

    assert repeat_items(rows, window_days=90) == []


def test_each_repeated_item_is_its_own_alert():
    rows = _rows(
        [_visit(1, START), _visit(2, START + timedelta(days=5))],
        items=[(1, 5), (1, 6), (2, 5), (2, 6)],
    )

    assert [a.item_id for a in repeat_items(rows, window_days=90)] == [5, 6]


def _repeats_brute_force(visits, items, *, window):
    """For each (enterprise, item): the visits within `window` days of another inspection
    of the same item, by comparing every pair."""
    by_id = {v[0]: v for v in visits}
    found: dict[tuple[int, int], set[int]] = {}
    pairs = [(by_id[pk], item) for pk, item in items if pk in by_id and by_id[pk][3]]
    for (a, item), (b, other) in ((x, y) for x in pairs for y in pairs):
        if a[0] != b[0] and item == other and a[1] == b[1] and abs((a[2] - b[2]).days) <= window:
            found.setdefault((a[1], item), set()).add(a[0])
    return found


@st.composite
def _visits_with_items(draw):
    visits = draw(_visit_lists())
    items = [
        (pk, item) for pk, *_ in visits for item in draw(st.sets(st.integers(1, 3), max_size=2))
    ]
    strays = draw(st.lists(st.tuples(st.integers(20_000, 20_010), st.integers(1, 3)), max_size=3))
    return visits, items + list(dict.fromkeys(strays))


@settings(max_examples=300, deadline=None)
@given(data=_visits_with_items(), window=st.integers(0, 60))
def test_repeat_items_agree_with_comparing_every_pair(data, window):
    visits, items = data

    alerts = repeat_items(_rows(visits, items), window_days=window)

    expected = _repeats_brute_force(visits, items, window=window)
    assert {(a.enterprise_id, a.item_id): set(a.visit_ids) for a in alerts} == expected
    days = {v[0]: v[2] for v in visits}
    for a in alerts:
        assert a.count == len(a.visit_ids)
        assert (a.first_day, a.last_day) == (
            min(days[v] for v in a.visit_ids),
            max(days[v] for v in a.visit_ids),
        )


# --- the non-enforcement share ----------------------------------------------------------------


def _mix(inspections, others, enterprise=1, first_pk=1):
    kinds = [True] * inspections + [False] * others
    return [
        _visit(first_pk + i, START + timedelta(days=i), enterprise=enterprise, inspection=k)
        for i, k in enumerate(kinds)
    ]


def test_a_share_over_the_threshold_is_flagged_with_the_share():
    [alert] = non_enforcement_share(_rows(_mix(3, 3)), threshold=0.4)

    assert alert.kind == AlertKind.NON_ENFORCEMENT_SHARE
    assert alert.share == 0.5 and alert.count == 6
    assert alert.visit_ids == (1, 2, 3, 4, 5, 6)


def test_a_share_exactly_at_the_threshold_is_not_flagged():
    assert non_enforcement_share(_rows(_mix(3, 2)), threshold=0.4) == []


def test_too_few_visits_make_no_share_alert():
    # given all four visits non-enforcement: 100%, but below the minimum to mean anything
    few = _mix(0, SHARE_MIN_VISITS - 1)
    enough = _mix(0, SHARE_MIN_VISITS, enterprise=2, first_pk=100)

    alerts = non_enforcement_share(_rows(few + enough), threshold=0.4)

    assert [(a.enterprise_id, a.share) for a in alerts] == [(2, 1.0)]


def test_the_study_key_enterprise_is_flagged():
    # 75 visits in 10 months, 30 of them non-enforcement (40%): at the line, not over it
    at_the_line = _mix(45, 30)
    one_more = _mix(45, 31, enterprise=2, first_pk=1000)

    alerts = non_enforcement_share(_rows(at_the_line + one_more), threshold=0.4)

    assert [(a.enterprise_id, a.share) for a in alerts] == [(2, 0.408)]


@settings(max_examples=300, deadline=None)
@given(visits=_visit_lists(), threshold=st.sampled_from([0.0, 0.25, 0.4, 0.5, 0.9]))
def test_the_share_agrees_with_counting_each_enterprise(visits, threshold):
    alerts = non_enforcement_share(_rows(visits), threshold=threshold)

    expected = {}
    for enterprise in {v[1] for v in visits}:
        mine = [v for v in visits if v[1] == enterprise]
        other = sum(1 for v in mine if not v[3])
        if len(mine) >= SHARE_MIN_VISITS and other / len(mine) > threshold:
            expected[enterprise] = tuple(sorted(v[0] for v in mine))
    assert {a.enterprise_id: a.visit_ids for a in alerts} == expected


# --- after the fact ---------------------------------------------------------------------------


def test_registrations_after_the_fact_are_listed_newest_first():
    rows = _rows(
        [
            _visit(1, date(2026, 3, 1), late=True),
            _visit(2, date(2026, 5, 1), enterprise=2, late=True),
            _visit(3, date(2026, 4, 1)),
            _visit(5, date(2026, 4, 1), late=True),
            _visit(4, date(2026, 4, 1), late=True),
        ]
    )

    alerts = after_the_fact(rows)

    assert [a.visit_ids for a in alerts] == [(2,), (5,), (4,), (1,)]
    assert [a.enterprise_id for a in alerts] == [2, 1, 1, 1]
    assert all(a.first_day == a.last_day and a.count == 1 for a in alerts)


@settings(max_examples=100, deadline=None)
@given(visits=_visit_lists(), seed=st.randoms(use_true_random=False))
def test_after_the_fact_does_not_depend_on_the_order_of_the_rows(visits, seed):
    shuffled = list(visits)
    seed.shuffle(shuffled)

    assert after_the_fact(_rows(visits)) == after_the_fact(_rows(shuffled))
    assert {a.visit_ids[0] for a in after_the_fact(_rows(visits))} == {v[0] for v in visits if v[4]}


# --- rows in any order: sorted by the caller, shuffled, or with each item's row given ---------


def _sorted_as_kept(visits, items):
    """The rows as the oversight dashboard keeps them: visits by enterprise, day and id; the
    items by enterprise, item, day and visit, each with its visit's row."""
    visits = sorted(visits, key=lambda v: (v[1], v[2], v[0]))
    row_of = {v[0]: i for i, v in enumerate(visits)}
    known = sorted(
        ((pk, item) for pk, item in items if pk in row_of),
        key=lambda p: (visits[row_of[p[0]]][1], p[1], visits[row_of[p[0]]][2], p[0]),
    )
    rows = _rows(visits, known)
    return VisitRows(
        **{**rows.__dict__, "item_row": np.array([row_of[pk] for pk, _ in known], dtype=np.int64)}
    )


@settings(max_examples=200, deadline=None)
@given(data=_visits_with_items(), seed=st.randoms(use_true_random=False))
def test_every_alert_is_the_same_whatever_order_the_rows_come_in(data, seed):
    # given the same visits and items in the kept order, and shuffled
    visits, items = data
    shuffled, shuffled_items = list(visits), list(items)
    seed.shuffle(shuffled)
    seed.shuffle(shuffled_items)
    kept, loose = _sorted_as_kept(visits, items), _rows(shuffled, shuffled_items)

    # then each engine finds the same alerts, the sorts skipped or not
    assert high_frequency(kept, visits=2, days=10) == high_frequency(loose, visits=2, days=10)
    assert repeat_items(kept, window_days=20) == repeat_items(loose, window_days=20)
    assert non_enforcement_share(kept, threshold=0.25) == non_enforcement_share(
        loose, threshold=0.25
    )
