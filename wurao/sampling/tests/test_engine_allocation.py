"""Quotas from a total and weights, spec wurao-draw-v1 §5: the vector, exactness, refusals."""

from decimal import Decimal
from fractions import Fraction
from math import floor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wurao.sampling.allocation import StratumSpec, allocate, real_quotas, weight_exact
from wurao.sampling.engine import DrawErrorCode, QuotaError


def test_allocation_matches_the_spec_vector_with_tie_on_fraction_broken_by_weight():
    # A and B both have fractional part 0.90625; B's higher weight wins the extra one.
    strata = [
        StratumSpec("A", 100, "0.5"),
        StratumSpec("B", 50, "1"),
        StratumSpec("C", 10, "2"),
        StratumSpec("D", 2, "4"),
    ]

    assert allocate(strata, 10) == {"A": 4, "B": 4, "C": 1, "D": 1}


def test_allocation_matches_the_spec_vector_with_a_zero_weight():
    strata = [StratumSpec("A", 3, "1"), StratumSpec("B", 3, "0"), StratumSpec("C", 100, "1")]

    assert allocate(strata, 20) == {"A": 1, "B": 0, "C": 19}


def test_allocation_saturates_small_high_weight_strata_and_refills_the_others():
    # Given D so small and heavy that λ·w ≥ 1: it is drawn in full, the rest share the remainder
    strata = [StratumSpec("A", 1000, "1"), StratumSpec("D", 5, "100"), StratumSpec("U", 0, "1")]

    quotas = allocate(strata, 105)

    assert quotas == {"A": 100, "D": 5, "U": 0}
    assert real_quotas(strata, 105) == {"A": Fraction(100), "D": Fraction(5), "U": Fraction(0)}


def test_allocation_of_the_whole_capacity_takes_every_eligible_candidate():
    strata = [StratumSpec("A", 7, "0.1"), StratumSpec("B", 3, "3"), StratumSpec("C", 4, "0")]

    assert allocate(strata, 10) == {"A": 7, "B": 3, "C": 0}


def test_allocation_ties_on_fraction_and_weight_go_to_the_listed_order():
    strata = [StratumSpec("B", 10, "1"), StratumSpec("A", 10, "1")]

    assert allocate(strata, 1) == {"B": 1, "A": 0}


def test_weights_are_read_exactly_from_decimal_strings_and_decimals():
    assert weight_exact("0.1") == Fraction(1, 10)
    assert weight_exact(Decimal("0.30")) == Fraction(3, 10)
    assert weight_exact("2") == 2


@pytest.mark.parametrize("weight", ["-1", "1/3", "1e3", " 1", "abc", "", Decimal("NaN"), 0.5])
def test_allocation_refuses_a_weight_that_is_not_a_plain_decimal(weight):
    with pytest.raises(QuotaError) as refused:
        allocate([StratumSpec("A", 3, weight)], 1)

    assert refused.value.code == DrawErrorCode.WEIGHT_INVALID


def test_allocation_refuses_a_total_above_capacity_with_the_capacity():
    # Given 3 + 2 candidates in strata with a weight, and 9 in a stratum of weight 0
    strata = [StratumSpec("A", 3, "1"), StratumSpec("B", 2, "2"), StratumSpec("C", 9, "0")]

    with pytest.raises(QuotaError) as refused:
        allocate(strata, 6)

    assert refused.value.code == DrawErrorCode.TOTAL_ABOVE_CAPACITY
    assert "6" in refused.value.message_zh and "5" in refused.value.message_zh
    assert "exceeds the 5 candidates" in refused.value.message_en
    assert refused.value.details == {"total": 6, "capacity": 5}


def test_allocation_refuses_a_negative_total():
    with pytest.raises(QuotaError) as refused:
        allocate([StratumSpec("A", 3, "1")], -1)

    assert refused.value.code == DrawErrorCode.TOTAL_INVALID


@pytest.mark.parametrize(
    "strata",
    [[], [StratumSpec("A", 0, "1")], [StratumSpec("A", 5, "0")]],
    ids=["no strata", "empty stratum", "zero weight"],
)
def test_allocation_refuses_a_total_when_no_stratum_is_eligible(strata):
    with pytest.raises(QuotaError) as refused:
        allocate(strata, 1)

    assert refused.value.code == DrawErrorCode.NO_ELIGIBLE_STRATUM
    assert "没有" in refused.value.message_zh


def test_allocation_of_zero_with_no_eligible_stratum_is_all_zero():
    # T = 0 is within 0 … Σ eligible N_s = 0, so the spec allows it.
    assert allocate([StratumSpec("A", 0, "1"), StratumSpec("B", 4, "0")], 0) == {"A": 0, "B": 0}


def test_allocation_refuses_a_stratum_listed_twice():
    with pytest.raises(QuotaError) as refused:
        allocate([StratumSpec("A", 1, "1"), StratumSpec("A", 2, "1")], 1)

    assert refused.value.code == DrawErrorCode.STRATUM_DUPLICATE


WEIGHTS = ["0", "0.1", "0.5", "1", "1.25", "2", "3.3", "4", "10"]


@st.composite
def allocations(draw):
    sizes = draw(st.lists(st.integers(0, 60), min_size=1, max_size=6))
    strata = [
        StratumSpec(label, size, draw(st.sampled_from(WEIGHTS)))
        for label, size in zip("ABCDUX", sizes, strict=False)
    ]
    capacity = sum(s.size for s in strata if s.size and Fraction(s.weight))
    return strata, draw(st.integers(0, capacity))


@settings(max_examples=400, deadline=None)
@given(allocations())
def test_allocation_properties(drawn):
    strata, total = drawn

    quotas = allocate(strata, total)
    real = real_quotas(strata, total)

    # Quotas add up to the total, stay within 0 … N_s, and skip the ineligible strata
    assert list(quotas) == [s.label for s in strata]
    assert sum(quotas.values()) == total
    assert sum(real.values()) == total
    for s in strata:
        assert 0 <= quotas[s.label] <= s.size
        assert quotas[s.label] in (floor(real[s.label]), floor(real[s.label]) + 1)
        if s.size == 0 or Fraction(s.weight) == 0:
            assert quotas[s.label] == 0
    # Water-filling: the strata not drawn in full share one level λ, q_s = λ·w_s·N_s < N_s,
    # and every stratum drawn in full would have reached it (λ·w_s ≥ 1)
    partial = [s for s in strata if s.size and Fraction(s.weight) and real[s.label] < s.size]
    levels = {real[s.label] / (Fraction(s.weight) * s.size) for s in partial}
    assert len(levels) <= 1
    for level in levels:
        for s in strata:
            if s.size and Fraction(s.weight) and real[s.label] == s.size:
                assert level * Fraction(s.weight) >= 1


@settings(max_examples=200, deadline=None)
@given(allocations())
def test_allocation_does_not_depend_on_how_weights_are_written(drawn):
    strata, total = drawn
    as_decimals = [StratumSpec(s.label, s.size, Decimal(s.weight) * 1) for s in strata]
    padded = [StratumSpec(s.label, s.size, f"{Decimal(s.weight):.4f}") for s in strata]

    assert allocate(as_decimals, total) == allocate(strata, total) == allocate(padded, total)
