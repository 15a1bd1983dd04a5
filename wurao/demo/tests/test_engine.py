"""The pure generator, without a database: determinism, codes, citations, calendar."""

from collections import defaultdict
from datetime import date

import numpy as np
import pytest

from wurao.common.credit_code import credit_code_normalise
from wurao.demo import data
from wurao.demo.allocation import plan_counts
from wurao.demo.engine import district_generate, working_days
from wurao.demo.history import ORIGIN_CODES

SCALE = 0.01


@pytest.fixture(scope="module")
def district():
    return district_generate(scale=SCALE, seed=7)


def test_same_seed_gives_the_same_district(district):
    # when the same scale and seed are generated again
    again = district_generate(scale=SCALE, seed=7)

    # then codes, names, counts and the history are identical
    assert again.entities.credit_code == district.entities.credit_code
    assert again.entities.name == district.entities.name
    assert again.counts() == district.counts()
    assert np.array_equal(again.actions.enterprise, district.actions.enterprise)
    assert np.array_equal(again.actions.date, district.actions.date)


def test_another_seed_gives_another_district_with_the_same_counts(district):
    other = district_generate(scale=SCALE, seed=8)

    assert other.entities.credit_code != district.entities.credit_code
    assert other.counts() == district.counts()


def test_credit_codes_are_valid_unique_and_say_kind_and_district(district):
    codes = district.entities.credit_code
    prefixes = {0: "91440309", 1: "92440309", 2: "93440309"}

    assert len(set(codes)) == len(codes)
    for code, kind in zip(codes, district.entities.kind.tolist(), strict=True):
        assert credit_code_normalise(code) == code
        assert code.startswith(prefixes[kind])


def test_the_plan_is_what_gets_generated(district):
    counts = district.counts()
    plan = district.plan

    assert counts["entities"] == plan.entities and counts["enterprises"] == plan.enterprises
    assert counts["four_above"] == plan.four_above and counts["above_scale"] == plan.above_scale
    assert (counts["inspections_2020"], counts["penalties_2020"], counts["coercive_2020"]) == tuple(
        plan.by_kind.values()
    )
    # 规上工业 are manufacturers
    e = district.entities
    assert set(e.section[e.above_scale].tolist()) == {"C"}
    assert not (e.above_scale & ~e.four_above).any()


def test_each_action_cites_items_and_officers_of_its_own_department(district):
    a = district.actions
    item_department = np.array([d for d, _, _ in district.items])
    officer_department = district.inspectors.department

    assert (item_department[a.items[:, 1]] == a.department[a.items[:, 0]]).all()
    assert (officer_department[a.officers[:, 1]] == a.department[a.officers[:, 0]]).all()
    items_per_action = np.bincount(a.items[:, 0], minlength=len(a))
    officers_per_action = np.bincount(a.officers[:, 0], minlength=len(a))
    assert items_per_action.min() >= 1 and items_per_action.max() <= 3
    assert officers_per_action.min() >= 1 and officers_per_action.max() <= 2
    assert len({tuple(p) for p in a.items[:, :2].tolist()}) == len(a.items)


def test_joint_references_are_shared_only_by_a_joint_random_visit(district):
    a = district.actions
    groups = defaultdict(list)
    for i, ref in enumerate(a.joint_ref):
        if ref:
            groups[ref].append(i)

    in_2020 = [ref for ref in groups if ref.startswith("LHJ-2020-")]
    assert len(in_2020) == district.plan.joint_random_visits
    assert len(groups) > len(in_2020)  # 2019 has its joint visits too
    for rows in groups.values():
        assert len({int(a.department[i]) for i in rows}) >= 2
        assert len({int(a.enterprise[i]) for i in rows}) == 1
        assert len({a.date[i] for i in rows}) == 1
        assert all(ORIGIN_CODES[a.origin[i]] == "random_draw" and a.kind[i] == 0 for i in rows)


def test_actions_of_2020_fall_on_working_days(district):
    a = district.actions
    in_2020 = a.date.astype("datetime64[Y]").astype(int) + 1970 == 2020

    assert np.isin(a.date[in_2020], working_days(2020)).all()


def test_key_enterprise_has_75_visits_in_january_to_october_2019(district):
    a, v, key = district.actions, district.visits, district.entities.key
    on_key_2019 = (a.enterprise == key) & (a.date < np.datetime64("2020-01-01"))
    visits_2019 = (v.enterprise == key) & (v.date < np.datetime64("2020-01-01"))

    # its whole 2019 is the study's story: nothing else of the year's falls on it
    assert on_key_2019.sum() == 45
    assert visits_2019.sum() == 30
    dates = np.concatenate([a.date[on_key_2019], v.date[visits_2019]])
    assert dates.min() >= np.datetime64("2019-01-01") and dates.max() <= np.datetime64("2019-10-31")
    assert len(set(a.department[on_key_2019].tolist())) >= 5
    assert district.entities.name[key] == data.KEY_ENTERPRISE_NAME


def test_working_days_follow_the_2020_holiday_notice():
    days = set(working_days(2020).astype("datetime64[D]").tolist())

    assert date(2020, 1, 19) in days  # Sunday, worked before the Spring Festival
    assert date(2020, 1, 31) not in days  # Spring Festival, extended to 2 February
    assert date(2020, 2, 3) in days
    assert date(2020, 10, 8) not in days and date(2020, 10, 10) in days
    assert date(2020, 5, 9) in days and date(2020, 5, 4) not in days


def _year(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[Y]").astype(int) + 1970


def test_2019_is_a_full_year_of_every_department(district):
    # given the generated history
    a = district.actions
    in_2019 = _year(a.date) == 2019
    before = plan_counts(SCALE * data.YEAR_BEFORE_FACTOR)

    # then 2019 holds the year-before plan's actions plus the key enterprise's 45, on
    # working days from January to December, by every department
    assert in_2019.sum() == before.total + 45
    assert np.isin(a.date[in_2019], working_days(2019)).all()
    months = set(a.date[in_2019].astype("datetime64[M]").astype(int) % 12 + 1)
    assert months == set(range(1, 13))
    codes = [o.code for o in district.organisations]
    departments = {codes[d] for d in a.department[in_2019].tolist()}
    assert departments == {o.code for o in data.DEPARTMENTS}
    kinds = np.bincount(a.kind[in_2019], minlength=3)
    assert kinds.tolist() == [
        before.by_kind["inspection"] + 45,
        before.by_kind["penalty"],
        before.by_kind["coercive"],
    ]


def test_non_enforcement_visits_fall_mostly_on_key_enterprises(district):
    # given both years' non-enforcement visits
    v, e = district.visits, district.entities
    codes = [district.organisations[o].code for o in v.organisation.tolist()]
    four_above = int((e.four_above & (e.kind == 0)).sum())
    service = [c == "research" and p in data.NON_ENFORCEMENT_SERVICE[2] for c, p in
               zip(v.category, v.purpose, strict=True)]  # fmt: skip

    for year in (2019, 2020):
        in_year = _year(v.date) == year
        key_in_year = 1 if year == 2019 and e.four_above[e.key] else 0
        # then there are the assumed number: the service officers' quarterly calls at every
        # 四上 enterprise (the key enterprise's 2019 is the study's 30), the other
        # organisations' visits and those at other enterprises
        expected = (
            data.NON_ENFORCEMENT_SERVICE_PER_YEAR * (four_above - key_in_year)
            + round(data.NON_ENFORCEMENT_PER_FOUR_ABOVE * four_above)
            + round(data.NON_ENFORCEMENT_OTHER_ENTERPRISES[year] * SCALE)
            + (30 if year == 2019 else 0)
        )
        assert in_year.sum() == expected
        # most at the 四上 enterprises, never at an individual business
        assert e.four_above[v.enterprise[in_year]].mean() >= 0.8
        assert (e.kind[v.enterprise[in_year]] == 0).all()
        # every 四上 enterprise (but the key enterprise in 2019) has its service officer's
        # call in each quarter
        calls = np.flatnonzero(in_year & np.array(service))
        quarter = (v.date[calls].astype("datetime64[M]").astype(np.int64) % 12) // 3
        pairs = set(zip(v.enterprise[calls].tolist(), quarter.tolist(), strict=True))
        assert len(pairs) == len(calls) == 4 * (four_above - key_in_year)
    # by the organisations that make them, for the purposes the study names
    assert set(v.category) == {"union", "women", "party", "community", "research", "policy"}
    assert any(c.startswith("JD-") for c in codes) and any(c.startswith("SQ-") for c in codes)
    by_organisation = dict(zip(codes, v.category, strict=True))
    assert by_organisation.get("ZGH") == "union" and by_organisation.get("FL") == "women"


def test_campaign_inspections_run_in_the_campaign_months(district):
    # given the campaign inspections of both years, by month
    a = district.actions
    campaign = (a.kind == 0) & (a.origin == ORIGIN_CODES.index("campaign"))
    month = a.date[campaign].astype("datetime64[M]").astype(np.int64) % 12 + 1
    per_month = np.bincount(month, minlength=13)[1:]

    # then the safety months (January, June, December) hold more than the quiet ones
    assert per_month[[0, 5, 11]].min() > per_month[[3, 6, 7, 9]].max()


def test_inspections_find_problems_more_often_where_the_risk_is(district):
    a, e = district.actions, district.entities
    inspection = a.kind == 0
    tags = e.tags[a.enterprise].sum(axis=1)
    problems = a.finding == 2

    assert set(a.finding[inspection].tolist()) == {1, 2}
    assert (a.finding[~inspection] == 0).all()
    assert 0.25 <= problems[inspection].mean() <= 0.45
    assert problems[inspection & (tags >= 2)].mean() > problems[inspection & (tags == 0)].mean()


def test_penalties_mostly_follow_an_inspection_that_found_a_problem(district):
    # given each department's penalties and the enterprises where it found problems
    a = district.actions
    found = {
        (int(d), int(x))
        for d, x in zip(a.department[a.finding == 2], a.enterprise[a.finding == 2], strict=True)
    }
    penalties = np.flatnonzero(a.kind == 1)
    after_problems = [(int(a.department[i]), int(a.enterprise[i])) in found for i in penalties]

    assert np.mean(after_problems) >= 0.7


def _problems_2020_by_2019(district) -> tuple[float, float, float]:
    """The share of 2020's inspections that found a problem, at enterprises found with
    problems in 2019, at those inspected in 2019 and always clean, and at the others."""
    a, n = district.actions, len(district.entities)
    inspection, problems, year = a.kind == 0, a.finding == 2, _year(a.date)
    before = inspection & (year == 2019)
    inspected = np.bincount(a.enterprise[before], minlength=n) > 0
    found = np.bincount(a.enterprise[before & problems], minlength=n) > 0
    now = inspection & (year == 2020)
    enterprise, problem = a.enterprise[now], problems[now]
    return (
        problem[found[enterprise]].mean(),
        problem[inspected[enterprise] & ~found[enterprise]].mean(),
        problem[~inspected[enterprise]].mean(),
    )


def test_findings_follow_the_enterprise_history():
    # given a district large enough for the shares to settle
    district = district_generate(scale=0.1, seed=7)

    # when 2020's inspections are grouped by what the enterprise's 2019 inspections found
    after_problems, after_clean, not_inspected = _problems_2020_by_2019(district)

    # then an enterprise found with problems in 2019 is found with problems again clearly
    # more often than one inspected clean (each entity's propensity lasts)
    assert 1.5 <= after_problems / after_clean <= 2.5
    assert after_clean < not_inspected < after_problems


def test_the_propensity_changes_who_finds_problems_and_nothing_else(monkeypatch):
    # given the district of a seed, and the same district without the propensity's spread
    district = district_generate(scale=SCALE, seed=7)
    monkeypatch.setattr(data, "PROPENSITY_SIGMA", 0.0)
    flat = district_generate(scale=SCALE, seed=7)

    # then names, codes, counts and every inspection's enterprise, department and date are
    # the same; only findings (and so the penalties' enterprises and days) move
    assert flat.entities.credit_code == district.entities.credit_code
    assert flat.entities.name == district.entities.name
    assert flat.counts() == district.counts()

    def inspections(d):
        a = d.actions
        rows = np.stack([a.enterprise, a.department, a.date.astype(np.int64), a.origin], axis=1)
        rows = rows[a.kind == 0]
        return rows[np.lexsort(rows.T[::-1])]

    assert np.array_equal(inspections(flat), inspections(district))
    assert not np.array_equal(flat.actions.finding, district.actions.finding)


def test_visits_pile_up_on_the_key_enterprises(district):
    # given each enterprise's contacts in 2020 (actions and non-enforcement visits)
    a, v, e = district.actions, district.visits, district.entities
    contacts = np.bincount(a.enterprise[_year(a.date) == 2020], minlength=len(e)) + np.bincount(
        v.enterprise[_year(v.date) == 2020], minlength=len(e)
    )
    others = (e.kind == 0) & ~e.four_above

    # then the 四上 enterprises see many times more than other enterprises, some of them dozens
    assert contacts[e.four_above].mean() >= 5 * contacts[others].mean()
    assert contacts[e.four_above].max() >= 24
