"""The history's non-enforcement visits (入企走访): unions, women's federation, party committees,
community stations, street offices, the federation of industry and commerce, and departments
come to research or to promote policy, not to inspect. Pure NumPy, no Django import.

The study counted them as burden: 30 of its key enterprise's 75 visits. The demo gives every
四上 enterprise its street office's service officer once a quarter, and the other organisations'
visits mostly at the 四上 enterprises, by the same attention that draws the departments'
inspections there and by size (the organisations go where the employees are), and a few
elsewhere; how many and who makes them are assumptions in wurao.demo.data (NON_ENFORCEMENT_*).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from wurao.demo import data

if TYPE_CHECKING:
    from wurao.demo.engine import Organisation, Place
    from wurao.demo.entities import Entities

SIZE_WEIGHTS = np.array([1.0, 2.0, 4.0, 6.0])


@dataclass
class Visits:
    """Non-enforcement visits as rows."""

    enterprise: np.ndarray  # index into Entities
    organisation: np.ndarray  # index into District.organisations
    date: np.ndarray  # datetime64[D]
    purpose: list[str]  # what the visit was for, in words (the visit's note)
    category: list[str]  # a VisitPurpose value

    def __len__(self) -> int:
        return len(self.enterprise)

    @staticmethod
    def concatenate(parts: list[Visits]) -> Visits:
        return Visits(
            enterprise=np.concatenate([p.enterprise for p in parts]).astype(np.int64),
            organisation=np.concatenate([p.organisation for p in parts]).astype(np.int64),
            date=np.concatenate([p.date for p in parts]).astype("datetime64[D]"),
            purpose=[x for p in parts for x in p.purpose],
            category=[x for p in parts for x in p.category],
        )


def purpose_of(organisation_code: str) -> str:
    """The VisitPurpose of a visit by this organisation when nothing else says."""
    prefixes = {"ZGH": "union", "FL": "women", "DGW": "party", "JD": "policy", "GSL": "policy"}
    for prefix, purpose in prefixes.items():
        if organisation_code.startswith(prefix):
            return purpose
    return "community"


def community_stations(organisations: list[Organisation], communities: list[Place]) -> np.ndarray:
    """For each community (index), its work station's index among the organisations."""
    index = {o.code: i for i, o in enumerate(organisations)}
    out, counters = [], {}
    for community in communities:
        n = counters[community.street] = counters.get(community.street, 0) + 1
        short = data.STREETS[community.street][2]
        out.append(index[data.community_station_code(short, n)])
    return np.array(out, dtype=np.int64)


def _picked(rng, m: int, mask: np.ndarray, weight: np.ndarray, fallback: np.ndarray, exclude: int):
    """m enterprises among `mask` (or `fallback` when it is empty), by `weight`, never `exclude`
    unless it is the only one."""
    mask = mask.copy()
    if exclude >= 0:
        mask[exclude] = False
    if not mask.any():
        mask = fallback.copy()
        if exclude >= 0 and mask.sum() > 1:
            mask[exclude] = False
    pool = np.flatnonzero(mask)
    return pool[rng.choice(len(pool), size=m, p=weight[pool] / weight[pool].sum())]


def _service_visits(rng, entities: Entities, workdays: np.ndarray, exclude: int):
    """The service officers' calls: every 四上 enterprise NON_ENFORCEMENT_SERVICE_PER_YEAR times,
    spread over the year's months evenly (once a quarter for four), each on a working day of its
    part of the year."""
    key = np.flatnonzero(entities.four_above & (entities.kind == 0))
    key = key[key != exclude]
    k = data.NON_ENFORCEMENT_SERVICE_PER_YEAR
    if not len(key) or not k or not len(workdays):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    month = workdays.astype("datetime64[M]").astype(np.int64) % 12
    of_part = month * k // 12
    parts = [np.flatnonzero(of_part == p) for p in range(k)]
    parts = [days if len(days) else np.arange(len(workdays)) for days in parts]
    part = np.tile(np.arange(k), len(key))
    pick = rng.random(len(part))
    day = np.array(
        [
            parts[p][int(x * len(parts[p]))]
            for p, x in zip(part.tolist(), pick.tolist(), strict=True)
        ],
        dtype=np.int64,
    )
    return np.repeat(key, k), day


def non_enforcement_generate(
    rng: np.random.Generator,
    *,
    n_other: int,
    entities: Entities,
    organisations: list[Organisation],
    communities: list[Place],
    attention: np.ndarray,
    workdays: np.ndarray,
    exclude: int = -1,
) -> Visits:
    """One year's non-enforcement visits on working days: the service officers' calls at every
    四上 enterprise, the other organisations' visits at the 四上 enterprises by attention × size
    (NON_ENFORCEMENT_PER_FOUR_ABOVE each on average) and `n_other` at other enterprises by size;
    `exclude` is left out (the key enterprise in 2019, whose visits are the study's)."""
    index = {o.code: i for i, o in enumerate(organisations)}
    size = SIZE_WEIGHTS[entities.size]
    enterprise_mask = entities.kind == 0
    key = enterprise_mask & entities.four_above
    n_key = int(round(data.NON_ENFORCEMENT_PER_FOUR_ABOVE * int(key.sum())))
    enterprise = np.concatenate(
        [
            _picked(rng, n_key, key, attention * size, enterprise_mask, exclude),
            _picked(rng, n_other, enterprise_mask & ~key, size, enterprise_mask, exclude),
        ]
    )
    enterprise = enterprise[rng.permutation(len(enterprise))]
    n = len(enterprise)
    mix = data.NON_ENFORCEMENT_MIX
    weights = np.array([w for _, w, _, _ in mix], dtype=float)
    row = rng.choice(len(mix), size=n, p=weights / weights.sum())
    departments = [i for i, o in enumerate(organisations) if o.is_enforcement]
    specs = {o.code: o for o in data.DEPARTMENTS}
    dept_w = np.array([specs[organisations[i].code].inspectors for i in departments], dtype=float)
    department = np.array(departments)[
        rng.choice(len(departments), size=n, p=dept_w / dept_w.sum())
    ]

    street = entities.street[enterprise]
    offices = np.array([index[f"JD-{s}"] for _, _, s in data.STREETS])
    own = {
        "party": np.array([index[f"DGW-{s}"] for _, _, s in data.STREETS])[street],
        "community": community_stations(organisations, communities)[entities.community[enterprise]],
        "street_office": offices[street],
        "department": department,
    }
    organisation = np.empty(n, dtype=np.int64)
    for r, (who, _, _, _) in enumerate(mix):
        chosen = row == r
        organisation[chosen] = own[who][chosen] if who in own else index[who]
    pick = rng.integers(0, 1_000, size=n).tolist()
    purpose = [mix[r][3][k % len(mix[r][3])] for r, k in zip(row.tolist(), pick, strict=True)]
    category = [mix[r][2] for r in row.tolist()]
    day = rng.integers(0, len(workdays), size=n)

    service, service_day = _service_visits(rng, entities, workdays, exclude)
    _, service_category, service_purposes = data.NON_ENFORCEMENT_SERVICE
    service_pick = rng.integers(0, len(service_purposes), size=len(service)).tolist()
    enterprise = np.concatenate([enterprise, service])
    organisation = np.concatenate([organisation, offices[entities.street[service]]])
    day = np.concatenate([day, service_day])
    purpose += [service_purposes[k] for k in service_pick]
    category += [service_category] * len(service)
    order = np.argsort(day, kind="stable")
    return Visits(
        enterprise=enterprise[order].astype(np.int64),
        organisation=organisation[order],
        date=workdays[day[order]],
        purpose=[purpose[i] for i in order.tolist()],
        category=[category[i] for i in order.tolist()],
    )
