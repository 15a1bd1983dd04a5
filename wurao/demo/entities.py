"""The demo's market entities (商事主体): pure NumPy, no Django import.

Kinds, places, industries, sizes and risk tags are drawn as arrays; names,
addresses and unified social credit codes are built from them. Entities come
out sorted by credit code, which is also their order in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from wurao.demo import data
from wurao.demo.industries import (
    ENTERPRISE_INDUSTRIES,
    INDIVIDUAL_INDUSTRIES,
    OTHER_INDUSTRIES,
    TRADE_NAME_CHARS,
)
from wurao.demo.items import RISK_TAGS

if TYPE_CHECKING:
    from wurao.demo.allocation import Plan
    from wurao.demo.engine import Place

KIND_CODES = ("enterprise", "individual", "other")
SIZE_CODES = ("micro", "small", "medium", "large")
INDUSTRIES = (*ENTERPRISE_INDUSTRIES, *INDIVIDUAL_INDUSTRIES, *OTHER_INDUSTRIES)
TAG_CODES = tuple(code for code, _, _ in RISK_TAGS)
# GB 32100 character set (no I, O, S, V, Z) and GB 11714 organisation-code check.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2])
# GB 32100 check: the 17 characters weighted by 3^i mod 31.
USCC_WEIGHTS = np.array([pow(3, i, 31) for i in range(17)])
# Codes issued after the 2015 reform carry an organisation code from the MA series.
USCC_REFORM = np.datetime64("2015-10-01")
FOUR_ABOVE_SECTIONS = "FHEKILMG"


@dataclass
class Entities:
    kind: np.ndarray  # 0 enterprise, 1 individual, 2 other
    credit_code: list[str]
    name: list[str]
    address: list[str]
    street: np.ndarray
    community: np.ndarray
    park: np.ndarray  # -1: not in a park
    industry: np.ndarray  # index into INDUSTRIES
    section: np.ndarray  # GB/T 4754 section letters
    above_scale: np.ndarray
    four_above: np.ndarray
    size: np.ndarray  # index into SIZE_CODES
    employees: np.ndarray
    established: np.ndarray  # datetime64[D]
    tags: np.ndarray  # bool, entities × TAG_CODES
    key: int  # the key enterprise in 福城

    def __len__(self) -> int:
        return len(self.kind)


def _weights(values) -> np.ndarray:
    w = np.asarray(values, dtype=float)
    return w / w.sum()


def _trade_names(rng: np.random.Generator, n: int) -> list[str]:
    """n distinct trade names (字号): two characters, three when two run out."""
    chars = list(dict.fromkeys(TRADE_NAME_CHARS))
    base = len(chars)
    space = base**2 if n <= base**2 // 2 else base**2 + base**3
    picks = rng.choice(space, size=n, replace=False)
    out = []
    for p in picks.tolist():
        if p < base**2:
            out.append(chars[p // base] + chars[p % base])
        else:
            p -= base**2
            out.append(chars[p // base**2] + chars[(p // base) % base] + chars[p % base])
    return out


def _org_codes(rng: np.random.Generator, established: np.ndarray) -> list[str]:
    """Distinct 9-character organisation codes (GB 11714) with their check character."""
    n = len(established)
    reform = established >= USCC_REFORM
    bodies = np.empty(n, dtype="<U8")
    old = np.flatnonzero(~reform)
    bodies[old] = np.char.zfill(rng.choice(10**8, size=len(old), replace=False).astype(str), 8)
    new = np.flatnonzero(reform)
    numbers = rng.choice(31**5, size=len(new), replace=False)
    tail = []
    for x in numbers.tolist():
        s = ""
        for _ in range(5):
            x, r = divmod(x, 31)
            s = USCC_ALPHABET[r] + s
        tail.append("MA5" + s)
    bodies[new] = tail
    # GB 11714: digits count as themselves, letters A=10 … Z=35.
    ascii_codes = bodies.astype("S8").view(np.uint8).reshape(n, 8).astype(np.int64)
    values = np.where(ascii_codes >= ord("A"), ascii_codes - ord("A") + 10, ascii_codes - ord("0"))
    check = 11 - (values @ ORG_WEIGHTS) % 11
    check_chars = np.where(check == 10, "X", np.where(check == 11, "0", check.astype(str)))
    return [b + c for b, c in zip(bodies.tolist(), check_chars.tolist(), strict=True)]


def _credit_codes(first17: list[str]) -> list[str]:
    """The first 17 characters with their GB 32100 check character, computed for all codes at
    once (what credit_code_complete does for one; 433,407 of them one by one took seconds)."""
    if not first17:
        return []
    lookup = np.zeros(128, dtype=np.int64)
    lookup[[ord(c) for c in USCC_ALPHABET]] = np.arange(len(USCC_ALPHABET))
    chars = np.array(first17, dtype="S17").view(np.uint8).reshape(len(first17), 17)
    total = lookup[chars] @ USCC_WEIGHTS
    check = np.array(list(USCC_ALPHABET))[(31 - total % 31) % 31]
    return [f + c for f, c in zip(first17, check.tolist(), strict=True)]


def _industries(rng: np.random.Generator, counts: tuple[int, int, int]) -> np.ndarray:
    n_ent, n_ind, n_oth = counts
    offsets = (
        0,
        len(ENTERPRISE_INDUSTRIES),
        len(ENTERPRISE_INDUSTRIES) + len(INDIVIDUAL_INDUSTRIES),
    )
    parts = []
    for offset, table, n in zip(
        offsets,
        (ENTERPRISE_INDUSTRIES, INDIVIDUAL_INDUSTRIES, OTHER_INDUSTRIES),
        counts,
        strict=True,
    ):
        parts.append(offset + rng.choice(len(table), size=n, p=_weights([i.weight for i in table])))
    return np.concatenate(parts).astype(np.int16)


def _streets(rng: np.random.Generator, kind: np.ndarray, section: np.ndarray) -> np.ndarray:
    names = [name for _, name, _ in data.STREETS]
    street = np.empty(len(kind), dtype=np.int8)
    groups = (
        ((kind == 0) & (section == "C"), data.STREET_WEIGHTS_MANUFACTURING),
        ((kind == 0) & (section != "C"), data.STREET_WEIGHTS_OTHER),
        (kind == 1, data.STREET_WEIGHTS_INDIVIDUAL),
        (kind == 2, {"观湖": 1, "民治": 0, "龙华": 0, "大浪": 1, "福城": 2, "观澜": 3}),
    )
    for mask, weights in groups:
        street[mask] = rng.choice(
            len(names), size=int(mask.sum()), p=_weights([weights[s] for s in names])
        )
    return street


def _sizes(rng: np.random.Generator, kind: np.ndarray, four_above: np.ndarray) -> np.ndarray:
    n = len(kind)
    size = np.zeros(n, dtype=np.int8)
    plain = (kind == 0) & ~four_above
    size[plain] = rng.choice(4, size=int(plain.sum()), p=[0.8, 0.17, 0.025, 0.005])
    size[four_above] = rng.choice([1, 2, 3], size=int(four_above.sum()), p=[0.55, 0.35, 0.10])
    others = kind == 2
    size[others] = rng.choice(2, size=int(others.sum()), p=[0.9, 0.1])
    return size


def _employees(
    rng: np.random.Generator, size: np.ndarray, kind: np.ndarray, section: np.ndarray
) -> np.ndarray:
    industrial = section == "C"
    lo = np.select(
        [size == 0, size == 1, size == 2],
        [1, np.where(industrial, 20, 10), np.where(industrial, 300, 100)],
        1000,
    )
    hi = np.select(
        [size == 0, size == 1, size == 2],
        [
            np.where(industrial, 19, 9),
            np.where(industrial, 299, 99),
            np.where(industrial, 999, 499),
        ],
        5000,
    )
    hi = np.where(kind == 1, 8, hi)
    return rng.integers(lo, hi + 1).astype(np.int32)


def _established(rng: np.random.Generator, kind: np.ndarray, four_above: np.ndarray) -> np.ndarray:
    # Days before the end of 2019: most entities are young, as in Shenzhen's registry.
    end = np.datetime64("2019-12-31")
    scale_days = np.where(kind == 1, 900, np.where(four_above, 3000, 1500))
    days = np.minimum(rng.gamma(1.4, scale_days), (end - np.datetime64("1985-01-01")).astype(int))
    return end - days.astype(np.int64)


def _names(
    rng: np.random.Generator,
    kind: np.ndarray,
    industry: np.ndarray,
    street: np.ndarray,
    four_above: np.ndarray,
) -> list[str]:
    street_names = [name for _, name, _ in data.STREETS]
    words = [INDUSTRIES[i].words for i in range(len(INDUSTRIES))]
    n_words = np.array([len(w) for w in words])
    word_pick = (rng.random(len(kind)) * n_words[industry]).astype(np.int64)
    names: list[str] = [""] * len(kind)
    # Group by (kind, street for individual businesses, word): names are distinct within a group.
    group_street = np.where(kind == 1, street, -1)
    keys = np.stack(
        [kind.astype(np.int64), group_street.astype(np.int64), industry.astype(np.int64), word_pick]
    )
    order = np.lexsort(keys[::-1])
    sorted_keys = keys[:, order]
    boundaries = np.flatnonzero(np.any(np.diff(sorted_keys, axis=1) != 0, axis=0)) + 1
    for group in np.split(order, boundaries):
        first = int(group[0])
        word = words[industry[first]][word_pick[first]]
        trade = _trade_names(rng, len(group))
        k = int(kind[first])
        for idx, t in zip(group.tolist(), trade, strict=True):
            if k == 0:
                form = "股份有限公司" if four_above[idx] and (idx % 7 == 0) else "有限公司"
                names[idx] = f"深圳市{t}{word}{form}"
            elif k == 1:
                names[idx] = f"深圳市龙华区{street_names[street[idx]]}{t}{word}"
            else:
                names[idx] = f"深圳市{t}{word}"
    return names


def _addresses(
    rng: np.random.Generator, e: dict, communities: list[Place], parks: list[Place]
) -> list[str]:
    n = len(e["kind"])
    street_names = [name for _, name, _ in data.STREETS]
    road_pick = rng.integers(0, 6, size=n)
    number = rng.integers(1, 600, size=n)
    building = rng.integers(1, 12, size=n)
    floor = rng.integers(1, 20, size=n)
    room = rng.integers(1, 30, size=n)
    out = []
    for i in range(n):
        s = street_names[e["street"][i]]
        head = f"深圳市龙华区{s}街道{communities[e['community'][i]].name}{data.ROADS[s][road_pick[i]]}{number[i]}号"
        if e["park"][i] >= 0:
            out.append(f"{head}{parks[e['park'][i]].name}{building[i]}栋{floor[i]}楼")
        elif e["kind"][i] == 1:
            out.append(f"{head}{room[i]}号铺")
        else:
            out.append(f"{head}{building[i]}栋{floor[i]}{room[i]:02d}")
    return out


def _tags(
    rng: np.random.Generator, industry: np.ndarray, four_above: np.ndarray, section: np.ndarray
) -> np.ndarray:
    n = len(industry)
    tags = np.zeros((n, len(TAG_CODES)), dtype=bool)
    draw = rng.random((n, len(TAG_CODES)))
    for i, ind in enumerate(INDUSTRIES):
        rows = industry == i
        for tag, p in ind.tags.items():
            t = TAG_CODES.index(tag)
            tags[:, t] |= rows & (draw[:, t] < p)
    big_factory = four_above & (section == "C")
    tags[:, TAG_CODES.index("special_eq")] |= big_factory & (draw[:, 0] < 0.6)
    tags[:, TAG_CODES.index("fire_key")] |= big_factory & (draw[:, 1] < 0.4)
    return tags


def entities_generate(
    rng: np.random.Generator,
    *,
    plan: Plan,
    streets: list[Place],
    communities: list[Place],
    parks: list[Place],
) -> Entities:
    counts = (plan.enterprises, plan.individuals, plan.others)
    kind = np.repeat(np.arange(3, dtype=np.int8), counts)
    n = len(kind)
    industry = _industries(rng, counts)
    key = 0  # the first enterprise, before sorting by code
    key_industry = next(
        i
        for i, ind in enumerate(ENTERPRISE_INDUSTRIES)
        if ind.code == data.KEY_ENTERPRISE_INDUSTRY[1]
    )
    industry[key] = key_industry
    section = np.array([ind.section for ind in INDUSTRIES])[industry]

    # 规上工业 are manufacturers; the other 四上 are wholesale, retail, catering, building,
    # property and services firms. The key enterprise is one of the 规上工业.
    above_scale = np.zeros(n, dtype=bool)
    four_above = np.zeros(n, dtype=bool)
    if plan.above_scale:
        above_scale[key] = True
        factories = np.flatnonzero((kind == 0) & (section == "C"))
        factories = factories[factories != key]
        chosen = rng.choice(
            factories, size=min(plan.above_scale - 1, len(factories)), replace=False
        )
        above_scale[chosen] = True
    four_above |= above_scale
    rest = np.flatnonzero((kind == 0) & np.isin(section, list(FOUR_ABOVE_SECTIONS)))
    extra = plan.four_above - int(four_above.sum())
    if extra > 0:
        four_above[rng.choice(rest, size=min(extra, len(rest)), replace=False)] = True

    street = _streets(rng, kind, section)
    street_names = [name for _, name, _ in data.STREETS]
    street[key] = street_names.index(data.KEY_ENTERPRISE_STREET)
    first_community = np.searchsorted([c.street for c in communities], np.arange(len(streets)))
    n_communities = np.bincount([c.street for c in communities], minlength=len(streets))
    community = (
        first_community[street] + (rng.random(n) * n_communities[street]).astype(np.int64)
    ).astype(np.int16)
    community[key] = next(
        i for i, c in enumerate(communities) if c.name == f"{data.KEY_ENTERPRISE_COMMUNITY}社区"
    )
    first_park = np.searchsorted([p.street for p in parks], np.arange(len(streets)))
    n_parks = np.bincount([p.street for p in parks], minlength=len(streets))
    in_park = ((section == "C") & (rng.random(n) < 0.4)) | (
        np.isin(section, ["I", "M"]) & (rng.random(n) < 0.08)
    )
    in_park &= kind == 0
    park = np.where(
        in_park, first_park[street] + (rng.random(n) * n_parks[street]).astype(np.int64), -1
    ).astype(np.int16)
    park[key] = next(i for i, p in enumerate(parks) if p.name == data.KEY_ENTERPRISE_PARK)

    size = _sizes(rng, kind, four_above)
    size[key] = 3
    employees = _employees(rng, size, kind, section)
    employees[key] = data.KEY_ENTERPRISE_EMPLOYEES
    established = _established(rng, kind, four_above)
    established[key] = np.datetime64("2008-04-18")

    tags = _tags(rng, industry, four_above, section)
    tags[key] = False
    tags[key, [TAG_CODES.index(t) for t in data.KEY_ENTERPRISE_TAGS]] = True

    type_char = np.array(["1", "2", "3"])[kind]
    org = _org_codes(rng, established)
    codes = _credit_codes(
        [f"9{t}{data.DIVISION}{o}" for t, o in zip(type_char.tolist(), org, strict=True)]
    )
    names = _names(rng, kind, industry, street, four_above)
    names[key] = data.KEY_ENTERPRISE_NAME
    fields = {"kind": kind, "street": street, "community": community, "park": park}
    addresses = _addresses(rng, fields, communities, parks)

    order = np.argsort(np.array(codes))
    return Entities(
        kind=kind[order],
        credit_code=[codes[i] for i in order],
        name=[names[i] for i in order],
        address=[addresses[i] for i in order],
        street=street[order],
        community=community[order],
        park=park[order],
        industry=industry[order],
        section=section[order],
        above_scale=above_scale[order],
        four_above=four_above[order],
        size=size[order],
        employees=employees[order],
        established=established[order],
        tags=tags[order],
        key=int(np.flatnonzero(order == key)[0]),
    )
