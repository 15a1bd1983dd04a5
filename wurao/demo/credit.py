"""The demo's credit records for the grading (信用分级分类): monitoring alerts, awards and
credit commitments in 2019–2020, the history year. Pure NumPy, no Django import.

Every share below is the demo's assumption (the study gives none). Records follow what
departments found in 2020: alerts lead to inspections, and departments find broken
commitments at their own inspections, so bad records cluster as they do in practice. With
points table version 1 as of 2020-12-31 the scale-1 district grades A 6.8%, B 91.0%,
C 2.0%, D 0.2% (enterprises alone 10.3 / 87.1 / 2.4 / 0.25%): most entities have no record
at all in those two years, and the table grades the unknown B. The key 福城 enterprise
gets a fixed story (`credit_items.KEY_ALERTS`, `KEY_COMMITMENTS`) that its portal shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wurao.demo.credit_items import (
    ALERT_SOURCES,
    AWARDS,
    COMMITMENT_ITEMS,
    KEY_ALERTS,
    KEY_COMMITMENTS,
)
from wurao.demo.entities import TAG_CODES, Entities

FIRST_DAY, LAST_DAY = np.datetime64("2019-01-01"), np.datetime64("2020-12-31")
SPAN_DAYS = int(
    (LAST_DAY - FIRST_DAY).astype(int)
)  # two years of records, ending on the day they run to
CHRONIC_DAYS = 183  # chronic alerters' extra alerts fall in the last half year
SIGN_BEFORE_DAYS = 31  # nobody signs in the last month (a decision takes 60 days at least)

# Commitments (信用承诺, 国办发〔2019〕35号 "建立健全信用承诺制度"): which share of each kind
# of entity signed any (enterprise, individual business, cooperative) and how many items
# (1–3). About one decision in eleven finds a breach (91% kept), most at inspections.
SIGN_SHARE = (0.35, 0.08, 0.0)
SIGN_ITEMS_P = (0.45, 0.35, 0.20)
DECIDE_AFTER_DAYS = (60, 300)  # a department checks fulfilment this long after signing
# Breaches concentrate on a few signers: most keep their word (a breach in 70 decisions),
# an unreliable few break most of theirs. Enterprises found with problems or penalised in
# 2020, and chronic alerters, are likelier to be unreliable.
BREACH_P = (0.015, 0.6)
UNRELIABLE_SHARE = (0.05, 0.4)  # of signers without, with such a record
# A department finds broken commitments at its own inspections: a commitment to a
# department that later found problems at the enterprise, or penalised it, is breached
# with this probability, on the day of that finding. Enterprises with such findings had
# more often signed commitments (their permits ask for them).
BREACH_IF_FOUND = 0.7
SIGN_SHARE_IF_FOUND = 0.6
# Monitoring alerts (非现场监测预警): this share of the enterprises tagged 排污 or 危化品 had
# any in 2019–2020, each 1 + Poisson(ALERTS_MEAN_EXTRA) alerts, levels 1–3.
ALERT_SHARE = 0.50
ALERTS_MEAN_EXTRA = 3.0
# Alerts lead to inspections: enterprises found with problems or penalised in 2020 are
# this many times likelier to have had alerts, and likelier to be chronic (a further 4–12
# alerts in the second half of 2020), without / with such findings.
ALERT_WEIGHT_IF_FOUND = 4.0
CHRONIC_SHARE = (0.2, 0.7)
CHRONIC_EXTRA = (4, 13)
ALERT_LEVEL_P = (0.6, 0.3, 0.1)
# Awards (表彰奖励): this share of enterprises, larger ones likelier.
AWARD_SHARE = 0.03
SIZE_AWARD_WEIGHT = np.array([1.0, 3.0, 8.0, 15.0])

COMMITMENT_STATUSES = ("signed", "fulfilled", "breached")


@dataclass
class Alerts:
    enterprise: np.ndarray  # index into Entities
    source: np.ndarray  # index into ALERT_SOURCES
    date: np.ndarray  # datetime64[D]
    level: np.ndarray  # 1–3
    description: list[str]
    external_id: list[str]

    def __len__(self) -> int:
        return len(self.enterprise)


@dataclass
class Awards:
    enterprise: np.ndarray
    award: np.ndarray  # index into AWARDS
    date: np.ndarray
    title: list[str]

    def __len__(self) -> int:
        return len(self.enterprise)


@dataclass
class Commitments:
    enterprise: np.ndarray
    item: np.ndarray  # index into COMMITMENT_ITEMS
    signed_on: np.ndarray
    status: np.ndarray  # index into COMMITMENT_STATUSES
    decided_on: np.ndarray  # NaT while signed
    note: list[str]

    def __len__(self) -> int:
        return len(self.enterprise)


@dataclass
class CreditRecords:
    alerts: Alerts
    awards: Awards
    commitments: Commitments
    key_alerts: np.ndarray  # indices into alerts: the key enterprise's, in KEY_ALERTS order
    key_commitments: np.ndarray  # indices into commitments, in KEY_COMMITMENTS order

    def counts(self) -> dict[str, int]:
        status = self.commitments.status
        return {
            "alerts": len(self.alerts),
            "alerted_enterprises": len(np.unique(self.alerts.enterprise)),
            "awards": len(self.awards),
            "commitment_items": len(COMMITMENT_ITEMS),
            "commitments": len(self.commitments),
            **{
                f"commitments_{name}": int((status == i).sum())
                for i, name in enumerate(COMMITMENT_STATUSES)
            },
        }


def _eligible(entities: Entities, tags: tuple[str, ...], sections: str, kinds) -> np.ndarray:
    mask = np.zeros(len(entities), bool)
    if tags:
        mask |= entities.tags[:, [TAG_CODES.index(t) for t in tags]].any(axis=1)
    if sections:
        mask |= np.isin(entities.section, list(sections))
    return mask & np.isin(entities.kind, list(kinds))


def _days(rng: np.random.Generator, n: int, first=FIRST_DAY, last=LAST_DAY) -> np.ndarray:
    span = (np.asarray(last) - np.asarray(first)).astype(np.int64) + 1
    return np.asarray(first) + (rng.random(n) * span).astype(np.int64)


def _alerts(
    rng: np.random.Generator, entities: Entities, key: int, found: np.ndarray, end: np.datetime64
) -> tuple[Alerts, np.ndarray]:
    """The alerts, and the chronic alerters."""
    watched = {s.tag for s in ALERT_SOURCES}
    per_tag = {t: entities.tags[:, TAG_CODES.index(t)] & (entities.kind == 0) for t in watched}
    candidates = np.flatnonzero(np.logical_or.reduce(list(per_tag.values())))
    candidates = candidates[candidates != key]
    weight = np.where(found[candidates], ALERT_WEIGHT_IF_FOUND, 1.0)
    size = round(ALERT_SHARE * len(candidates))
    chosen = np.sort(rng.choice(candidates, size=size, replace=False, p=weight / weight.sum()))
    count = 1 + rng.poisson(ALERTS_MEAN_EXTRA, size=len(chosen))
    chronic = rng.random(len(chosen)) < np.array(CHRONIC_SHARE)[found[chosen].astype(int)]
    extra = np.where(chronic, rng.integers(*CHRONIC_EXTRA, size=len(chosen)), 0)
    enterprise = np.concatenate([np.repeat(chosen, count), np.repeat(chosen, extra)])
    # Each alert comes from one of the sources watching one of the enterprise's tags.
    fits = np.stack([per_tag[s.tag][enterprise] for s in ALERT_SOURCES], axis=1)
    pick = rng.random(fits.shape) * fits
    source = pick.argmax(axis=1)
    date = np.concatenate(
        [
            _days(rng, int(count.sum()), end - SPAN_DAYS, end),
            _days(rng, int(extra.sum()), end - CHRONIC_DAYS, end),
        ]
    )
    level = rng.choice([1, 2, 3], size=len(enterprise), p=ALERT_LEVEL_P)
    text_pick = rng.integers(0, 1 << 30, size=len(enterprise))
    figure = rng.integers(2, 13, size=len(enterprise)) * level
    # The key enterprise's alerts come last; the database orders alerts by date anyway.
    key_rows = np.array([s for s, *_ in KEY_ALERTS])
    enterprise = np.concatenate([enterprise, np.full(len(KEY_ALERTS), key)])
    source = np.concatenate([source, key_rows])
    date = np.concatenate([date, np.array([_moved(d, end) for _, d, *_ in KEY_ALERTS])])
    level = np.concatenate([level, np.array([lv for *_, lv, _ in KEY_ALERTS])])
    descriptions = []
    for s, p, x in zip(
        source[: len(figure)].tolist(), text_pick.tolist(), figure.tolist(), strict=True
    ):
        text, unit = ALERT_SOURCES[s].texts[p % len(ALERT_SOURCES[s].texts)]
        descriptions.append(text.format(x=f"{x * unit:.1f}" if unit < 1 else f"{x * unit:g}"))
    descriptions += [text for *_, text in KEY_ALERTS]
    order = np.lexsort((np.arange(len(date)), date))
    years = date.astype("datetime64[Y]").astype(int) + 1970
    serial: dict[tuple[int, int], int] = {}
    external = [""] * len(date)
    for i in order.tolist():
        k = (int(source[i]), int(years[i]))
        serial[k] = serial.get(k, 0) + 1
        external[i] = f"{ALERT_SOURCES[k[0]].prefix}-{k[1]}-{serial[k]:06d}"
    return Alerts(enterprise, source, date, level, descriptions, external), chosen[chronic]


def _awards(rng: np.random.Generator, entities: Entities, end: np.datetime64) -> Awards:
    pool = np.flatnonzero(entities.kind == 0)
    weight = SIZE_AWARD_WEIGHT[entities.size[pool]]
    chosen = rng.choice(
        pool, size=round(AWARD_SHARE * len(pool)), replace=False, p=weight / weight.sum()
    )
    fits = np.stack([_eligible(entities, a.tags, a.sections, (0,))[chosen] for a in AWARDS], axis=1)
    award = (rng.random(fits.shape) * fits).argmax(axis=1)
    keep = fits[np.arange(len(chosen)), award]
    chosen, award = chosen[keep], award[keep]
    # Awards are announced in the spring (March and April) for the year before.
    last = int(end.astype("datetime64[Y]").astype(int)) + 1970
    if end < np.datetime64(f"{last}-05-01"):
        last -= 1
    year = rng.choice([last - 1, last], size=len(chosen))
    date = np.array([np.datetime64(f"{y}-03-01") for y in year.tolist()]) + rng.integers(
        0, 60, len(chosen)
    )
    titles = [
        AWARDS[a].title.format(year=y - 1)
        for a, y in zip(award.tolist(), year.tolist(), strict=True)
    ]
    return Awards(chosen, award, date, titles)


def _found_breaches(
    findings: Findings, enterprise: np.ndarray, item: np.ndarray, signed: np.ndarray
) -> np.ndarray:
    """For each commitment, the first day after its signing on which the item's department
    found problems at the enterprise or penalised it (NaT if none)."""
    by_pair: dict[tuple[int, str], list[np.datetime64]] = {}
    for e, d, day in zip(findings.enterprise.tolist(), findings.department.tolist(),
                         findings.date, strict=True):  # fmt: skip
        by_pair.setdefault((e, d), []).append(day)
    first = np.full(len(enterprise), np.datetime64("NaT"), dtype="datetime64[D]")
    departments = [c.department for c in COMMITMENT_ITEMS]
    for i, (e, k) in enumerate(zip(enterprise.tolist(), item.tolist(), strict=True)):
        days = by_pair.get((e, departments[k]))
        if days:
            later = [day for day in days if day > signed[i]]
            if later:
                first[i] = min(later)
    return first


def _commitments(
    rng: np.random.Generator,
    entities: Entities,
    key: int,
    problems: np.ndarray,
    findings: Findings,
    end: np.datetime64,
) -> Commitments:
    fits = np.stack(
        [_eligible(entities, c.tags, c.sections, c.kinds) for c in COMMITMENT_ITEMS], axis=1
    )
    share = np.where(problems, SIGN_SHARE_IF_FOUND, np.array(SIGN_SHARE)[entities.kind])
    signs = (rng.random(len(entities)) < share) & fits.any(axis=1)
    signs[key] = False
    signers = np.flatnonzero(signs)
    wanted = rng.choice([1, 2, 3], size=len(signers), p=SIGN_ITEMS_P)
    # Distinct items per signer: the `wanted` eligible items with the smallest random keys.
    keys = np.where(fits[signers], rng.random((len(signers), len(COMMITMENT_ITEMS))), np.inf)
    ranked = np.argsort(keys, axis=1)
    rows, items = [], []
    for j in range(3):
        take = (wanted > j) & np.isfinite(keys[np.arange(len(signers)), ranked[:, j]])
        rows.append(signers[take])
        items.append(ranked[take, j])
    enterprise, item = np.concatenate(rows), np.concatenate(items)
    order = np.lexsort((item, enterprise))
    enterprise, item = enterprise[order], item[order]
    n = len(enterprise)
    signed = _days(rng, n, end - SPAN_DAYS, end - SIGN_BEFORE_DAYS)
    decided = signed + rng.integers(*DECIDE_AFTER_DAYS, size=n)
    open_ = decided > end
    unreliable = rng.random(len(entities)) < np.array(UNRELIABLE_SHARE)[problems.astype(int)]
    breach_p = np.array(BREACH_P)[unreliable[enterprise].astype(int)]
    status = np.where(open_, 0, np.where(rng.random(n) < breach_p, 2, 1)).astype(np.int8)
    decided = np.where(open_, np.datetime64("NaT"), decided)
    caught = _found_breaches(findings, enterprise, item, signed)
    caught_here = ~np.isnat(caught) & (rng.random(n) < BREACH_IF_FOUND)
    status[caught_here] = 2
    decided[caught_here] = caught[caught_here]
    reason_pick = rng.integers(0, 1 << 30, size=n)
    notes = [""] * n
    for i in np.flatnonzero(status == 2).tolist():
        breaches = COMMITMENT_ITEMS[item[i]].breaches
        month = str(decided[i].astype("datetime64[M]"))
        notes[i] = breaches[reason_pick[i] % len(breaches)].format(
            month=f"{month[:4]}年{int(month[5:])}月"
        )
    codes = [c.code for c in COMMITMENT_ITEMS]
    key_item = np.array([codes.index(code) for code, *_ in KEY_COMMITMENTS])
    nat = np.datetime64("NaT")
    return Commitments(
        enterprise=np.concatenate([enterprise, np.full(len(KEY_COMMITMENTS), key)]),
        item=np.concatenate([item, key_item]),
        signed_on=np.concatenate([signed, [_moved(s, end) for _, s, *_ in KEY_COMMITMENTS]]),
        status=np.concatenate(
            [status, [COMMITMENT_STATUSES.index(s) for _, _, s, *_ in KEY_COMMITMENTS]]
        ).astype(np.int8),
        decided_on=np.concatenate(
            [decided, [_moved(d, end) if d else nat for *_, d, _ in KEY_COMMITMENTS]]
        ),
        note=notes + [_month_named(note, d, end) for *_, d, note in KEY_COMMITMENTS],
    )


@dataclass
class Findings:
    """2020 actions that found something: inspections with problems, penalties and coercive
    measures, as (entity index, department code, date)."""

    enterprise: np.ndarray
    department: np.ndarray  # department codes
    date: np.ndarray

    def moved(self, days: int) -> Findings:
        """The same findings `days` later: the demo's assumption that who was found wanting
        in 2020 stays likelier to be (the records for a later window follow them)."""
        return Findings(self.enterprise, self.department, self.date + np.timedelta64(days, "D"))

    def entities(self, n: int) -> np.ndarray:
        mask = np.zeros(n, bool)
        mask[self.enterprise] = True
        return mask


def _moved(day: str, end: np.datetime64) -> np.datetime64:
    """A date of the key enterprise's story (told for 2019–2020), in the window ending `end`."""
    return np.datetime64(day) + (end - LAST_DAY)


def _month_named(note: str, day: str, end: np.datetime64) -> str:
    if not day:
        return note
    month = str(_moved(day, end).astype("datetime64[M]"))
    return note.format(month=f"{month[:4]}年{int(month[5:])}月")


def credit_generate(
    rng: np.random.Generator,
    *,
    entities: Entities,
    findings: Findings,
    end: np.datetime64 = LAST_DAY,
) -> CreditRecords:
    """Alerts, awards and commitments for the district over the two years up to `end`,
    correlated with what departments found (`findings`): alerts lead to inspections, and a
    department finds broken commitments at its own inspections."""
    key = entities.key
    found = findings.entities(len(entities))
    alerts, chronic = _alerts(rng, entities, key, found, end)
    awards = _awards(rng, entities, end)
    bad = found.copy()
    bad[chronic] = True
    commitments = _commitments(rng, entities, key, bad, findings, end)
    return CreditRecords(
        alerts=alerts,
        awards=awards,
        commitments=commitments,
        key_alerts=np.arange(len(alerts) - len(KEY_ALERTS), len(alerts)),
        key_commitments=np.arange(len(commitments) - len(KEY_COMMITMENTS), len(commitments)),
    )
