"""Inspector teams, spec wurao-draw-v1 §6: the inspectors already at the cap when a chunk of
enterprises is started are not keyed for it. The teams must still be exactly the spec's,
whatever the chunk, the prefix depth, and whether the chunks are keyed in threads ahead of
the assignment (loads read while they change) or one after the other."""

from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wurao.sampling import teams as teams_module
from wurao.sampling.engine import TeamError, draw_seed
from wurao.sampling.teams import assign_teams
from wurao.sampling.tests.test_engine_teams import reference_teams

SEED = draw_seed("T-1", bytes(range(32)), "observer:42")


@st.composite
def tight_draws(draw):
    # Few inspectors for many enterprises and many exclusions: loads reach the cap early and
    # unevenly, and caps get raised, near the end of the draw and before it.
    roster = [f"ZF{i:02d}" for i in draw(st.sets(st.integers(0, 40), min_size=1, max_size=7))]
    selected = [
        f"91440300MA5F{i:06d}" for i in sorted(draw(st.sets(st.integers(0, 999), max_size=40)))
    ]
    k = draw(st.integers(1, 3))
    exclusions = {
        code: draw(st.sets(st.sampled_from([*roster, "ZF99"]), max_size=max(1, len(roster) - k)))
        for code in selected
        if draw(st.integers(0, 9)) < 6
    }
    seed = draw_seed(draw(st.text(max_size=6)), bytes(32), "skipping")
    return selected, roster, k, exclusions, seed


@settings(max_examples=300, deadline=None)
@given(
    drawn=tight_draws(),
    depth=st.integers(1, 4),
    chunk=st.integers(1, 6),
    workers=st.sampled_from([1, 2]),
)
def test_teams_skipping_inspectors_at_the_cap_equal_the_spec_written_out(
    drawn, depth, chunk, workers
):
    selected, roster, k, exclusions, seed = drawn
    try:
        expected = reference_teams(selected, roster, k, exclusions, seed)
    except LookupError as short:
        expected = short

    # workers=2 keys these small draws in threads anyway, chunks ahead of the assignment
    with mock.patch.object(teams_module, "PARALLEL_MIN_KEYS", 0):
        if isinstance(expected, LookupError):
            with pytest.raises(TeamError) as refused:
                assign_teams(
                    selected, roster, k, exclusions, seed, workers=workers, depth=depth, chunk=chunk
                )
            assert refused.value.details == {"credit_code": expected.args[0]}
            return
        teams = assign_teams(
            selected, roster, k, exclusions, seed, workers=workers, depth=depth, chunk=chunk
        )

    assert teams == expected


def test_inspectors_at_the_cap_are_not_keyed_and_the_teams_stay_the_spec_s(monkeypatch):
    # Given 90 enterprises, 12 inspectors, teams of 2 (cap 15), chunks of 5, and one
    # enterprise that excludes all but three inspectors
    codes = [f"91440300MA5F{i:06d}" for i in range(0, 900, 10)]
    roster = [f"ZF{i:03d}" for i in range(12)]
    exclusions = {codes[80]: roster[3:]}
    keyed = []
    prefixes = teams_module._prefixes

    def recording(*args):
        keyed.append(len(args[-1]))
        return prefixes(*args)

    monkeypatch.setattr(teams_module, "_prefixes", recording)

    teams = assign_teams(codes, roster, 2, exclusions, SEED, chunk=5, depth=2)

    # Then the last chunks key fewer inspectors than the roster, and the teams are the spec's
    assert teams == reference_teams(codes, roster, 2, exclusions, SEED)
    assert len(keyed) == 18
    assert keyed[0] == 12 and min(keyed) < 12


def test_chunk_must_be_positive():
    with pytest.raises(ValueError, match="chunk"):
        assign_teams(["91440300MA5F000001"], ["ZF001"], 1, {}, SEED, chunk=0)
