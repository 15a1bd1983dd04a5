"""Alerts on visits (国办发〔2024〕54号: 对重复检查、高频检查进行预警): high frequency, the
same item inspected again, a high share of non-enforcement visits, registration after the
fact. Pure: NumPy over plain columns, no Django; the selector loads the columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

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


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    enterprise_id: int
    first_day: date
    last_day: date
    count: int
    visit_ids: tuple[int, ...]
    item_id: int | None = None
    share: float | None = None


def _day(ordinal: int) -> date:
    return date.fromordinal(int(ordinal))


def high_frequency(rows: VisitRows, *, visits: int, days: int) -> list[Alert]:
    """Enterprises visited more than `visits` times within any `days` consecutive days: one
    alert per enterprise, for its busiest window."""
    if len(rows.visit) == 0:
        return []
    order = np.lexsort((rows.visit, rows.day, rows.enterprise))
    ent, day, ids = rows.enterprise[order], rows.day[order], rows.visit[order]
    key = ent.astype(np.int64) * 10_000_000 + day.astype(np.int64)
    left = np.searchsorted(key, key - (days - 1), side="left")
    count = np.arange(len(key)) - left + 1
    alerts = []
    busy = np.flatnonzero(count > visits)
    if len(busy) == 0:
        return []
    # The busiest window per enterprise (the first, if tied).
    best: dict[int, int] = {}
    for i in busy.tolist():
        e = int(ent[i])
        if e not in best or count[i] > count[best[e]]:
            best[e] = i
    for e, i in sorted(best.items()):
        start = int(left[i])
        alerts.append(
            Alert(
                AlertKind.HIGH_FREQUENCY,
                e,
                _day(day[start]),
                _day(day[i]),
                int(count[i]),
                tuple(int(v) for v in ids[start : i + 1]),
            )
        )
    return alerts


def repeat_items(rows: VisitRows, *, window_days: int) -> list[Alert]:
    """The same item inspected on the same enterprise on two visits within `window_days`: one
    alert per (enterprise, item), naming only the visits close to another one."""
    if len(rows.item_visit) == 0 or len(rows.visit) == 0:
        return []
    # Each (visit, item) pair's row, by binary search over the visit ids.
    by_id = np.argsort(rows.visit, kind="stable")
    at = np.minimum(np.searchsorted(rows.visit[by_id], rows.item_visit), len(by_id) - 1)
    known = rows.visit[by_id][at] == rows.item_visit
    pos, item = by_id[at[known]], rows.item[known]
    inspection = rows.inspection[pos].astype(bool)
    pos, item = pos[inspection], item[inspection]
    ent, day, ids = rows.enterprise[pos], rows.day[pos], rows.visit[pos]
    order = np.lexsort((ids, day, item, ent))
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
    alerts = []
    for chunk in np.split(rows_picked, np.flatnonzero(np.diff(group)) + 1):
        first, last = int(chunk[0]), int(chunk[-1])
        # The period shown is that of the repeated visits, not of every visit of the item.
        alerts.append(
            Alert(
                AlertKind.REPEAT_ITEM,
                int(ent[first]),
                _day(day[first]),
                _day(day[last]),
                len(chunk),
                tuple(sorted(int(v) for v in ids[chunk])),
                item_id=int(item[first]),
            )
        )
    return alerts


def non_enforcement_share(rows: VisitRows, *, threshold: float) -> list[Alert]:
    """Enterprises whose non-enforcement visits exceed `threshold` of all their visits."""
    if len(rows.visit) == 0:
        return []
    ents, inverse = np.unique(rows.enterprise, return_inverse=True)
    total = np.bincount(inverse)
    other = np.bincount(inverse, weights=(~rows.inspection.astype(bool)).astype(np.int64))
    share = other / total
    flagged = np.flatnonzero((total >= SHARE_MIN_VISITS) & (share > threshold))
    # Each flagged enterprise's rows: a slice of the rows ordered by enterprise.
    by_enterprise = np.argsort(inverse, kind="stable")
    starts = np.searchsorted(inverse[by_enterprise], flagged, side="left")
    ends = np.searchsorted(inverse[by_enterprise], flagged, side="right")
    alerts = []
    for g, start, end in zip(flagged.tolist(), starts.tolist(), ends.tolist(), strict=True):
        mine = by_enterprise[start:end]
        alerts.append(
            Alert(
                AlertKind.NON_ENFORCEMENT_SHARE,
                int(ents[g]),
                _day(rows.day[mine].min()),
                _day(rows.day[mine].max()),
                int(total[g]),
                tuple(int(v) for v in np.sort(rows.visit[mine])),
                share=round(float(share[g]), 3),
            )
        )
    return alerts


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
