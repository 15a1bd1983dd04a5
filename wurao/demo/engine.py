"""The demo district generator: pure Python and NumPy, no Django import.

`district_generate(scale=…, seed=…)` returns plain arrays and lists that
`wurao.demo.services` loads into the database. The same scale and seed always
give the same district; each part draws from its own random stream, so a change
in one part does not reshuffle the others.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np

from wurao.demo import data
from wurao.demo.allocation import Plan, plan_counts
from wurao.demo.credit import CreditRecords, Findings, credit_generate
from wurao.demo.entities import Entities, entities_generate
from wurao.demo.history import FINDINGS, Actions, history_generate
from wurao.demo.industries import GIVEN_NAME_CHARS, SURNAMES
from wurao.demo.inspection_visits import InspectionVisits, inspection_visits_generate
from wurao.demo.items import RISK_TAGS, Item, item_code, items_for
from wurao.demo.non_enforcement import Visits

# Independent random streams, one per part of the district (5 is the draws', wurao.demo.draws;
# 7 the credit reviews', wurao.demo.credit_build; 9 the visit codes', wurao.demo.visits_load).
STREAM_INSPECTORS, STREAM_ENTITIES, STREAM_HISTORY, STREAM_KEY = 1, 2, 3, 4
STREAM_CREDIT = 6
STREAM_VISITS = 8
# After the other parts' (draws 5, credit 7 and 12, codes 9, planning 10 and 11).
STREAM_HISTORY_BEFORE, STREAM_BURDEN = 13, 14
STREAM_PROPENSITY = 15  # each entity's compliance propensity (wurao.demo.history)


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    street: int  # index into District.streets; -1 for a street itself


@dataclass(frozen=True)
class Organisation:
    code: str
    name: str
    level: str
    is_enforcement: bool
    street: int  # index into District.streets, or -1


@dataclass
class Inspectors:
    department: np.ndarray  # index into District.organisations
    badge_no: list[str]
    name: list[str]
    expertise: list[list[str]]
    valid_until: np.ndarray  # datetime64[D]


@dataclass
class District:
    plan: Plan
    seed: int
    streets: list[Place]
    communities: list[Place]
    parks: list[Place]
    organisations: list[Organisation]
    inspectors: Inspectors
    risk_tags: tuple[tuple[str, str, str], ...]
    items: list[tuple[int, str, Item]]  # (organisation index, code, item)
    entities: Entities
    actions: Actions
    visits: Visits
    inspection_visits: InspectionVisits
    credit: CreditRecords

    def counts(self) -> dict[str, int]:
        e = self.entities
        enterprise = e.kind == 0
        year = self.actions.date.astype("datetime64[Y]").astype(int) + 1970
        in_2020 = year == data.STUDY_YEAR
        kinds = self.actions.kind[in_2020]
        before = year == data.HISTORY_YEAR_BEFORE
        kinds_before = self.actions.kind[before]
        visit_year = self.visits.date.astype("datetime64[Y]").astype(int) + 1970
        return {
            "streets": len(self.streets),
            "communities": len(self.communities),
            "parks": len(self.parks),
            "departments": sum(o.is_enforcement for o in self.organisations),
            "other_organisations": sum(not o.is_enforcement for o in self.organisations),
            "inspectors": len(self.inspectors.badge_no),
            "risk_tags": len(self.risk_tags),
            "items": len(self.items),
            "entities": len(e.kind),
            "enterprises": int(enterprise.sum()),
            "individuals": int((e.kind == 1).sum()),
            "others": int((e.kind == 2).sum()),
            "four_above": int(e.four_above.sum()),
            "above_scale": int(e.above_scale.sum()),
            "actions_2020": int(in_2020.sum()),
            "inspections_2020": int((kinds == 0).sum()),
            "penalties_2020": int((kinds == 1).sum()),
            "coercive_2020": int((kinds == 2).sum()),
            "actions_2019": int(before.sum()),
            "inspections_2019": int((kinds_before == 0).sum()),
            "penalties_2019": int((kinds_before == 1).sum()),
            "coercive_2019": int((kinds_before == 2).sum()),
            "non_enforcement_2019": int((visit_year == data.HISTORY_YEAR_BEFORE).sum()),
            "non_enforcement_2020": int((visit_year == data.STUDY_YEAR).sum()),
            "key_enterprise_actions": int((self.actions.enterprise[before] == e.key).sum()),
            "key_enterprise_other_visits": int(
                (self.visits.enterprise[visit_year == data.HISTORY_YEAR_BEFORE] == e.key).sum()
            ),
        } | self.inspection_visits.counts()


def _parse(day: str) -> np.datetime64:
    return np.datetime64(day, "D")


def working_days(year: int, start: str | None = None, end: str | None = None) -> np.ndarray:
    """The year's working days (weekdays less public holidays, plus make-up working days)."""
    first = _parse(start or f"{year}-01-01")
    last = _parse(end or f"{year}-12-31")
    days = np.arange(first, last + 1, dtype="datetime64[D]")
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday: Monday = 0
    working = weekday < 5
    for lo, hi in data.HOLIDAYS.get(year, ()):
        working &= ~((days >= _parse(lo)) & (days <= _parse(hi)))
    for day in data.MAKE_UP_WORKDAYS.get(year, ()):
        working |= days == _parse(day)
    return days[working]


def _places() -> tuple[list[Place], list[Place], list[Place]]:
    streets = [Place(code, f"{name}街道", -1) for code, name, _ in data.STREETS]
    communities, parks = [], []
    for s, (code, name, short) in enumerate(data.STREETS):
        for n, community in enumerate(data.COMMUNITIES[name], start=1):
            communities.append(Place(f"{code}{n:03d}", f"{community}社区", s))
        for n, park in enumerate(data.PARKS[name], start=1):
            parks.append(Place(f"P-{short}-{n:02d}", park, s))
    return streets, communities, parks


def _organisations(communities: list[Place]) -> list[Organisation]:
    street_index = {name: s for s, (_, name, _) in enumerate(data.STREETS)}
    orgs = [
        Organisation(o.code, o.name, o.level, o.is_enforcement, street_index.get(o.street, -1))
        for o in (*data.DEPARTMENTS, *data.NON_ENFORCEMENT_ORGS)
    ]
    counters: dict[int, int] = {}
    for community in communities:
        n = counters[community.street] = counters.get(community.street, 0) + 1
        short = data.STREETS[community.street][2]
        orgs.append(
            Organisation(
                data.community_station_code(short, n),
                f"{data.STREETS[community.street][1]}街道{community.name}工作站",
                "community",
                False,
                community.street,
            )
        )
    orgs += [
        Organisation(o.code, o.name, o.level, o.is_enforcement, street_index[o.street])
        for o in data.STREET_OFFICES
    ]
    return orgs


def _person_names(rng: np.random.Generator, n: int) -> list[str]:
    surnames = [s for s, _ in SURNAMES]
    weights = np.array([w for _, w in SURNAMES])
    given = list(dict.fromkeys(GIVEN_NAME_CHARS))
    sur = rng.choice(len(surnames), n, p=weights / weights.sum())
    two = rng.random(n) < 0.7
    g1 = rng.integers(len(given), size=n)
    g2 = rng.integers(len(given), size=n)
    return [
        surnames[s] + given[a] + (given[b] if t else "")
        for s, a, b, t in zip(sur, g1, g2, two, strict=True)
    ]


def _inspectors(rng: np.random.Generator, organisations: list[Organisation]) -> Inspectors:
    specs = {o.code: o for o in data.DEPARTMENTS}
    department, badges, expertise = [], [], []
    for d, org in enumerate(organisations):
        spec = specs.get(org.code)
        if spec is None:
            continue
        for n in range(1, spec.inspectors + 1):
            department.append(d)
            # 区划代码 + department number + sequence: unique and stable for a seed.
            badges.append(f"{data.DIVISION}{d + 1:02d}{n:04d}")
            k = int(rng.integers(1, 4))
            picks = rng.choice(len(spec.expertise), size=min(k, len(spec.expertise)), replace=False)
            expertise.append([spec.expertise[i] for i in sorted(picks)])
    n = len(badges)
    # Certificates run to 2024–2029; every officer acting in 2020 held a valid one.
    valid_until = _parse("2024-06-30") + rng.integers(0, 5 * 365, size=n)
    return Inspectors(
        np.array(department, dtype=np.int32), badges, _person_names(rng, n), expertise, valid_until
    )


def _items(organisations: list[Organisation]) -> list[tuple[int, str, Item]]:
    out = []
    for d, org in enumerate(organisations):
        if org.is_enforcement:
            out += [
                (d, item_code(org.code, n), item)
                for n, item in enumerate(items_for(org.code), start=1)
            ]
    return out


def findings_of(actions: Actions, organisations: list[Organisation]) -> Findings:
    """The study year's actions that found something, for the credit records to follow."""
    year = actions.date.astype("datetime64[Y]").astype(int) + 1970 == data.STUDY_YEAR
    found = year & ((actions.kind > 0) | (actions.finding == FINDINGS.index("problems")))
    codes = np.array([o.code for o in organisations])
    return Findings(
        enterprise=actions.enterprise[found],
        department=codes[actions.department[found]],
        date=actions.date[found],
    )


def district_generate(*, scale: float, seed: int) -> District:
    """Generate the whole demo district for `scale` (1 = the study's Longhua) and `seed`."""
    plan = plan_counts(scale)
    streets, communities, parks = _places()
    organisations = _organisations(communities)
    inspectors = _inspectors(np.random.default_rng([seed, STREAM_INSPECTORS]), organisations)
    items = _items(organisations)
    entities = entities_generate(
        np.random.default_rng([seed, STREAM_ENTITIES]),
        plan=plan,
        streets=streets,
        communities=communities,
        parks=parks,
    )
    actions, visits = history_generate(
        np.random.default_rng([seed, STREAM_HISTORY]),
        np.random.default_rng([seed, STREAM_KEY]),
        np.random.default_rng([seed, STREAM_HISTORY_BEFORE]),
        np.random.default_rng([seed, STREAM_BURDEN]),
        np.random.default_rng([seed, STREAM_PROPENSITY]),
        plan=plan,
        plan_before=plan_counts(scale * data.YEAR_BEFORE_FACTOR),
        entities=entities,
        organisations=organisations,
        inspector_department=inspectors.department,
        items=items,
        communities=communities,
        workdays_2020=working_days(data.STUDY_YEAR),
        workdays_before=working_days(data.HISTORY_YEAR_BEFORE),
        workdays_key=working_days(2019, *data.KEY_ENTERPRISE_PERIOD),
    )
    return District(
        credit=credit_generate(
            np.random.default_rng([seed, STREAM_CREDIT]),
            entities=entities,
            findings=findings_of(actions, organisations),
        ),
        plan=plan,
        seed=seed,
        streets=streets,
        communities=communities,
        parks=parks,
        organisations=organisations,
        inspectors=inspectors,
        risk_tags=RISK_TAGS,
        items=items,
        entities=entities,
        actions=actions,
        visits=visits,
        inspection_visits=inspection_visits_generate(
            np.random.default_rng([seed, STREAM_VISITS]), actions, len(organisations)
        ),
    )


def to_date(day: np.datetime64) -> date:
    return day.astype("datetime64[D]").item()
