"""How many of each thing the demo builds at a scale: the study's figures, scaled and rounded.

Pure Python, no Django import. Every count is round(figure × scale); where counts
must add up (kinds to the total, departments to the top three, district units to
the district figure) they are split by the largest-remainder method so the totals
stay consistent. At scale 1 every study figure comes out exactly.
"""

from dataclasses import dataclass, field
from itertools import cycle, islice

from wurao.demo import data

KINDS = ("inspection", "penalty", "coercive")


def largest_remainder(weights: list[float], total: int, caps: list[int] | None = None) -> list[int]:
    """Split `total` in proportion to `weights`: floors first, then one more to the largest
    remainders (ties to the first). With `caps`, no share exceeds its cap; the excess goes
    to the others in proportion. Raises ValueError when the caps cannot hold the total."""
    n = len(weights)
    caps = list(caps) if caps is not None else [total] * n
    if total < 0 or sum(caps) < total:
        raise ValueError(f"cannot split {total} under caps {caps}")
    shares = [0] * n
    free = [i for i in range(n) if caps[i] > 0]
    remaining = total
    while remaining and free:
        weight_sum = sum(weights[i] for i in free)
        if weight_sum <= 0:
            quotas = {i: remaining / len(free) for i in free}
        else:
            quotas = {i: remaining * weights[i] / weight_sum for i in free}
        floors = {i: int(quotas[i]) for i in free}
        left = remaining - sum(floors.values())
        by_remainder = sorted(free, key=lambda i: (-(quotas[i] - floors[i]), i))
        for i in by_remainder[:left]:
            floors[i] += 1
        over = [i for i in free if shares[i] + floors[i] > caps[i]]
        if not over:
            for i in free:
                shares[i] += floors[i]
            return shares
        for i in over:
            remaining -= caps[i] - shares[i]
            shares[i] = caps[i]
        free = [i for i in free if i not in over]
    if remaining:
        raise ValueError(f"cannot split {total} under caps {caps}")
    return shares


def round_to_total(values: list[float], total: int) -> list[int]:
    """Round each value down or up so that the results add up to `total`, which must be
    within half a unit of the values' sum: each result is then within 1 of its value."""
    floors = [int(v) for v in values]
    order = sorted(range(len(values)), key=lambda i: (-(values[i] - floors[i]), i))
    for i in order[: total - sum(floors)]:
        floors[i] += 1
    return floors


def scaled(figure: int, scale: float) -> int:
    return int(round(figure * scale))


@dataclass(frozen=True)
class Plan:
    """The counts the demo builds at one scale (2020 history plus the registry)."""

    scale: float
    entities: int
    enterprises: int
    individuals: int
    others: int
    four_above: int
    above_scale: int
    by_kind: dict[str, int]
    # department code -> {"inspection": n, "penalty": n, "coercive": n}
    by_department: dict[str, dict[str, int]]
    # department code -> random-draw inspections (district and city departments)
    random_by_department: dict[str, int]
    # one tuple of department codes per joint random visit
    joint_visits: tuple[tuple[str, ...], ...]
    district_departments: tuple[str, ...] = field(default=())

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    @property
    def top3(self) -> int:
        return sum(sum(self.by_department[code].values()) for code in data.TOP3)

    @property
    def district_inspections(self) -> int:
        return sum(self.by_department[code]["inspection"] for code in self.district_departments)

    @property
    def random_draw_inspections(self) -> int:
        return sum(self.random_by_department.get(code, 0) for code in self.district_departments)

    @property
    def joint_random_visits(self) -> int:
        return len(self.joint_visits)

    def figures(self) -> dict:
        """The figures oversight_summary reports, as the plan expects them."""
        return {
            "by_kind": dict(self.by_kind),
            "total": self.total,
            "top3": self.top3,
            "district_inspections": self.district_inspections,
            "random_draw_inspections": self.random_draw_inspections,
            "joint_random_visits": self.joint_random_visits,
        }


def _entity_counts(scale: float) -> dict[str, int]:
    entities = scaled(data.STUDY_ENTITIES, scale)
    enterprises, individuals, others = round_to_total(
        [
            data.STUDY_ENTERPRISES * scale,
            data.DEMO_INDIVIDUALS * scale,
            data.DEMO_OTHER_ENTITIES * scale,
        ],
        entities,
    )
    # The key enterprise always exists, whatever the scale.
    if enterprises < 1:
        enterprises, entities = 1, entities + 1
    four_above = min(scaled(data.STUDY_FOUR_ABOVE, scale), enterprises)
    above_scale = min(scaled(data.STUDY_ABOVE_SCALE_INDUSTRY, scale), four_above)
    return {
        "entities": entities,
        "enterprises": enterprises,
        "individuals": individuals,
        "others": others,
        "four_above": four_above,
        "above_scale": above_scale,
    }


def _group_matrix(scale: float) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Kinds by group: A = 应急 (top three, district), B = the two city bureaus (top three),
    C = other district departments, E = street teams. Returns (kind totals, group rows)."""
    a = data.TOP3_ACTIONS["YJGL"]
    b = [data.TOP3_ACTIONS["SZ-SCJG"][k] + data.TOP3_ACTIONS["SZ-STHJ"][k] for k in range(3)]
    c = data.OTHER_DISTRICT_ACTIONS
    e = data.STREET_TEAM_ACTIONS
    base = {"A": list(a), "B": b, "C": list(c), "E": list(e)}

    total = scaled(data.STUDY_ACTIONS, scale)
    figures = [data.STUDY_INSPECTIONS, data.STUDY_PENALTIES, data.STUDY_COERCIVE]
    k_insp, k_pen, k_coe = round_to_total([f * scale for f in figures], total)

    top3 = min(scaled(sum(sum(v) for v in data.TOP3_ACTIONS.values()), scale), total)
    row_a, row_b = largest_remainder([sum(base["A"]) * scale, sum(base["B"]) * scale], top3)
    row_c, row_e = largest_remainder([sum(base["C"]) * scale, sum(base["E"]) * scale], total - top3)

    # Inspections: district units (A, C) take the study's district figure, the rest the remainder.
    district = min(scaled(data.STUDY_DISTRICT_INSPECTIONS, scale), k_insp, row_a + row_c)
    district = max(district, k_insp - (row_b + row_e))
    ins_a, ins_c = largest_remainder(
        [base["A"][0] * scale, base["C"][0] * scale], district, [row_a, row_c]
    )
    ins_b, ins_e = largest_remainder(
        [base["B"][0] * scale, base["E"][0] * scale], k_insp - district, [row_b, row_e]
    )

    rows = {"A": row_a, "B": row_b, "C": row_c, "E": row_e}
    ins = {"A": ins_a, "B": ins_b, "C": ins_c, "E": ins_e}
    rest = {g: rows[g] - ins[g] for g in rows}
    groups = list(rows)
    coe = dict(
        zip(
            groups,
            largest_remainder(
                [base[g][2] * scale for g in groups], k_coe, [rest[g] for g in groups]
            ),
            strict=True,
        )
    )
    matrix = {g: [ins[g], rest[g] - coe[g], coe[g]] for g in groups}
    assert sum(m[1] for m in matrix.values()) == k_pen
    return {"inspection": k_insp, "penalty": k_pen, "coercive": k_coe}, matrix


def _split_group(
    codes: list[str], weights_by_kind: list[list[float]], counts: list[int]
) -> dict[str, dict[str, int]]:
    out = {code: dict.fromkeys(KINDS, 0) for code in codes}
    for k, kind in enumerate(KINDS):
        for code, n in zip(codes, largest_remainder(weights_by_kind[k], counts[k]), strict=True):
            out[code][kind] = n
    return out


def plan_counts(scale: float) -> Plan:
    """The demo's counts at `scale`; at scale 1 they are the study's figures exactly."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    entities = _entity_counts(scale)
    by_kind, matrix = _group_matrix(scale)

    by_department: dict[str, dict[str, int]] = {"YJGL": dict(zip(KINDS, matrix["A"], strict=True))}
    city = ["SZ-SCJG", "SZ-STHJ"]
    by_department |= _split_group(
        city, [[data.TOP3_ACTIONS[c][k] for c in city] for k in range(3)], matrix["B"]
    )
    others = list(data.OTHER_DISTRICT_WEIGHTS)
    weights = [data.OTHER_DISTRICT_WEIGHTS[c] for c in others]
    by_department |= _split_group(others, [weights] * 3, matrix["C"])
    teams = [f"ZF-{short}" for _, _, short in data.STREETS]
    team_weights = [data.STREET_TEAM_WEIGHTS[street] for _, street, _ in data.STREETS]
    by_department |= _split_group(teams, [team_weights] * 3, matrix["E"])

    district_departments = ("YJGL", *others)
    joint_visits, random_by_department = _random_draws(scale, by_department, district_departments)
    return Plan(
        scale=scale,
        by_kind=by_kind,
        by_department=by_department,
        random_by_department=random_by_department,
        joint_visits=joint_visits,
        district_departments=district_departments,
        **entities,
    )


def _random_draws(
    scale: float, by_department: dict[str, dict[str, int]], district: tuple[str, ...]
) -> tuple[tuple[tuple[str, ...], ...], dict[str, int]]:
    """Joint visits cycle through the fixed patterns; district random draws total the study's
    figure, each department's share at least its joint visits and at most its inspections."""
    inspections = {code: n["inspection"] for code, n in by_department.items()}
    target = min(scaled(data.STUDY_DISTRICT_RANDOM, scale), sum(inspections[c] for c in district))
    wanted = scaled(data.STUDY_JOINT_RANDOM_VISITS, scale)
    joint: list[tuple[str, ...]] = []
    used: dict[str, int] = {}
    # Skip a pattern when one of its departments has no inspection left for it (tiny scales).
    for pattern in islice(cycle(data.JOINT_PATTERNS), 4 * wanted):
        if len(joint) == wanted:
            break
        trial = {c: used.get(c, 0) + 1 for c in pattern}
        district_use = sum(v for c, v in (used | trial).items() if c in district)
        if all(trial[c] <= inspections[c] for c in pattern) and district_use <= target:
            joint.append(pattern)
            used |= trial
    random = {c: used.get(c, 0) for c in district}
    extra = largest_remainder(
        [inspections[c] for c in district],
        target - sum(random.values()),
        [inspections[c] - random[c] for c in district],
    )
    for c, n in zip(district, extra, strict=True):
        random[c] += n
    for c in ("SZ-SCJG", "SZ-STHJ"):
        share = scaled(inspections[c], data.CITY_RANDOM_SHARE)
        random[c] = min(inspections[c], max(used.get(c, 0), share))
    return tuple(joint), random
