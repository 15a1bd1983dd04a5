"""Alerts on visits (国办发〔2024〕54号: 对重复检查、高频检查进行预警): high frequency, the
same item inspected again, a high share of non-enforcement visits, registration after the
fact. Pure: NumPy over plain columns, no Django; the selector loads the columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import NamedTuple

import numpy as np

# Below this many visits in the period a share means little (1 of 2 is 50%).
SHARE_MIN_VISITS = 5


class AlertKind(StrEnum):
    HIGH_FREQUENCY = "high_frequency"
    REPEAT_ITEM = "repeat_item"
    NON_ENFORCEMENT_SHARE = "non_enforcement_share"
    AFTER_THE_FACT = "after_the_fact"


def gettext_noop(message: str) -> str:
    """Marks a label for the translation catalogue (makemessages finds this name) without
    importing Django here; pages show it through gettext."""
    return message


ALERT_LABELS = {
    AlertKind.HIGH_FREQUENCY: gettext_noop("高频入企"),
    AlertKind.REPEAT_ITEM: gettext_noop("同一事项重复检查"),
    AlertKind.NON_ENFORCEMENT_SHARE: gettext_noop("非执法入企占比过高"),
    AlertKind.AFTER_THE_FACT: gettext_noop("事后补登"),
}


@dataclass(frozen=True)
class VisitRows:
    """One row per counted visit, any order: ids, enterprise ids, ordinal days, inspection flag,
    after-the-fact flag. `item_visit`/`item` pair visits with the items they inspected."""

    visit: np.ndarray
    enterprise: np.ndarray
    day: np.ndarray
    inspection: np.ndarray
    after_the_fact: np.ndarray
    item_visit: np.ndarray
    item: np.ndarray
    # Each pair's row in the columns above, when the caller has it (it saves a sort by id);
    # pairs ordered by enterprise, item, day and visit save the engine's sort too.
    item_row: np.ndarray | None = None


class Alert(NamedTuple):
    """One alert (a named tuple: a district's years hold a hundred thousand of them)."""

    kind: AlertKind
    enterprise_id: int
    first_day: date
    last_day: date
    count: int
    visit_ids: tuple[int, ...]
    item_id: int | None = None
    share: float | None = None


@cache
def _day(ordinal: int) -> date:
    return date.fromordinal(int(ordinal))


def _order(*keys: np.ndarray) -> np.ndarray | slice:
    """The order sorting the rows by `keys` (the first the primary), as np.lexsort's (stable);
    a slice of everything when they are in that order already. The callers keep their rows
    sorted (the oversight dashboard's kept frame): checking costs a few passes over the
    columns, sorting millions of rows seconds, even rows already sorted."""
    if len(keys[0]) < 2:
        return slice(None)
    before = np.zeros(len(keys[0]) - 1, dtype=bool)
    tied = np.ones(len(keys[0]) - 1, dtype=bool)
    for key in keys:
        before |= tied & (key[:-1] < key[1:])
        tied &= key[:-1] == key[1:]
    if np.all(before | tied):
        return slice(None)
    return np.lexsort(keys[::-1])


def high_frequency(rows: VisitRows, *, visits: int, days: int) -> list[Alert]:
    """Enterprises visited more than `visits` times within any `days` consecutive days: one
    alert per enterprise, for its busiest window."""
    if len(rows.visit) == 0:
        return []
    order = _order(rows.enterprise, rows.day, rows.visit)
    ent, day, ids = rows.enterprise[order], rows.day[order], rows.visit[order]
    key = ent.astype(np.int64) * 10_000_000 + day.astype(np.int64)
    left = np.searchsorted(key, key - (days - 1), side="left")
    count = np.arange(len(key)) - left + 1
    busy = np.flatnonzero(count > visits)
    if len(busy) == 0:
        return []
    # The busiest window per enterprise (the first, if tied): ordered by enterprise, then the
    # count downwards, then the window's end; the first of each enterprise's run.
    busy = busy[np.lexsort((busy, -count[busy], ent[busy]))]
    first = np.ones(len(busy), dtype=bool)
    first[1:] = ent[busy][1:] != ent[busy][:-1]
    return [
        Alert(
            AlertKind.HIGH_FREQUENCY,
            e,
            _day(day[start]),
            _day(day[i]),
            i - start + 1,
            tuple(ids[start : i + 1].tolist()),
        )
        for e, start, i in zip(
            ent[busy[first]].tolist(), left[busy[first]].tolist(), busy[first].tolist(), strict=True
        )
    ]


def repeat_items(rows: VisitRows, *, window_days: int) -> list[Alert]:
    """The same item inspected on the same enterprise on two visits within `window_days`: one
    alert per (enterprise, item), naming only the visits close to another one."""
    if len(rows.item_visit) == 0 or len(rows.visit) == 0:
        return []
    if rows.item_row is not None:
        pos, item = rows.item_row, rows.item
    else:
        # Each (visit, item) pair's row, by binary search over the visit ids.
        by_id = np.argsort(rows.visit, kind="stable")
        at = np.minimum(np.searchsorted(rows.visit[by_id], rows.item_visit), len(by_id) - 1)
        known = rows.visit[by_id][at] == rows.item_visit
        pos, item = by_id[at[known]], rows.item[known]
    inspection = rows.inspection[pos].astype(bool)
    pos, item = pos[inspection], item[inspection]
    ent, day, ids = rows.enterprise[pos], rows.day[pos], rows.visit[pos]
    order = _order(ent, item, day, ids)
    ent, item, day, ids = ent[order], item[order], day[order], ids[order]
    if len(ent) < 2:
        return []
    # Neighbours in that order are the same item on the same enterprise, days apart.
    same = (ent[1:] == ent[:-1]) & (item[1:] == item[:-1])
    close = same & (np.diff(day) <= window_days)
    picked = np.zeros(len(ent), dtype=bool)
    picked[:-1] |= close
    picked[1:] |= close
    rows_picked = np.flatnonzero(picked)
    if len(rows_picked) == 0:
        return []
    group = np.concatenate(([0], np.cumsum(~same)))[rows_picked]
    # Each (enterprise, item)'s picked rows are a run of rows_picked.
    starts = np.flatnonzero(np.concatenate(([True], group[1:] != group[:-1])))
    ends = np.append(starts[1:], len(rows_picked))
    picked_ids = ids[rows_picked].tolist()
    first, last = rows_picked[starts], rows_picked[ends - 1]
    # The period shown is that of the repeated visits, not of every visit of the item.
    return [
        Alert(
            AlertKind.REPEAT_ITEM,
            e,
            _day(d0),
            _day(d1),
            end - start,
            tuple(sorted(picked_ids[start:end])),
            item_id=i,
        )
        for e, i, d0, d1, start, end in zip(
            ent[first].tolist(),
            item[first].tolist(),
            day[first].tolist(),
            day[last].tolist(),
            starts.tolist(),
            ends.tolist(),
            strict=True,
        )
    ]


def non_enforcement_share(rows: VisitRows, *, threshold: float) -> list[Alert]:
    """Enterprises whose non-enforcement visits exceed `threshold` of all their visits."""
    if len(rows.visit) == 0:
        return []
    # Each enterprise's rows are a run of the rows ordered by enterprise.
    order = _order(rows.enterprise)
    ent, day, visit = rows.enterprise[order], rows.day[order], rows.visit[order]
    starts = np.flatnonzero(np.concatenate(([True], ent[1:] != ent[:-1])))
    total = np.diff(np.append(starts, len(ent)))
    other = np.add.reduceat((~rows.inspection[order].astype(bool)).astype(np.int64), starts)
    share = other / total
    flagged = np.flatnonzero((total >= SHARE_MIN_VISITS) & (share > threshold))
    if len(flagged) == 0:
        return []
    first_day = np.minimum.reduceat(day, starts)[flagged]
    last_day = np.maximum.reduceat(day, starts)[flagged]
    # The flagged enterprises' visits as one list, each enterprise's a slice of it.
    in_flagged = np.zeros(len(starts), dtype=bool)
    in_flagged[flagged] = True
    mine = visit[np.repeat(in_flagged, total)].tolist()
    ends = np.cumsum(total[flagged]).tolist()
    return [
        Alert(
            AlertKind.NON_ENFORCEMENT_SHARE,
            e,
            _day(first),
            _day(last),
            end - start,
            tuple(sorted(mine[start:end])),
            share=round(part, 3),
        )
        for e, first, last, start, end, part in zip(
            ent[starts[flagged]].tolist(),
            first_day.tolist(),
            last_day.tolist(),
            [0, *ends[:-1]],
            ends,
            share[flagged].tolist(),
            strict=True,
        )
    ]


def after_the_fact(rows: VisitRows) -> list[Alert]:
    """Visits registered after they took place, newest first (the later registered first on
    the same day), whatever order the rows come in."""
    late = np.flatnonzero(rows.after_the_fact.astype(bool))
    newest_first = late[np.lexsort((rows.visit[late], rows.day[late]))][::-1]
    return [
        Alert(
            AlertKind.AFTER_THE_FACT,
            int(rows.enterprise[i]),
            _day(rows.day[i]),
            _day(rows.day[i]),
            1,
            (int(rows.visit[i]),),
        )
        for i in newest_first.tolist()
    ]
