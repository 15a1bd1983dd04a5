"""Next month's inspection plans for the demo district: who plans to inspect whom, in which
window of working days, for how many hours and why. Pure NumPy, no Django import.

Each enforcement department plans enterprises on its own list, picked as the history picks the
enterprises it inspects (wurao.demo.history: by industry, risk tag and size; street teams in their
own street), so large and risky enterprises are planned by several departments — the overlaps the
street turns into joint visits. Every number here is the demo's own assumption:

- about 9,000 planned inspections a month at scale 1 (the size of the issue's benchmark month),
  at least 60 at any scale;
- departments share them by the square root of their 2020 inspections: routine plans are spread
  more evenly than the history's heavy tail, and the largest bureau stays within 50 teams;
- windows of 5–20 working days, 1–4 hours (2 most often);
- origins: routine, follow-up (整改复查) 15%, and at the campaign's department 30% campaign.

Two levels planning the same matter (same law and article) on one enterprise would be a
duplicate; the generator keeps clear of them, so the only duplicates are the build's scripted few.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from wurao.demo.allocation import largest_remainder, plan_counts
from wurao.demo.entities import TAG_CODES, Entities
from wurao.demo.history import _Pools

if TYPE_CHECKING:
    from wurao.demo.engine import Organisation
    from wurao.demo.items import Item

PLANNED_AT_SCALE_1 = 9_000
MIN_PLANNED = 60
WINDOW_DAYS = (5, 20)
HOURS = (1.0, 2.0, 2.0, 2.0, 3.0, 4.0)
ITEM_COUNT_P = (0.5, 0.35, 0.15)
FOLLOW_UP_SHARE = 0.15
CAMPAIGN_SHARE = 0.30
# Capacity: teams of `TEAM_HOURS` a day, enough that the month's demand fills about 70%.
TEAM_HOURS = 6
UTILISATION = 0.70
MAX_TEAMS = 50
# The history's weights (size, risk tags on the department's list) times 1 + the enterprise's
# number of risk tags, raised to this power: a month's plans go to the large and risky
# enterprises more than a year's inspections do, so several departments meet there (at scale 1
# about 19% of the planned enterprises, with 37% of the inspections, are planned by two to seven).
CONCENTRATION = 3.0


@dataclass
class MonthPlans:
    department: np.ndarray  # index into District.organisations
    enterprise: np.ndarray  # index into Entities
    earliest: np.ndarray  # index into the month's working days
    latest: np.ndarray
    hours: np.ndarray
    origin: list[str]  # wurao.planning.choices.PlanOrigin values
    items: list[list[int]]  # indices into District.items

    def __len__(self) -> int:
        return len(self.department)


def planned_total(scale: float) -> int:
    return max(MIN_PLANNED, round(PLANNED_AT_SCALE_1 * scale))


def department_weights() -> dict[str, float]:
    """Each enforcement department's share of the month: the square root of its 2020
    inspections at full scale (the same shares at every scale)."""
    full = plan_counts(1.0)
    return {code: math.sqrt(c["inspection"]) for code, c in full.by_department.items()}


def matter(item: Item) -> str:
    """What an item checks, as wurao.visits.selectors.matter_key has it: its legal basis."""
    return f"{item.law}{item.article}" if item.article else f"{item.law}·{item.name}"


def _weighted_sample(
    rng: np.random.Generator, pool: np.ndarray, p: np.ndarray, n: int, excluded: np.ndarray
) -> np.ndarray:
    """n distinct members of `pool`, each likelier by its weight (Efraimidis–Spirakis), none
    of `excluded`. Every member draws its key whether excluded or not, so leaving one out
    changes nothing else."""
    keys = np.log(rng.random(len(pool))) / p**CONCENTRATION
    keys[np.isin(pool, excluded)] = -np.inf
    n = min(n, int(np.isfinite(keys).sum()))
    if n == 0:
        return pool[:0]
    return pool[np.argpartition(-keys, n - 1)[:n]]


def _applicable(item: Item, tags: set[str], section: str) -> bool:
    """The item fits what the enterprise does: its risk tags or its industry."""
    return bool(set(item.tags) & tags) or (bool(section) and section in item.sections)


def plans_generate(
    seed: int,
    stream: int,
    *,
    entities: Entities,
    organisations: list[Organisation],
    items: list[tuple[int, str, Item]],
    days: int,
    total: int,
    exclude: set[int] = frozenset(),
    campaign_department: str = "",
) -> MonthPlans:
    """`total` planned inspections over the month's `days` working days; no department plans
    an enterprise twice, and the enterprises in `exclude` are left to the scripted plans. Each
    department draws from its own random stream ([seed, stream, department]), so the same seed
    gives the same plans whatever is excluded."""
    pools = _Pools(entities, organisations)
    index = {o.code: d for d, o in enumerate(organisations)}
    weights = {c: w for c, w in department_weights().items() if c in index}
    codes = sorted(weights, key=lambda c: index[c])
    quotas = largest_remainder([weights[c] for c in codes], total)
    own_items: dict[int, list[int]] = {}
    for i, (d, _, _) in enumerate(items):
        own_items.setdefault(d, []).append(i)
    excluded = np.array(sorted(exclude), dtype=np.int64)
    risks = entities.tags.sum(axis=1)
    campaign = index.get(campaign_department, -1)
    span = min(WINDOW_DAYS[1], days)

    parts = []
    for code, quota in zip(codes, quotas, strict=True):
        d = index[code]
        rng = np.random.default_rng([seed, stream, d])
        pool, p = pools.get(d)
        p = p * (1 + risks[pool])
        chosen = _weighted_sample(rng, pool, p / p.sum(), quota, excluded)
        n = len(chosen)
        width = np.minimum(rng.integers(WINDOW_DAYS[0], span + 1, size=n), days)
        earliest = (rng.random(n) * (days - width + 1)).astype(np.int64)
        draw = rng.random(n)
        origin = np.where(draw > 1 - FOLLOW_UP_SHARE, "follow_up", "routine").astype(object)
        if d == campaign:
            origin[draw < CAMPAIGN_SHARE] = "campaign"
        counts = rng.choice(np.arange(1, len(ITEM_COUNT_P) + 1), size=n, p=ITEM_COUNT_P)
        cited = []
        for e, k in zip(chosen.tolist(), counts.tolist(), strict=True):
            own = own_items.get(d, [])
            tags = {TAG_CODES[t] for t in np.flatnonzero(entities.tags[e])}
            fit = [i for i in own if _applicable(items[i][2], tags, str(entities.section[e]))]
            fit = fit or own
            picked = rng.choice(fit, size=min(k, len(fit)), replace=False)
            cited.append(sorted(int(i) for i in picked))
        parts.append(
            (
                np.full(n, d, dtype=np.int64),
                chosen,
                earliest,
                earliest + width - 1,
                np.array(HOURS)[rng.integers(0, len(HOURS), size=n)],
                origin.tolist(),
                cited,
            )
        )
    department, enterprise, earliest, latest, hours = (
        np.concatenate([part[k] for part in parts]) for k in range(5)
    )
    origins = [o for part in parts for o in part[5]]
    cited = [c for part in parts for c in part[6]]
    keep = _clear_of_duplicates(department, enterprise, cited, organisations, items, own_items)
    return MonthPlans(
        department=department[keep],
        enterprise=enterprise[keep],
        earliest=earliest[keep],
        latest=latest[keep],
        hours=hours[keep],
        origin=[origins[i] for i in np.flatnonzero(keep)],
        items=[cited[i] for i in np.flatnonzero(keep)],
    )


def _clear_of_duplicates(department, enterprise, cited, organisations, items, by_department):
    """Where two levels would plan the same matter on one enterprise, the lower level cites
    another of its items instead (or, with none left, drops the plan). Returns the plans kept;
    `cited` is changed in place."""
    levels = {"city": 0, "district": 1, "street": 2, "community": 3}
    level = [levels[o.level] for o in organisations]
    keep = np.ones(len(department), dtype=bool)
    taken: dict[int, dict[str, int]] = {}  # enterprise -> matter -> level that plans it
    # Higher levels first: the lower level gives way, as the duplicate rule has it.
    for i in sorted(range(len(department)), key=lambda i: level[int(department[i])]):
        d, e = int(department[i]), int(enterprise[i])
        mine = level[d]
        seen = taken.setdefault(e, {})

        def clashes(item: int, seen=seen, mine=mine) -> bool:
            other = seen.get(matter(items[item][2]))
            return other is not None and other != mine

        fine = [item for item in cited[i] if not clashes(item)]
        if not fine:
            fine = [item for item in by_department.get(d, []) if not clashes(item)][:1]
        if not fine:
            keep[i] = False
            continue
        cited[i] = fine
        for item in fine:
            seen.setdefault(matter(items[item][2]), mine)
    return keep


def teams_needed(demand_hours: float, days: int) -> int:
    """Teams a department needs so that its month's planned hours fill about 70% of them."""
    teams = math.ceil(demand_hours / max(days, 1) / UTILISATION / TEAM_HOURS)
    return max(1, min(MAX_TEAMS, teams))
