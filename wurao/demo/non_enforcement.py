"""The history's non-enforcement visits (入企走访): unions, women's federation, party committees,
community stations, street offices, the federation of industry and commerce, and departments
come to research or to promote policy, not to inspect. Pure NumPy, no Django import.

The study counted them as burden: 30 of its key enterprise's 75 visits. The demo puts most of
them at the 四上 enterprises, by the same attention that draws the departments' inspections
there and by size (the organisations go where the employees are), and a few elsewhere; how
many and who makes them are assumptions in wurao.demo.data (NON_ENFORCEMENT_*).
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


def _enterprises(rng, n: int, entities: Entities, attention: np.ndarray, exclude: int):
    """n visited enterprises: the key share at the 四上 by attention × size, the rest at other
    enterprises by size."""
    size = SIZE_WEIGHTS[entities.size]
    enterprise = entities.kind == 0
    key = enterprise & entities.four_above
    n_key = int(round(n * data.NON_ENFORCEMENT_KEY_SHARE))
    out = []
    for mask, m, w in ((key, n_key, attention * size), (enterprise & ~key, n - n_key, size)):
        mask = mask.copy()
        if exclude >= 0:
            mask[exclude] = False
        if not mask.any():
            mask = enterprise.copy()
            if exclude >= 0 and mask.sum() > 1:
                mask[exclude] = False
        pool = np.flatnonzero(mask)
        p = w[pool] / w[pool].sum()
        out.append(pool[rng.choice(len(pool), size=m, p=p)])
    picked = np.concatenate(out)
    return picked[rng.permutation(len(picked))]


def non_enforcement_generate(
    rng: np.random.Generator,
    *,
    n: int,
    entities: Entities,
    organisations: list[Organisation],
    communities: list[Place],
    attention: np.ndarray,
    workdays: np.ndarray,
    exclude: int = -1,
) -> Visits:
    """One year's `n` non-enforcement visits on working days; `exclude` is left out (the key
    enterprise in 2019, whose visits are the study's)."""
    index = {o.code: i for i, o in enumerate(organisations)}
    enterprise = _enterprises(rng, n, entities, attention, exclude)
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
    own = {
        "party": np.array([index[f"DGW-{s}"] for _, _, s in data.STREETS])[street],
        "community": community_stations(organisations, communities)[entities.community[enterprise]],
        "street_office": np.array([index[f"JD-{s}"] for _, _, s in data.STREETS])[street],
        "department": department,
    }
    organisation = np.empty(n, dtype=np.int64)
    for r, (who, _, _, _) in enumerate(mix):
        chosen = row == r
        organisation[chosen] = own[who][chosen] if who in own else index[who]
    pick = rng.integers(0, 1_000, size=n).tolist()
    purpose = [mix[r][3][k % len(mix[r][3])] for r, k in zip(row.tolist(), pick, strict=True)]
    category = [mix[r][2] for r in row.tolist()]
    day = np.sort(rng.integers(0, len(workdays), size=n))
    return Visits(
        enterprise=enterprise.astype(np.int64),
        organisation=organisation,
        date=workdays[day],
        purpose=purpose,
        category=category,
    )
