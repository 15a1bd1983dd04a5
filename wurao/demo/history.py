"""The demo's enforcement history: the 2020 year the study describes, the year before it
(2019, built the same way at a demo's count, wurao.demo.data.YEAR_BEFORE_FACTOR) with the key
enterprise's January–October 2019 in it, and both years' non-enforcement visits
(wurao.demo.non_enforcement). Pure NumPy, no Django import.

Counts come from the allocation plans; this module decides who, when, why and with
what: each department inspects entities on its own list (by industry, risk tag
and, for street teams, street), more often the 四上 enterprises with much attention
(`attention_generate`: the study's concentration), finding problems more often where the
risk is and at the entities that keep the rules less well (`propensity_generate`: drawn once
per entity, the same in both years, so this year's findings follow last year's); follow-up
penalties and coercive measures mostly land on entities the department inspected shortly
before and found a problem at, and joint random visits put two or three departments at one
enterprise on one day under one reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from wurao.demo import data
from wurao.demo.allocation import scaled
from wurao.demo.entities import TAG_CODES, Entities
from wurao.demo.industries import ACTION_SUMMARIES
from wurao.demo.non_enforcement import Visits, non_enforcement_generate, purpose_of

if TYPE_CHECKING:
    from wurao.demo.allocation import Plan
    from wurao.demo.engine import Organisation, Place
    from wurao.demo.items import Item

ACTION_KINDS = ("inspection", "penalty", "coercive")
FINDINGS = ("", "clean", "problems")
# Demo assumption (the study gives no figure): penalties are mostly minor, a few serious.
# How often an inspection finds a problem: wurao.demo.data.PROBLEM_*.
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
class _Rows:
    """Actions under construction; dates are indices into a working-day calendar."""

    enterprise: list[np.ndarray]
    department: list[np.ndarray]
    day: list[np.ndarray]
    kind: list[np.ndarray]
    origin: list[np.ndarray]
    joint: list[np.ndarray]  # joint visit number, -1 when not joint
    finding: list[np.ndarray]  # index into FINDINGS

    def add(self, enterprise, department, day, kind, origin, joint=None, finding=None) -> None:
        n = len(enterprise)
        self.finding.append(
            np.zeros(n, dtype=np.int8) if finding is None else np.asarray(finding, dtype=np.int8)
        )
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


def attention_generate(rng: np.random.Generator, entities: Entities) -> np.ndarray:
    """Each entity's attention: how much more than others the departments visit it (1 for
    most; log-normal for the 四上 enterprises, the tail's for the key enterprise)."""
    attention = np.ones(len(entities))
    key = np.flatnonzero(entities.four_above)
    attention[key] = data.KEY_ATTENTION_MEDIAN * rng.lognormal(
        0.0, data.KEY_ATTENTION_SIGMA, size=len(key)
    )
    attention[entities.key] = data.KEY_ENTERPRISE_ATTENTION
    return attention


def propensity_generate(rng: np.random.Generator, entities: Entities) -> np.ndarray:
    """Each entity's compliance propensity: how many times the usual chance an inspection
    finds a problem there, the same in every year (log-normal, mean PROPENSITY_SCALE; 1 for
    the key enterprise, whose many findings its six risk tags explain)."""
    sigma = data.PROPENSITY_SIGMA
    propensity = data.PROPENSITY_SCALE * rng.lognormal(-(sigma**2) / 2, sigma, size=len(entities))
    propensity[entities.key] = 1.0
    return propensity


def problem_chance(
    entities: Entities,
    enterprise: np.ndarray,
    origin: np.ndarray,
    propensity: np.ndarray | None = None,
) -> np.ndarray:
    """The chance that an inspection finds a problem: higher with more risk tags, for a
    complaint or a referral, and at an entity with a higher propensity (none given: 1)."""
    tags = entities.tags[enterprise].sum(axis=1)
    reported = np.isin(origin, [ORIGIN_CODES.index("complaint"), ORIGIN_CODES.index("referral")])
    p = data.PROBLEM_BASE + data.PROBLEM_PER_TAG * tags + data.PROBLEM_COMPLAINT_BONUS * reported
    if propensity is not None:
        p = p * propensity[enterprise]
    return np.minimum(p, data.PROBLEM_MAX)


def _findings(
    rng_f, entities: Entities, enterprise: np.ndarray, origin: np.ndarray, propensity: np.ndarray
) -> np.ndarray:
    chance = problem_chance(entities, enterprise, origin, propensity)
    found = rng_f.random(len(enterprise)) < chance
    return np.where(found, FINDINGS.index("problems"), FINDINGS.index("clean")).astype(np.int8)


class _Pools:
    """For each department, the entities on its list and how likely each is to be visited."""

    def __init__(
        self,
        entities: Entities,
        organisations: list[Organisation],
        attention: np.ndarray | None = None,
        exclude: int = -1,
    ) -> None:
        self.e = entities
        self.organisations = organisations
        self.specs = {o.code: o for o in data.DEPARTMENTS}
        self.size_weight = SIZE_WEIGHTS[entities.size] * (1.0 if attention is None else attention)
        self.exclude = exclude
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
            weight[pool == self.exclude] = 0.0
            if not weight.sum():
                weight[:] = 1.0
            self._cache[d] = (pool, weight / weight.sum())
        return self._cache[d]

    def draw(self, rng: np.random.Generator, d: int, n: int) -> np.ndarray:
        pool, p = self.get(d)
        if n:
            p = _capped(p, data.MAX_EXPECTED_PER_DEPARTMENT / n)
        return pool[rng.choice(len(pool), size=n, p=p)]


def _capped(p: np.ndarray, cap: float) -> np.ndarray:
    """The probabilities `p` with none above `cap`, the excess spread over the others in
    proportion (so a department's attention to one enterprise has a ceiling)."""
    cap = max(cap, 1.0 / len(p))
    if p.max() <= cap:
        return p
    p = p.copy()
    for _ in range(50):
        over = p > cap
        if not over.any():
            break
        excess = (p[over] - cap).sum()
        p[over] = cap
        free = p < cap
        p[free] += excess * p[free] / p[free].sum()
    return p / p.sum()


def _follow_ups(rng, rng_f, pools, rows: _Rows, d, n, kind, inspected, offsets, n_days) -> None:
    """Penalties or coercive measures: most follow one of the department's own inspections,
    one that found a problem when there is one."""
    if n == 0:
        return
    ent_i, day_i, found = inspected
    linked = rng.random(n) < (data.FOLLOW_UP_LINKED if len(ent_i) else 0.0)
    src = rng.integers(0, max(len(ent_i), 1), size=n)
    problems = np.flatnonzero(found == FINDINGS.index("problems"))
    if len(problems):
        src = problems[rng_f.integers(0, len(problems), size=n)]
    fresh = pools.draw(rng, d, n)
    enterprise = np.where(linked, ent_i[src] if len(ent_i) else fresh, fresh)
    later = np.minimum(
        (day_i[src] if len(day_i) else 0) + rng.integers(*offsets, size=n), n_days - 1
    )
    day = np.where(linked, later, rng.integers(0, n_days, size=n))
    rows.add(enterprise, d, day, kind, _origins(rng, n, data.FOLLOW_UP_ORIGINS))


def _campaign_calendar(workdays: np.ndarray) -> np.ndarray:
    """For each working day, the chance that a campaign inspection falls on it: campaigns run in
    the same months across departments (wurao.demo.data.CAMPAIGN_MONTH_WEIGHTS)."""
    month = workdays.astype("datetime64[M]").astype(np.int64) % 12 + 1
    weight = np.array([data.CAMPAIGN_MONTH_WEIGHTS[int(m)] for m in month], dtype=float)
    return weight / weight.sum()


def _year(
    rng,
    rng_f,
    plan: Plan,
    entities: Entities,
    organisations,
    workdays: np.ndarray,
    *,
    attention: np.ndarray,
    propensity: np.ndarray,
    exclude: int = -1,
    first_joint: int = 0,
) -> tuple[_Rows, int]:
    """One year of every department's actions, as the plan counts them; joint visits are
    numbered from `first_joint`. Returns the rows and how many joint visits there were."""
    n_days = len(workdays)
    campaign_p = _campaign_calendar(workdays)
    campaign = ORIGIN_CODES.index("campaign")
    index = {o.code: d for d, o in enumerate(organisations)}
    pools = _Pools(entities, organisations, attention, exclude)
    rows = _Rows([], [], [], [], [], [], [])
    random_draw = ORIGIN_CODES.index("random_draw")

    # Joint random visits: two or three departments, one enterprise, one day, one reference.
    candidates = np.flatnonzero(
        (entities.kind == 0) & (entities.section == "C") & entities.tags.any(axis=1)
    )
    if not len(candidates):
        candidates = np.flatnonzero(entities.kind == 0)
    if exclude >= 0 and len(candidates) > 1:
        candidates = candidates[candidates != exclude]
    joint_ent = rng.choice(candidates, size=len(plan.joint_visits))
    joint_day = rng.integers(0, n_days, size=len(plan.joint_visits))
    joint_found = _findings(
        rng_f,
        entities,
        joint_ent,
        np.full(len(joint_ent), random_draw, dtype=np.int8),
        propensity,
    )
    joint_rows: dict[str, list[tuple[int, int, int, int]]] = {}
    for j, pattern in enumerate(plan.joint_visits):
        for code in pattern:
            joint_rows.setdefault(code, []).append(
                (int(joint_ent[j]), int(joint_day[j]), first_joint + j, int(joint_found[j]))
            )

    for code, counts in plan.by_department.items():
        d = index[code]
        n_insp, n_pen, n_coe = (counts[k] for k in ACTION_KINDS)
        joined = joint_rows.get(code, [])
        if joined:
            ent_j, day_j, ref_j, found_j = (np.array(col) for col in zip(*joined, strict=True))
            rows.add(ent_j, d, day_j, 0, np.full(len(joined), random_draw), ref_j, found_j)
        else:
            ent_j = day_j = found_j = np.array([], dtype=np.int64)
        n_solo = n_insp - len(joined)
        n_random_solo = plan.random_by_department.get(code, 0) - len(joined)
        ent = pools.draw(rng, d, n_solo)
        day = rng.integers(0, n_days, size=n_solo)
        origin = _origins(rng, n_solo, data.INSPECTION_ORIGINS)
        origin[:n_random_solo] = random_draw
        in_campaign = np.flatnonzero(origin == campaign)
        day[in_campaign] = rng.choice(n_days, size=len(in_campaign), p=campaign_p)
        found = _findings(rng_f, entities, ent, origin, propensity)
        rows.add(ent, d, day, 0, origin, finding=found)
        inspected = (
            np.concatenate([ent_j, ent]),
            np.concatenate([day_j, day]),
            np.concatenate([found_j, found]),
        )
        _follow_ups(rng, rng_f, pools, rows, d, n_pen, 1, inspected, (3, 41), n_days)
        _follow_ups(rng, rng_f, pools, rows, d, n_coe, 2, inspected, (0, 11), n_days)
    return rows, len(plan.joint_visits)


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
    return (np.full(n, key), departments, action_days, origins), (
        np.array(org)[order],
        visit_days,
        [purpose[i] for i in order],
    )


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
    rng_before: np.random.Generator,
    rng_burden: np.random.Generator,
    rng_propensity: np.random.Generator,
    *,
    plan: Plan,
    plan_before: Plan,
    entities: Entities,
    organisations: list[Organisation],
    inspector_department: np.ndarray,
    items: list[tuple[int, str, Item]],
    communities: list[Place],
    workdays_2020: np.ndarray,
    workdays_before: np.ndarray,
    workdays_key: np.ndarray,
) -> tuple[Actions, Visits]:
    """2020 from `rng` (as the study counts it), 2019 from `rng_before` (the key enterprise
    left out: its 2019 is the study's, from `rng_key`), from `rng_burden` the attention,
    the findings and the non-enforcement visits of both years, and from `rng_propensity` each
    entity's compliance propensity."""
    attention = attention_generate(rng_burden, entities)
    propensity = propensity_generate(rng_propensity, entities)
    rows, n_joint = _year(
        rng,
        rng_burden,
        plan,
        entities,
        organisations,
        workdays_2020,
        attention=attention,
        propensity=propensity,
    )
    rows_before, n_joint_before = _year(
        rng_before,
        rng_burden,
        plan_before,
        entities,
        organisations,
        workdays_before,
        attention=attention,
        propensity=propensity,
        exclude=entities.key,
        first_joint=n_joint,
    )
    refs = [f"LHJ-{data.STUDY_YEAR}-{j + 1:04d}" for j in range(n_joint)] + [
        f"LHJ-{data.HISTORY_YEAR_BEFORE}-{j + 1:04d}" for j in range(n_joint_before)
    ]
    key_rows, key_visits = _key_enterprise(
        rng_key, entities, organisations, communities, len(workdays_key)
    )
    key_origin = key_rows[3].astype(np.int8)
    key_found = _findings(rng_burden, entities, key_rows[0], key_origin, propensity)

    cat = np.concatenate
    n_2020 = sum(len(x) for x in rows.enterprise)
    assert n_2020 == plan.total
    assert sum(len(x) for x in rows_before.enterprise) == plan_before.total
    enterprise = cat([*rows.enterprise, *rows_before.enterprise, key_rows[0]])
    department = cat([*rows.department, *rows_before.department, key_rows[1]])
    date = cat(
        [
            workdays_2020[cat(rows.day)],
            workdays_before[cat(rows_before.day)],
            workdays_key[key_rows[2]],
        ]
    )
    kind = cat([*rows.kind, *rows_before.kind, np.zeros(len(key_rows[0]), dtype=np.int8)])
    origin = cat([*rows.origin, *rows_before.origin, key_origin])
    joint = cat([*rows.joint, *rows_before.joint, np.full(len(key_rows[0]), -1)])
    finding = cat([*rows.finding, *rows_before.finding, key_found])

    key_org, key_days, key_purpose = key_visits
    visits = Visits.concatenate(
        [
            Visits(
                enterprise=np.full(len(key_org), entities.key),
                organisation=key_org,
                date=workdays_key[key_days],
                purpose=key_purpose,
                category=[purpose_of(organisations[o].code) for o in key_org.tolist()],
            ),
            *(
                non_enforcement_generate(
                    rng_burden,
                    n_other=scaled(data.NON_ENFORCEMENT_OTHER_ENTERPRISES[year], plan.scale),
                    entities=entities,
                    organisations=organisations,
                    communities=communities,
                    attention=attention,
                    workdays=workdays,
                    exclude=entities.key if year == data.HISTORY_YEAR_BEFORE else -1,
                )
                for year, workdays in (
                    (data.HISTORY_YEAR_BEFORE, workdays_before),
                    (data.STUDY_YEAR, workdays_2020),
                )
            ),
        ]
    )

    order = np.lexsort((department, date))
    enterprise, department, date, kind, origin, joint, finding = (
        a[order] for a in (enterprise, department, date, kind, origin, joint, finding)
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
    finding = np.where(inspection, finding, 0).astype(np.int8)
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
        visits,
    )
