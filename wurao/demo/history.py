"""The demo's enforcement history: the 2020 year the study describes, and the key
enterprise's January–October 2019. Pure NumPy, no Django import.

Counts come from the allocation plan; this module decides who, when, why and with
what: each department inspects entities on its own list (by industry, risk tag
and, for street teams, street), follow-up penalties and coercive measures mostly
land on entities the department inspected shortly before, and joint random visits
put two or three departments at one enterprise on one day under one reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from wurao.demo import data
from wurao.demo.entities import TAG_CODES, Entities
from wurao.demo.industries import ACTION_SUMMARIES

if TYPE_CHECKING:
    from wurao.demo.allocation import Plan
    from wurao.demo.engine import Organisation, Place
    from wurao.demo.items import Item

ACTION_KINDS = ("inspection", "penalty", "coercive")
FINDINGS = ("", "clean", "problems")
# Demo assumption (the study gives no figure): about a third of inspections find a problem;
# penalties are mostly minor, a few serious.
PROBLEM_SHARE = 0.35
SEVERITY_SHARES = [0.5, 0.35, 0.15]
ORIGIN_CODES = ("random_draw", "plan", "complaint", "referral", "higher_order", "campaign", "other")
SIZE_WEIGHTS = np.array([1.0, 2.0, 4.0, 6.0])


@dataclass
class Actions:
    enterprise: np.ndarray  # index into Entities
    department: np.ndarray  # index into District.organisations
    date: np.ndarray  # datetime64[D]
    kind: np.ndarray  # index into ACTION_KINDS
    origin: np.ndarray  # index into ORIGIN_CODES
    joint_ref: list[str]
    summary: list[str]
    finding: np.ndarray  # index into FINDINGS; inspections only
    severity: np.ndarray  # 0 for inspections, 1–3 for penalties and coercive measures
    items: np.ndarray  # (n, 3): action index, index into District.items, rank
    officers: np.ndarray  # (n, 3): action index, index into District.inspectors, rank

    def __len__(self) -> int:
        return len(self.kind)


@dataclass
class Visits:
    enterprise: np.ndarray
    organisation: np.ndarray
    date: np.ndarray
    purpose: list[str]


@dataclass
class _Rows:
    """Actions under construction; dates are indices into a working-day calendar."""

    enterprise: list[np.ndarray]
    department: list[np.ndarray]
    day: list[np.ndarray]
    kind: list[np.ndarray]
    origin: list[np.ndarray]
    joint: list[np.ndarray]  # joint visit number, -1 when not joint

    def add(self, enterprise, department, day, kind, origin, joint=None) -> None:
        n = len(enterprise)
        self.enterprise.append(np.asarray(enterprise, dtype=np.int64))
        self.department.append(
            np.full(n, department, dtype=np.int64)
            if np.isscalar(department)
            else np.asarray(department)
        )
        self.day.append(np.asarray(day, dtype=np.int64))
        self.kind.append(np.full(n, kind, dtype=np.int8))
        self.origin.append(np.asarray(origin, dtype=np.int8))
        self.joint.append(
            np.full(n, -1, dtype=np.int64) if joint is None else np.asarray(joint, dtype=np.int64)
        )


def _origins(rng: np.random.Generator, n: int, weights: dict[str, int]) -> np.ndarray:
    codes = [ORIGIN_CODES.index(c) for c in weights]
    w = np.array(list(weights.values()), dtype=float)
    return np.array(codes, dtype=np.int8)[rng.choice(len(codes), size=n, p=w / w.sum())]


class _Pools:
    """For each department, the entities on its list and how likely each is to be visited."""

    def __init__(self, entities: Entities, organisations: list[Organisation]) -> None:
        self.e = entities
        self.organisations = organisations
        self.specs = {o.code: o for o in data.DEPARTMENTS}
        self.size_weight = SIZE_WEIGHTS[entities.size]
        self._cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def get(self, d: int) -> tuple[np.ndarray, np.ndarray]:
        if d not in self._cache:
            e, org = self.e, self.organisations[d]
            spec = self.specs[org.code]
            kinds = [("enterprise", "individual", "other").index(k) for k in spec.kinds]
            hit = (
                e.tags[:, [TAG_CODES.index(t) for t in spec.tags]].any(axis=1)
                if spec.tags
                else np.zeros(len(e), bool)
            )
            mask = np.isin(e.kind, kinds) & (np.isin(e.section, list(spec.sections)) | hit)
            if spec.own_street:
                mask &= e.street == org.street
            if not mask.any():
                mask = e.kind == 0
            pool = np.flatnonzero(mask)
            weight = self.size_weight[pool] * (1 + 3 * hit[pool])
            self._cache[d] = (pool, weight / weight.sum())
        return self._cache[d]

    def draw(self, rng: np.random.Generator, d: int, n: int) -> np.ndarray:
        pool, p = self.get(d)
        return pool[rng.choice(len(pool), size=n, p=p)]


def _follow_ups(rng, pools, rows: _Rows, d, n, kind, inspected, offsets, n_days) -> None:
    """Penalties or coercive measures: most follow one of the department's own inspections."""
    if n == 0:
        return
    ent_i, day_i = inspected
    linked = rng.random(n) < (0.8 if len(ent_i) else 0.0)
    src = rng.integers(0, max(len(ent_i), 1), size=n)
    fresh = pools.draw(rng, d, n)
    enterprise = np.where(linked, ent_i[src] if len(ent_i) else fresh, fresh)
    later = np.minimum(
        (day_i[src] if len(day_i) else 0) + rng.integers(*offsets, size=n), n_days - 1
    )
    day = np.where(linked, later, rng.integers(0, n_days, size=n))
    rows.add(enterprise, d, day, kind, _origins(rng, n, data.FOLLOW_UP_ORIGINS))


def _year_2020(
    rng, plan: Plan, entities: Entities, organisations, n_days: int
) -> tuple[_Rows, list[str]]:
    index = {o.code: d for d, o in enumerate(organisations)}
    pools = _Pools(entities, organisations)
    rows = _Rows([], [], [], [], [], [])
    random_draw = ORIGIN_CODES.index("random_draw")

    # Joint random visits: two or three departments, one enterprise, one day, one reference.
    candidates = np.flatnonzero(
        (entities.kind == 0) & (entities.section == "C") & entities.tags.any(axis=1)
    )
    if not len(candidates):
        candidates = np.flatnonzero(entities.kind == 0)
    joint_ent = rng.choice(candidates, size=len(plan.joint_visits))
    joint_day = rng.integers(0, n_days, size=len(plan.joint_visits))
    joint_rows: dict[str, list[tuple[int, int, int]]] = {}
    for j, pattern in enumerate(plan.joint_visits):
        for code in pattern:
            joint_rows.setdefault(code, []).append((int(joint_ent[j]), int(joint_day[j]), j))

    for code, counts in plan.by_department.items():
        d = index[code]
        n_insp, n_pen, n_coe = (counts[k] for k in ACTION_KINDS)
        joined = joint_rows.get(code, [])
        if joined:
            ent_j, day_j, ref_j = (np.array(col) for col in zip(*joined, strict=True))
            rows.add(ent_j, d, day_j, 0, np.full(len(joined), random_draw), ref_j)
        else:
            ent_j = day_j = np.array([], dtype=np.int64)
        n_solo = n_insp - len(joined)
        n_random_solo = plan.random_by_department.get(code, 0) - len(joined)
        ent = pools.draw(rng, d, n_solo)
        day = rng.integers(0, n_days, size=n_solo)
        origin = _origins(rng, n_solo, data.INSPECTION_ORIGINS)
        origin[:n_random_solo] = random_draw
        rows.add(ent, d, day, 0, origin)
        inspected = (np.concatenate([ent_j, ent]), np.concatenate([day_j, day]))
        _follow_ups(rng, pools, rows, d, n_pen, 1, inspected, (3, 41), n_days)
        _follow_ups(rng, pools, rows, d, n_coe, 2, inspected, (0, 11), n_days)
    refs = [f"LHJ-{data.STUDY_YEAR}-{j + 1:04d}" for j in range(len(plan.joint_visits))]
    return rows, refs


def _key_enterprise(rng, entities: Entities, organisations, communities: list[Place], n_days: int):
    """The study's Figure 2: one 福城 enterprise, 45 enforcement actions and 30 other visits."""
    index = {o.code: d for d, o in enumerate(organisations)}
    key = entities.key
    departments = np.repeat(
        [index[c] for c in data.KEY_ENTERPRISE_ACTIONS], list(data.KEY_ENTERPRISE_ACTIONS.values())
    )
    origins = np.repeat(
        [ORIGIN_CODES.index(c) for c in data.KEY_ENTERPRISE_ACTION_ORIGINS],
        list(data.KEY_ENTERPRISE_ACTION_ORIGINS.values()),
    )
    rng.shuffle(origins)
    n = len(departments)
    action_days = np.sort(rng.integers(0, n_days, size=n))
    rng.shuffle(departments)

    community = communities[entities.community[key]]
    siblings = [c for c in communities if c.street == community.street]
    short = data.STREETS[community.street][2]
    station = data.community_station_code(short, siblings.index(community) + 1)
    org, purpose = [], []
    for code, (count, purposes) in data.KEY_ENTERPRISE_VISITS.items():
        org += [index[station if code == "community" else code]] * count
        purpose += [purposes[i] for i in rng.integers(0, len(purposes), size=count)]
    visit_days = np.sort(rng.integers(0, n_days, size=len(org)))
    order = rng.permutation(len(org))
    visits = (np.full(len(org), key), np.array(org)[order], visit_days, [purpose[i] for i in order])
    return (np.full(n, key), departments, action_days, origins), visits


def _cite(
    rng, department: np.ndarray, per_department: dict[int, np.ndarray], counts_p, max_k: int
) -> np.ndarray:
    """For each action, 1..max_k distinct picks among its department's own list, as rows of
    (action, pick, rank of the pick within the action)."""
    pairs = []
    for d in np.unique(department):
        rows = np.flatnonzero(department == d)
        own = per_department[int(d)]
        m = len(own)
        k = np.minimum(rng.choice(np.arange(1, max_k + 1), size=len(rows), p=counts_p), m)
        order = np.argsort(rng.random((len(rows), m)), axis=1)
        for j in range(min(max_k, m)):
            take = k > j
            pairs.append(
                np.stack([rows[take], own[order[take, j]], np.full(int(take.sum()), j)], axis=1)
            )
    return np.concatenate(pairs) if pairs else np.zeros((0, 3), dtype=np.int64)


def history_generate(
    rng: np.random.Generator,
    rng_key: np.random.Generator,
    *,
    plan: Plan,
    entities: Entities,
    organisations: list[Organisation],
    inspector_department: np.ndarray,
    items: list[tuple[int, str, Item]],
    communities: list[Place],
    workdays_2020: np.ndarray,
    workdays_key: np.ndarray,
) -> tuple[Actions, Visits]:
    rows, refs = _year_2020(rng, plan, entities, organisations, len(workdays_2020))
    key_rows, visits = _key_enterprise(
        rng_key, entities, organisations, communities, len(workdays_key)
    )

    cat = np.concatenate
    n_2020 = sum(len(x) for x in rows.enterprise)
    enterprise = cat([*rows.enterprise, key_rows[0]])
    department = cat([*rows.department, key_rows[1]])
    date = cat([workdays_2020[cat(rows.day)], workdays_key[key_rows[2]]])
    kind = cat([*rows.kind, np.zeros(len(key_rows[0]), dtype=np.int8)])
    origin = cat([*rows.origin, key_rows[3].astype(np.int8)])
    joint = cat([*rows.joint, np.full(len(key_rows[0]), -1)])
    assert n_2020 == plan.total

    order = np.lexsort((department, date))
    enterprise, department, date, kind, origin, joint = (
        a[order] for a in (enterprise, department, date, kind, origin, joint)
    )
    summary_pick = rng.integers(0, 100, size=len(kind))
    summaries = [ACTION_SUMMARIES[ACTION_KINDS[k]] for k in range(3)]
    summary = [
        summaries[k][p % len(summaries[k])]
        for k, p in zip(kind.tolist(), summary_pick.tolist(), strict=True)
    ]

    items_by_department: dict[int, list[int]] = {}
    for i, (d, _, _) in enumerate(items):
        items_by_department.setdefault(d, []).append(i)
    item_pairs = _cite(
        rng,
        department,
        {d: np.array(v) for d, v in items_by_department.items()},
        [0.5, 0.35, 0.15],
        3,
    )
    officers_by_department = {
        int(d): np.flatnonzero(inspector_department == d) for d in np.unique(inspector_department)
    }
    # Penalties and coercive measures always by two officers; inspections mostly by two.
    officer_pairs = _cite(rng, department, officers_by_department, [0.0, 1.0], 2)
    two = np.where(kind == 0, rng.random(len(kind)) < 0.9, True)
    officer_pairs = officer_pairs[(officer_pairs[:, 2] == 0) | two[officer_pairs[:, 0]]]

    inspection = kind == 0
    finding = np.where(inspection, np.where(rng.random(len(kind)) < PROBLEM_SHARE, 2, 1), 0).astype(
        np.int8
    )
    severity = np.where(
        inspection, 0, rng.choice([1, 2, 3], size=len(kind), p=SEVERITY_SHARES)
    ).astype(np.int8)

    return (
        Actions(
            enterprise=enterprise.astype(np.int64),
            department=department.astype(np.int64),
            date=date,
            kind=kind,
            origin=origin,
            joint_ref=[refs[j] if j >= 0 else "" for j in joint.tolist()],
            summary=summary,
            finding=finding,
            severity=severity,
            items=item_pairs,
            officers=officer_pairs,
        ),
        Visits(
            enterprise=visits[0],
            organisation=visits[1],
            date=workdays_key[visits[2]],
            purpose=visits[3],
        ),
    )
