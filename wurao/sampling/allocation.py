"""Quotas from a total and weights (差异化抽查比例), spec wurao-draw-v1 §5. Pure Python.

Higher risk gets a higher weight, so a higher sampling ratio, while the total stays what
the plan says. Everything is exact: weights are read from their decimal strings into
fractions, so two implementations cannot round differently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor

from wurao.sampling.engine import DrawErrorCode, QuotaError, label_check

_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")


@dataclass(frozen=True)
class StratumSpec:
    """One stratum in listed order: its label, size N_s and weight w_s ≥ 0."""

    label: str
    size: int
    weight: Decimal | str


def weight_exact(weight: Decimal | str) -> Fraction:
    """The weight as an exact fraction: a plain decimal string ("0.5", "2") or a finite,
    non-negative Decimal."""
    if isinstance(weight, str) and _DECIMAL.fullmatch(weight):
        return Fraction(weight)
    if isinstance(weight, Decimal) and weight.is_finite() and weight >= 0:
        return Fraction(weight)
    raise QuotaError(
        DrawErrorCode.WEIGHT_INVALID,
        f"权重须为不小于 0 的十进制数（如 0.5、2），实为 {weight!r}",
        f"a weight must be a decimal number ≥ 0 (such as 0.5 or 2), got {weight!r}",
        weight=str(weight),
    )


def weight_text(weight: Decimal | str) -> str:
    """The weight as the bundle writes it: a plain decimal string, never an exponent."""
    weight_exact(weight)
    return weight if isinstance(weight, str) else format(weight, "f")


def _checked(strata: Sequence[StratumSpec], total: int) -> list[tuple[str, int, Fraction]]:
    rows: list[tuple[str, int, Fraction]] = []
    seen: set[str] = set()
    for stratum in strata:
        label_check(stratum.label)
        if stratum.label in seen:
            raise QuotaError(
                DrawErrorCode.STRATUM_DUPLICATE,
                f"层级 {stratum.label} 列出了两次",
                f"stratum {stratum.label} is listed twice",
                stratum=stratum.label,
            )
        seen.add(stratum.label)
        if not isinstance(stratum.size, int) or isinstance(stratum.size, bool) or stratum.size < 0:
            raise QuotaError(
                DrawErrorCode.SIZE_INVALID,
                f"层级 {stratum.label} 的企业数须为不小于 0 的整数，实为 {stratum.size!r}",
                f"the size of stratum {stratum.label} must be an integer ≥ 0, got {stratum.size!r}",
                stratum=stratum.label,
            )
        rows.append((stratum.label, stratum.size, weight_exact(stratum.weight)))
    if not isinstance(total, int) or isinstance(total, bool) or total < 0:
        raise QuotaError(
            DrawErrorCode.TOTAL_INVALID,
            f"抽取总数须为不小于 0 的整数，实为 {total!r}",
            f"the total must be an integer ≥ 0, got {total!r}",
        )
    capacity = sum(size for _, size, weight in rows if size > 0 and weight > 0)
    if total > capacity:
        if capacity == 0:
            raise QuotaError(
                DrawErrorCode.NO_ELIGIBLE_STRATUM,
                f"无法抽取 {total} 家：没有既有候选企业、权重又大于 0 的层级",
                f"cannot draw {total}: no stratum has both candidates and a weight above 0",
                total=total,
            )
        raise QuotaError(
            DrawErrorCode.TOTAL_ABOVE_CAPACITY,
            f"抽取总数 {total} 超过可抽企业数 {capacity}（权重大于 0 的层级中的候选企业）",
            f"the total {total} exceeds the {capacity} candidates in strata with a weight above 0",
            total=total,
            capacity=capacity,
        )
    return rows


def real_quotas(strata: Sequence[StratumSpec], total: int) -> dict[str, Fraction]:
    """Spec §5 steps 1–2: the exact real quotas q_s by water-filling."""
    return _water_fill(_checked(strata, total), total)


def _water_fill(rows: list[tuple[str, int, Fraction]], total: int) -> dict[str, Fraction]:
    eligible = [i for i, (_, size, weight) in enumerate(rows) if size > 0 and weight > 0]
    saturated: set[int] = set()
    level = Fraction(0)
    while True:
        unsaturated = [i for i in eligible if i not in saturated]
        if not unsaturated:
            break
        remaining = total - sum(rows[i][1] for i in saturated)
        level = Fraction(remaining) / sum(rows[i][2] * rows[i][1] for i in unsaturated)
        newly = {i for i in unsaturated if level * rows[i][2] >= 1}
        if not newly:
            break
        saturated |= newly
    quotas = {label: Fraction(0) for label, _, _ in rows}
    for i in eligible:
        label, size, weight = rows[i]
        quotas[label] = Fraction(size) if i in saturated else level * weight * size
    return quotas


def allocate(strata: Sequence[StratumSpec], total: int) -> dict[str, int]:
    """Spec §5: integer quotas n_s summing to `total`, in listed order of `strata`.

    Floors first; the rest go one each to the eligible strata not yet full, by fractional
    part descending, then weight descending, then listed order."""
    rows = _checked(strata, total)
    real = _water_fill(rows, total)
    quotas = {label: floor(real[label]) for label, _, _ in rows}
    order = sorted(
        (
            (-(real[label] - quotas[label]), -weight, i)
            for i, (label, size, weight) in enumerate(rows)
            if size > 0 and weight > 0 and quotas[label] < size
        ),
    )
    left = total - sum(quotas.values())
    # The fractional parts of the unsaturated strata add up to `left`, each below 1.
    assert left <= len(order)
    for _, _, i in order[:left]:
        quotas[rows[i][0]] += 1
    return quotas
