"""Inspector teams, spec wurao-draw-v1 §6: the vector, the spec written out naively as the
reference for the fast implementation, and refusals naming the enterprise."""

import hmac
from math import ceil

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wurao.sampling import teams as teams_module
from wurao.sampling.engine import DrawErrorCode, SeedError, TeamError, draw_seed
from wurao.sampling.teams import TeamKeys, assign_teams, ranking_prefix

VECTOR_SEED = draw_seed("T-1", bytes(range(32)), "observer:42")
E1, E2 = "91440300MA5F000001", "91440300MA5F000002"


def reference_team_key(seed, code, badge):
    mac = hmac.new(seed, b"team\0" + code.encode() + b"\0" + badge.encode(), "sha256")
    return int.from_bytes(mac.digest()[:8], "big")


def reference_teams(selected, roster, k, exclusions, seed):
    """Spec §6 word for word: rank everyone not excluded, raise the cap one at a time."""
    if not selected:
        return {}
    cap = ceil(k * len(selected) / len(roster))
    load = dict.fromkeys(roster, 0)
    teams = {}
    for code in selected:
        excluded = set(exclusions.get(code, ()))
        ranked = sorted(
            (reference_team_key(seed, code, badge), badge)
            for badge in roster
            if badge not in excluded
        )
        if len(ranked) < k:
            raise LookupError(code)
        own_cap = cap
        while len(team := [b for _, b in ranked if load[b] < own_cap][:k]) < k:
            own_cap += 1
        for badge in team:
            load[badge] += 1
        teams[code] = team
    return teams


def test_teams_match_the_spec_vector():
    teams = assign_teams([E1, E2], ["ZF001", "ZF002", "ZF003"], 2, {E1: {"ZF003"}}, VECTOR_SEED)

    assert teams == {E1: ["ZF001", "ZF002"], E2: ["ZF001", "ZF003"]}


def test_team_keys_are_the_first_8_bytes_of_hmac_sha256():
    badges = ["ZF001", "ZF002", "执法-07", "X" * 80]

    computed = TeamKeys(VECTOR_SEED).keys(E1.encode(), [b.encode() for b in badges])

    assert computed.tolist() == [reference_team_key(VECTOR_SEED, E1, b) for b in badges]


def test_team_lists_badges_in_ranked_order_not_roster_order():
    # Given the roster in reverse order: the ranking, not the roster, orders the team
    roster = ["ZF003", "ZF002", "ZF001"]

    teams = assign_teams([E1, E2], roster, 2, {E1: ["ZF003"]}, VECTOR_SEED)

    assert teams == {E1: ["ZF001", "ZF002"], E2: ["ZF001", "ZF003"]}


def test_cap_spreads_the_load_over_the_roster():
    # Given 300 enterprises, 30 inspectors, teams of 2: cap = ceil(600 / 30) = 20
    codes = [f"91440300MA5F{i:06d}" for i in range(300)]
    roster = [f"ZF{i:03d}" for i in range(30)]

    teams = assign_teams(codes, roster, 2, {}, VECTOR_SEED, depth=3)

    # Then nobody goes past the cap except where the last enterprises' caps were raised,
    # exactly as the spec's procedure does it
    assert teams == reference_teams(codes, roster, 2, {}, VECTOR_SEED)
    loads = dict.fromkeys(roster, 0)
    for team in teams.values():
        assert len(set(team)) == 2
        for badge in team:
            loads[badge] += 1
    assert sum(loads.values()) == 600
    assert sum(1 for load in loads.values() if load > 20) <= 2
    assert min(loads.values()) >= 17


def test_too_few_eligible_inspectors_is_refused_naming_the_enterprise():
    # Given ...002 with two of the three inspectors excluded and teams of two
    exclusions = {E2: ["ZF001", "ZF003", "ZF999"]}

    with pytest.raises(TeamError) as refused:
        assign_teams([E1, E2], ["ZF001", "ZF002", "ZF003"], 2, exclusions, VECTOR_SEED)

    assert refused.value.code == DrawErrorCode.TOO_FEW_INSPECTORS
    assert E2 in refused.value.message_zh and E2 in refused.value.message_en
    assert refused.value.details == {"credit_code": E2}


def test_an_empty_roster_is_refused_unless_nothing_was_selected():
    assert assign_teams([], [], 2, {}, VECTOR_SEED) == {}
    with pytest.raises(TeamError) as refused:
        assign_teams([E1], [], 2, {}, VECTOR_SEED)

    assert refused.value.code == DrawErrorCode.ROSTER_EMPTY


@pytest.mark.parametrize(
    ("selected", "roster", "k", "code"),
    [
        ([E2, E1], ["ZF001", "ZF002"], 1, DrawErrorCode.SELECTED_NOT_CANONICAL),
        ([E1, E1], ["ZF001", "ZF002"], 1, DrawErrorCode.SELECTED_NOT_CANONICAL),
        ([E1], ["ZF001", "ZF001"], 1, DrawErrorCode.ROSTER_DUPLICATE),
        ([E1], ["ZF001", ""], 1, DrawErrorCode.BADGE_INVALID),
        ([E1], ["ZF001", "ZF002"], 0, DrawErrorCode.TEAM_SIZE_INVALID),
    ],
)
def test_bad_team_inputs_are_refused(selected, roster, k, code):
    with pytest.raises(TeamError) as refused:
        assign_teams(selected, roster, k, {}, VECTOR_SEED)

    assert refused.value.code == code


def test_exclusions_given_as_a_string_are_refused_rather_than_read_letter_by_letter():
    with pytest.raises(TeamError) as refused:
        assign_teams([E1], ["ZF001", "ZF002"], 1, {E1: "ZF001"}, VECTOR_SEED)

    assert refused.value.code == DrawErrorCode.BADGE_INVALID


def test_team_seed_must_be_32_bytes():
    with pytest.raises(SeedError):
        assign_teams([E1], ["ZF001"], 1, {}, b"\0" * 31)


@settings(max_examples=300, deadline=None)
@given(
    key_values=st.lists(st.integers(0, 4), min_size=1, max_size=30),
    data=st.data(),
)
def test_ranking_prefix_is_the_start_of_the_full_ranking_with_ties_by_badge(key_values, data):
    keys = np.array(key_values, dtype=np.uint64)
    members = np.array(
        sorted(data.draw(st.sets(st.integers(0, len(key_values) - 1), min_size=1))),
        dtype=np.intp,
    )
    depth = data.draw(st.integers(1, 8))

    prefix = ranking_prefix(keys, members, depth).tolist()

    ranking = sorted(members.tolist(), key=lambda m: (key_values[m], m))
    assert prefix == ranking[: len(prefix)]
    assert len(prefix) >= min(depth, len(ranking))
    if len(prefix) < len(ranking):
        assert key_values[ranking[len(prefix)]] > key_values[prefix[-1]]


BADGES = ["ZF001", "ZF002", "ZF010", "ZF1", "A7", "执法01", "执法02", "Ω9", "zf003", "ZF004"]


@st.composite
def team_draws(draw):
    roster = draw(st.lists(st.sampled_from(BADGES), min_size=1, max_size=len(BADGES), unique=True))
    codes = sorted(draw(st.sets(st.integers(0, 999), max_size=25)))
    selected = [f"91440300MA5F{i:06d}" for i in codes]
    k = draw(st.integers(1, 4))
    exclusions = {
        code: draw(st.sets(st.sampled_from([*BADGES, "ZF999"]), max_size=4))
        for code in selected
        if draw(st.booleans())
    }
    seed = draw_seed(draw(st.text(max_size=6)), bytes(32), "teams")
    return selected, roster, k, exclusions, seed


@settings(max_examples=300, deadline=None)
@given(team_draws(), st.integers(1, 4))
def test_teams_equal_the_spec_written_out(drawn, depth):
    # Small rosters, uneven exclusions and tiny prefixes force cap raises and the fallback
    # beyond the prefix; the result must still be exactly the spec's.
    selected, roster, k, exclusions, seed = drawn
    try:
        expected = reference_teams(selected, roster, k, exclusions, seed)
    except LookupError as short:
        with pytest.raises(TeamError) as refused:
            assign_teams(selected, roster, k, exclusions, seed, depth=depth)
        assert refused.value.details == {"credit_code": short.args[0]}
        return

    teams = assign_teams(selected, roster, k, exclusions, seed, depth=depth)

    assert teams == expected
    assert list(teams) == selected
    for code, team in teams.items():
        assert len(set(team)) == k
        assert not set(team) & set(exclusions.get(code, ()))


def test_teams_computed_in_worker_processes_are_the_same(monkeypatch):
    # Given a draw small enough to test, but made to go to worker processes anyway
    monkeypatch.setattr(teams_module, "PARALLEL_MIN_KEYS", 0)
    codes = [f"91440300MA5F{i:06d}" for i in range(0, 400, 3)]
    roster = [f"ZF{i:03d}" for i in range(40)]
    exclusions = {codes[5]: [f"ZF{i:03d}" for i in range(30)]}

    in_process = assign_teams(codes, roster, 3, exclusions, VECTOR_SEED)
    in_workers = assign_teams(codes, roster, 3, exclusions, VECTOR_SEED, workers=2)

    assert in_workers == in_process == reference_teams(codes, roster, 3, exclusions, VECTOR_SEED)
