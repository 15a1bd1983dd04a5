"""A draw run from its inputs to its published bundle (spec wurao-draw-v1 §5–§7): the strata
and their quotas, the selection and each department's teams. `bundle.verify_bundle` runs the
same steps over a bundle to check it.

Pure Python and NumPy, no Django import: a bundle verifies the same way on any machine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from wurao.sampling.allocation import StratumSpec, allocate, weight_exact, weight_text
from wurao.sampling.engine import (
    SPEC,
    Candidates,
    DrawErrorCode,
    QuotaError,
    TeamError,
    commitment,
    draw_seed,
    label_check,
    quotas_check,
    select,
    snapshot_digest,
)
from wurao.sampling.teams import assign_teams


@dataclass(frozen=True)
class StratumWeight:
    """A stratum in listed order (for grades: A B C D U) with its weight."""

    label: str
    weight: Decimal | str


@dataclass(frozen=True)
class DepartmentInputs:
    """One department of a (joint) draw: its roster, team size and exclusions (回避)."""

    code: str
    roster: Sequence[str]
    team_size: int = 2
    exclusions: Mapping[str, Iterable[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class DrawInputs:
    """Everything a draw depends on. Give `total` (quotas by §5 from the weights) or
    `quotas` set by hand, not both."""

    task_id: str
    candidates: Candidates | Sequence[Sequence[str]]
    strata: Sequence[StratumWeight]
    server_seed: bytes
    external_entropy: str
    departments: Sequence[DepartmentInputs]
    total: int | None = None
    quotas: Mapping[str, int] | None = None


def _candidates(value: Candidates | Sequence[Sequence[str]]) -> Candidates:
    return value if isinstance(value, Candidates) else Candidates.from_pairs(value)


def stratum_specs(candidates: Candidates, strata: Sequence[StratumWeight]) -> list[StratumSpec]:
    """The listed strata with their sizes N_s from the candidates."""
    listed = [stratum.label for stratum in strata]
    sizes = candidates.sizes
    unlisted = sorted(label for label, size in sizes.items() if size and label not in listed)
    if unlisted:
        raise QuotaError(
            DrawErrorCode.STRATUM_UNLISTED,
            f"候选企业的层级 {'、'.join(unlisted)} 不在列出的层级中",
            f"candidates are in strata that are not listed: {', '.join(unlisted)}",
            strata=unlisted,
        )
    if len(set(listed)) != len(listed):
        repeated = sorted({label for label in listed if listed.count(label) > 1})
        raise QuotaError(
            DrawErrorCode.STRATUM_DUPLICATE,
            f"层级 {'、'.join(repeated)} 列出了两次",
            f"strata listed twice: {', '.join(repeated)}",
            strata=repeated,
        )
    for stratum in strata:
        label_check(stratum.label)
        # Weights are checked even when quotas are set by hand: the bundle publishes them.
        weight_exact(stratum.weight)
    return [
        StratumSpec(stratum.label, sizes.get(stratum.label, 0), stratum.weight)
        for stratum in strata
    ]


def draw_quotas(
    candidates: Candidates,
    specs: Sequence[StratumSpec],
    total: int | None,
    quotas: Mapping[str, int] | None,
) -> dict[str, int]:
    """The quotas of every listed stratum, in listed order: by §5 from `total`, or the
    hand-set `quotas` checked against the sizes."""
    if (total is None) == (quotas is None):
        raise QuotaError(
            DrawErrorCode.TOTAL_INVALID,
            "须给出抽取总数或各层级抽取数，二者只能选一",
            "give either a total or the quotas, not both and not neither",
        )
    if total is not None:
        return allocate(specs, total)
    assert quotas is not None
    listed = [spec.label for spec in specs]
    for spec in specs:
        if spec.label not in quotas:
            raise QuotaError(
                DrawErrorCode.QUOTA_MISSING,
                f"层级 {spec.label} 没有抽取数",
                f"stratum {spec.label} has no quota",
                stratum=spec.label,
            )
    extra = sorted(set(quotas) - set(listed))
    if extra:
        raise QuotaError(
            DrawErrorCode.QUOTA_UNKNOWN_STRATUM,
            f"抽取数给了未列出的层级：{'、'.join(extra)}",
            f"quotas name strata that are not listed: {', '.join(extra)}",
            strata=extra,
        )
    quotas_check(candidates, quotas)
    return {label: quotas[label] for label in listed}


def _rosters_disjoint(departments: Sequence[DepartmentInputs]) -> None:
    """A joint draw's departments are distinct, and no badge is on two of their rosters."""
    owner: dict[str, str] = {}
    seen: set[str] = set()
    for department in departments:
        if department.code in seen:
            raise TeamError(
                DrawErrorCode.DEPARTMENT_DUPLICATE,
                f"部门 {department.code} 列出了两次",
                f"department {department.code} is listed twice",
                department=department.code,
            )
        seen.add(department.code)
        for badge in department.roster:
            other = owner.setdefault(badge, department.code)
            if other != department.code:
                raise TeamError(
                    DrawErrorCode.BADGE_IN_TWO_ROSTERS,
                    f"执法证号 {badge} 同时在部门 {other} 和 {department.code} 的名单中",
                    f"badge {badge} is on the rosters of both {other} and {department.code}",
                    badge=badge,
                    departments=[other, department.code],
                )


def draw_teams(
    selected_codes: Sequence[str],
    departments: Sequence[DepartmentInputs],
    seed: bytes,
    workers: int,
) -> list[dict[str, list[str]]]:
    _rosters_disjoint(departments)
    return [
        assign_teams(
            selected_codes,
            department.roster,
            department.team_size,
            department.exclusions,
            seed,
            workers=workers,
        )
        for department in departments
    ]


def run_draw(inputs: DrawInputs, *, workers: int = 1) -> dict[str, object]:
    """Run the draw and return its bundle (spec §7), fields in the spec's order.

    Raises a DrawError subclass (with code and Chinese and English message) when the draw
    is refused."""
    candidates = _candidates(inputs.candidates)
    specs = stratum_specs(candidates, inputs.strata)
    quotas = draw_quotas(candidates, specs, inputs.total, inputs.quotas)
    seed = draw_seed(inputs.task_id, inputs.server_seed, inputs.external_entropy)
    selection = select(candidates, quotas, seed)
    teams = draw_teams(selection.selected.code_list(), inputs.departments, seed, workers)
    return {
        "spec": SPEC,
        "task_id": inputs.task_id,
        "candidates": [list(pair) for pair in candidates.pairs()],
        "snapshot_digest": snapshot_digest(candidates),
        "strata": [
            {"label": stratum.label, "weight": weight_text(stratum.weight)}
            for stratum in inputs.strata
        ],
        "total": inputs.total,
        "quotas": quotas,
        "commitment": commitment(inputs.server_seed),
        "server_seed": inputs.server_seed.hex(),
        "external_entropy": inputs.external_entropy,
        "departments": [
            {
                "code": department.code,
                "team_size": department.team_size,
                "roster": list(department.roster),
                "exclusions": {
                    code: sorted(set(badges)) for code, badges in department.exclusions.items()
                },
                "teams": department_teams,
            }
            for department, department_teams in zip(inputs.departments, teams, strict=True)
        ],
        "selected": [list(pair) for pair in selection.selected.pairs()],
        "result_digest": selection.result_digest,
    }
