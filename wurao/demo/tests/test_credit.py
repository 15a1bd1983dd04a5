"""The demo's credit records, generated without a database: determinism, who gets what."""

import numpy as np
import pytest

from wurao.demo.credit import COMMITMENT_STATUSES, FIRST_DAY, LAST_DAY
from wurao.demo.credit_items import ALERT_SOURCES, COMMITMENT_ITEMS, KEY_ALERTS, KEY_COMMITMENTS
from wurao.demo.engine import district_generate, findings_of
from wurao.demo.entities import TAG_CODES

SCALE = 0.02


@pytest.fixture(scope="module")
def district():
    return district_generate(scale=SCALE, seed=5)


def test_the_same_seed_gives_the_same_credit_records(district):
    again = district_generate(scale=SCALE, seed=5).credit

    assert again.counts() == district.credit.counts()
    assert again.alerts.external_id == district.credit.alerts.external_id
    assert np.array_equal(
        again.commitments.decided_on, district.credit.commitments.decided_on, equal_nan=True
    )
    assert again.commitments.note == district.credit.commitments.note


def test_alerts_watch_polluters_and_hazardous_chemicals_in_the_history_years(district):
    alerts, e = district.credit.alerts, district.entities
    watched = e.tags[:, [TAG_CODES.index("discharge"), TAG_CODES.index("hazchem")]].any(axis=1)

    assert watched[alerts.enterprise].all() and (e.kind[alerts.enterprise] == 0).all()
    # each alert from a source watching one of the enterprise's tags
    for source, enterprise in zip(alerts.source.tolist(), alerts.enterprise.tolist(), strict=True):
        assert e.tags[enterprise, TAG_CODES.index(ALERT_SOURCES[source].tag)]
    assert ((alerts.date >= FIRST_DAY) & (alerts.date <= LAST_DAY)).all()
    assert set(alerts.level.tolist()) == {1, 2, 3}
    assert len(set(alerts.external_id)) == len(alerts)
    assert all(len(text) <= 300 for text in alerts.description)
    # a plausible fraction of the watched enterprises, not all of them
    share = len(np.unique(alerts.enterprise)) / (watched & (e.kind == 0)).sum()
    assert 0.3 < share < 0.7


def test_each_signer_signs_an_item_once_and_only_items_meant_for_it(district):
    c, e = district.credit.commitments, district.entities
    pairs = list(zip(c.enterprise.tolist(), c.item.tolist(), strict=True))

    assert len(set(pairs)) == len(pairs)
    for enterprise, item in pairs:
        spec = COMMITMENT_ITEMS[item]
        tagged = any(e.tags[enterprise, TAG_CODES.index(t)] for t in spec.tags)
        assert e.kind[enterprise] in spec.kinds
        assert tagged or e.section[enterprise] in spec.sections


def test_decisions_follow_signing_and_breaches_give_reasons(district):
    c = district.credit.commitments
    signed = c.status == COMMITMENT_STATUSES.index("signed")
    breached = c.status == COMMITMENT_STATUSES.index("breached")

    assert np.isnat(c.decided_on[signed]).all()
    assert (c.decided_on[~signed] > c.signed_on[~signed]).all()
    assert (c.decided_on[~signed] <= LAST_DAY).all()
    assert all(c.note[i] for i in np.flatnonzero(breached))
    assert not any(c.note[i] for i in np.flatnonzero(~breached))
    # most commitments are kept
    assert breached.sum() < 0.15 * (~signed).sum()


def test_breaches_concentrate_where_departments_found_problems(district):
    c = district.credit.commitments
    found = findings_of(district.actions, district.organisations).entities(len(district.entities))
    decided = c.status != COMMITMENT_STATUSES.index("signed")
    breached = c.status == COMMITMENT_STATUSES.index("breached")

    rate_found = breached[decided & found[c.enterprise]].mean()
    rate_rest = breached[decided & ~found[c.enterprise]].mean()

    assert rate_found > 4 * rate_rest


def test_the_key_enterprise_has_its_own_story(district):
    credit, key = district.credit, district.entities.key
    codes = [item.code for item in COMMITMENT_ITEMS]

    assert (credit.alerts.enterprise[credit.key_alerts] == key).all()
    assert [credit.alerts.description[i] for i in credit.key_alerts] == [
        text for *_, text in KEY_ALERTS
    ]
    assert (credit.commitments.enterprise[credit.key_commitments] == key).all()
    assert [codes[i] for i in credit.commitments.item[credit.key_commitments]] == [
        code for code, *_ in KEY_COMMITMENTS
    ]
