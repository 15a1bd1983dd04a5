"""The draw engine against spec wurao-draw-v1 §1–4: the published test vector, validation,
the tie-break, uniformity and the properties every draw must have. No database."""

import hashlib
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wurao.sampling.engine import (
    Candidates,
    CandidatesError,
    DrawErrorCode,
    QuotaError,
    SeedError,
    commitment,
    draw_seed,
    keys,
    select,
    select_indices,
    snapshot_digest,
)

# The spec's test vector.
VECTOR_PAIRS = [
    ("91440300MA5F000001", "A"),
    ("91440300MA5F000002", "B"),
    ("91440300MA5F000003", "A"),
    ("91440300MA5F000004", "C"),
]
VECTOR_SERVER_SEED = bytes(range(32))
VECTOR_SEED = draw_seed("T-1", VECTOR_SERVER_SEED, "observer:42")

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
codes_strategy = st.text(alphabet=USCC_ALPHABET, min_size=18, max_size=18)


def test_snapshot_digest_matches_the_spec_vector():
    candidates = Candidates.from_pairs(VECTOR_PAIRS)

    assert (
        snapshot_digest(candidates)
        == "33ac4a68ee24fd56416c53cc7b8c84b235b25bbc247563fbd4e635ce1e969a9b"
    )


def test_snapshot_digest_is_the_sha256_of_the_lines_in_canonical_order():
    # Given labels of different lengths (the digest is built as one byte matrix)
    pairs = [("91440300MA5F000009", "高风险"), ("91440300MA5F000001", "A"), ("1" * 18, "U")]

    digest = snapshot_digest(Candidates.from_pairs(pairs))

    lines = "".join(f"{code}\t{stratum}\n" for code, stratum in sorted(pairs))
    assert digest == hashlib.sha256(lines.encode()).hexdigest()


def test_seed_and_keys_match_the_spec_vector():
    assert VECTOR_SEED.hex() == "45f288bdd64032a91ab1850e7e638d619b4895d5666ac10bcf87eb3109704fd8"
    assert keys(VECTOR_SEED, 4).tolist() == [
        9264285879711257666,
        12152568052987367174,
        5862176556289204771,
        1361336090488020213,
    ]


def test_keys_are_a_prefix_of_a_longer_stream():
    # Adding candidates must not change the keys of the first ones (one stream, counter from 0).
    assert keys(VECTOR_SEED, 1000)[:4].tolist() == keys(VECTOR_SEED, 4).tolist()
    assert keys(VECTOR_SEED, 0).tolist() == []


def test_commitment_is_the_sha256_of_the_server_seed():
    assert commitment(VECTOR_SERVER_SEED) == (
        "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd"
    )


def test_selection_matches_the_spec_vector():
    # Given the vector's candidates in another order
    candidates = Candidates.from_pairs(reversed(VECTOR_PAIRS))

    # When A 1, B 1, C 0 are drawn
    selection = select(candidates, {"A": 1, "B": 1, "C": 0}, VECTOR_SEED)

    # Then ...002 B and ...003 A are selected, in canonical order
    assert selection.selected.pairs() == [("91440300MA5F000002", "B"), ("91440300MA5F000003", "A")]
    assert selection.indices.tolist() == [1, 2]
    lines = "91440300MA5F000002\tB\n91440300MA5F000003\tA\n"
    assert selection.result_digest == hashlib.sha256(lines.encode()).hexdigest()


def test_candidates_refuse_a_repeated_credit_code():
    with pytest.raises(CandidatesError) as refused:
        Candidates.from_pairs([*VECTOR_PAIRS, ("91440300MA5F000002", "A")])

    assert refused.value.code == DrawErrorCode.CODE_DUPLICATE
    assert "91440300MA5F000002" in refused.value.message_zh
    assert "91440300MA5F000002" in refused.value.message_en


@pytest.mark.parametrize(
    "code",
    ["91440300MA5F00001", "91440300MA5F0000011", "91440300ma5f000001", "91440300MA5F00000十", ""],
)
def test_candidates_refuse_a_code_that_is_not_18_capitals_or_digits(code):
    with pytest.raises(CandidatesError) as refused:
        Candidates.from_pairs([("91440300MA5F000001", "A"), (code, "B")])

    assert refused.value.code == DrawErrorCode.CODE_INVALID
    assert "18" in refused.value.message_zh


def test_candidates_refuse_a_credit_code_read_as_a_number():
    # Spreadsheets turn all-digit codes into numbers; their digits must not pass as a code.
    with pytest.raises(CandidatesError) as refused:
        Candidates.from_arrays([914403001234567890], [0], ["A"])

    assert refused.value.code == DrawErrorCode.CODE_INVALID


@pytest.mark.parametrize("label", ["", "A\tB", "A\n"])
def test_candidates_refuse_a_stratum_label_that_would_break_the_digest_lines(label):
    with pytest.raises(CandidatesError) as refused:
        Candidates.from_pairs([("91440300MA5F000001", label)])

    assert refused.value.code == DrawErrorCode.STRATUM_INVALID


def test_candidates_from_sorted_arrays_equal_candidates_from_pairs():
    codes = np.array([code for code, _ in VECTOR_PAIRS], dtype="S18")

    from_arrays = Candidates.from_arrays(codes, np.array([0, 1, 0, 2]), ["A", "B", "C"])

    assert from_arrays.pairs() == Candidates.from_pairs(VECTOR_PAIRS).pairs()
    assert from_arrays.sizes == {"A": 2, "B": 1, "C": 1}


def test_select_refuses_a_quota_above_the_stratum_size():
    candidates = Candidates.from_pairs(VECTOR_PAIRS)

    with pytest.raises(QuotaError) as refused:
        select(candidates, {"A": 3, "B": 1, "C": 0}, VECTOR_SEED)

    assert refused.value.code == DrawErrorCode.QUOTA_OUT_OF_RANGE
    assert "A" in refused.value.message_zh and "2" in refused.value.message_zh


def test_select_refuses_a_stratum_with_candidates_but_no_quota():
    with pytest.raises(QuotaError) as refused:
        select(Candidates.from_pairs(VECTOR_PAIRS), {"A": 1, "B": 1}, VECTOR_SEED)

    assert refused.value.code == DrawErrorCode.QUOTA_MISSING
    assert refused.value.details == {"stratum": "C"}


def test_select_refuses_a_seed_that_is_not_32_bytes():
    with pytest.raises(SeedError):
        select(Candidates.from_pairs(VECTOR_PAIRS), {"A": 1, "B": 0, "C": 0}, b"short")


def test_select_from_an_empty_snapshot_selects_nothing():
    selection = select(Candidates.from_pairs([]), {"A": 0}, VECTOR_SEED)

    assert selection.selected.pairs() == []
    assert selection.result_digest == hashlib.sha256(b"").hexdigest()


@settings(max_examples=200, deadline=None)
@given(
    strata=st.lists(st.integers(0, 2), min_size=1, max_size=40),
    key_values=st.lists(st.integers(0, 3), min_size=40, max_size=40),
    data=st.data(),
)
def test_ties_on_the_key_go_to_the_smaller_credit_code(strata, key_values, data):
    # Given keys with many ties (real keys almost never tie, so force them)
    n = len(strata)
    stratum_array = np.array(strata, dtype=np.int32)
    key_array = np.array(key_values[:n], dtype=np.uint64)
    quotas = [data.draw(st.integers(0, strata.count(s)), label=f"q{s}") for s in range(3)]

    # When selecting by position
    chosen = select_indices(stratum_array, key_array, quotas)

    # Then each stratum takes its first quota by (key, position), positions being canonical
    expected = []
    for s in range(3):
        members = sorted((key_values[i], i) for i in range(n) if strata[i] == s)
        expected += [i for _, i in members[: quotas[s]]]
    assert chosen.tolist() == sorted(expected)


def _reference_selection(pairs, quotas, seed):
    """Spec §3–4 written out with Python integers."""
    ordered = sorted(pairs, key=lambda pair: pair[0].encode())
    stream = keys(seed, len(ordered)).tolist()
    chosen = []
    for label, quota in quotas.items():
        ranked = sorted(
            (stream[i], code.encode(), code, stratum)
            for i, (code, stratum) in enumerate(ordered)
            if stratum == label
        )
        chosen += [(code, stratum) for _, _, code, stratum in ranked[:quota]]
    return sorted(chosen, key=lambda pair: pair[0].encode())


@st.composite
def draws(draw):
    codes = draw(st.lists(codes_strategy, min_size=0, max_size=60, unique=True))
    pairs = [(code, draw(st.sampled_from("ABCDU"))) for code in codes]
    sizes = {label: sum(1 for _, s in pairs if s == label) for label in "ABCDU"}
    quotas = {label: draw(st.integers(0, size)) for label, size in sizes.items()}
    seed = draw_seed(draw(st.text(max_size=8)), draw(st.binary(min_size=32, max_size=32)), "e")
    return pairs, quotas, seed


@settings(max_examples=150, deadline=None)
@given(draws(), st.randoms(use_true_random=False))
def test_selection_properties(drawn, rng):
    pairs, quotas, seed = drawn

    # When the same draw is run on the candidates as given and shuffled
    selection = select(Candidates.from_pairs(pairs), quotas, seed)
    shuffled = pairs[:]
    rng.shuffle(shuffled)
    again = select(Candidates.from_pairs(shuffled), quotas, seed)

    selected = selection.selected.pairs()
    # Then each stratum gets exactly its quota, without repeats, in canonical order
    assert len(set(selected)) == len(selected) == sum(quotas.values())
    for label, quota in quotas.items():
        assert sum(1 for _, s in selected if s == label) == quota
    assert set(selected) <= set(pairs)
    assert [code for code, _ in selected] == sorted(code for code, _ in selected)
    # and the input order does not matter, the draw is reproducible and follows the spec
    assert again.selected.pairs() == selected
    assert again.result_digest == selection.result_digest
    assert selected == _reference_selection(pairs, quotas, seed)


POPULATION = [(f"91440300MA5F{i:06d}", "A") for i in range(200)]


@settings(max_examples=30, deadline=None)
@given(
    task_ids=st.lists(st.text(max_size=10), min_size=2, max_size=2, unique=True),
    server_seeds=st.lists(st.binary(min_size=32, max_size=32), min_size=2, max_size=2, unique=True),
    entropies=st.lists(st.text(max_size=10), min_size=2, max_size=2, unique=True),
)
def test_selection_changes_with_task_id_server_seed_and_external_entropy(
    task_ids, server_seeds, entropies
):
    # Given 200 candidates and a quota of 100: C(200, 100) ≈ 9·10^58 outcomes, so two
    # different seeds giving the same selection would be a defect, not chance.
    candidates = Candidates.from_pairs(POPULATION)

    def drawn(task_id, server_seed, entropy):
        seed = draw_seed(task_id, server_seed, entropy)
        return select(candidates, {"A": 100}, seed).selected.code_list()

    base = drawn(task_ids[0], server_seeds[0], entropies[0])
    assert drawn(task_ids[0], server_seeds[0], entropies[0]) == base
    assert drawn(task_ids[1], server_seeds[0], entropies[0]) != base
    assert drawn(task_ids[0], server_seeds[1], entropies[0]) != base
    assert drawn(task_ids[0], server_seeds[0], entropies[1]) != base


# Upper 0.1% points of the chi-square distribution (scipy is not installed).
CHI2_999 = {19: 43.820}


@pytest.mark.parametrize("quota", [1, 3])
def test_selection_is_uniform_within_a_stratum(quota):
    # Given a stratum of 20 beside another stratum, drawn with 3,000 different task ids
    n, draws_count = 20, 3000
    pairs = [(f"91440300MA5F{i:06d}", "A") for i in range(n)]
    pairs += [(f"91440300MA5G{i:06d}", "B") for i in range(7)]
    candidates = Candidates.from_pairs(pairs)
    counts = np.zeros(n)
    for t in range(draws_count):
        seed = draw_seed(f"chi-{t}", bytes(32), "uniform")
        chosen = select(candidates, {"A": quota, "B": 2}, seed).indices
        counts[chosen[chosen < n]] += 1

    # Then how often each enterprise is chosen fits a uniform draw: Pearson's statistic,
    # scaled for sampling without replacement ((N−1)/(N(1−p)), exact for quota 1), stays
    # below the 0.1% critical value of chi-square with N−1 degrees of freedom.
    p = quota / n
    expected = draws_count * p
    statistic = float(((counts - expected) ** 2 / expected).sum()) * (n - 1) / (n * (1 - p))
    assert counts.sum() == draws_count * quota
    assert statistic < CHI2_999[n - 1]


def test_selection_is_not_uniform_when_it_should_not_be():
    # The statistic above does notice a biased draw (here: always the smallest codes).
    n, draws_count, quota = 20, 3000, 1
    counts = np.zeros(n)
    rng = random.Random(1)
    for _ in range(draws_count):
        counts[min(rng.randrange(n), rng.randrange(n))] += 1
    expected = draws_count * quota / n
    statistic = float(((counts - expected) ** 2 / expected).sum())
    assert statistic > CHI2_999[n - 1]
