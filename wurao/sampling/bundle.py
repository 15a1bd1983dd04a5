"""Verifying a published bundle (spec wurao-draw-v1 §7): `verify_bundle` recomputes every
derived field from the bundle's own inputs (with bundle_run, which makes bundles), and `main`
is the command line verifier:

    python -m wurao.sampling.engine verify BUNDLE.json [--json]

Pure Python and NumPy, no Django import: a bundle verifies the same way on any machine.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypeVar

from wurao.sampling.bundle_run import (
    DepartmentInputs,
    StratumWeight,
    draw_quotas,
    draw_teams,
    stratum_specs,
)
from wurao.sampling.engine import (
    SPEC,
    BundleError,
    Candidates,
    DrawError,
    DrawErrorCode,
    commitment,
    draw_seed,
    select,
    snapshot_digest,
)

_SERVER_SEED_HEX = re.compile(r"[0-9a-fA-F]{64}")
T = TypeVar("T")


@dataclass(frozen=True)
class Mismatch:
    """A derived field of a bundle that differs from the recomputed one. For `selected` and
    `teams`, `expected` and `found` hold only the entries that differ."""

    field: str
    department: str | None
    expected: object
    found: object


# Reading a bundle: every field is checked for shape before anything is recomputed, and
# an error names the field.


def _invalid(name: str, zh: str, en: str) -> BundleError:
    return BundleError(
        DrawErrorCode.BUNDLE_INVALID, f"字段 {name}：{zh}", f"field {name}: {en}", field=name
    )


def _get(mapping: Mapping[str, object], key: str, kind: type[T], name: str = "") -> T:
    name = name or key
    if key not in mapping:
        raise _invalid(name, "缺少此字段", "missing")
    value = mapping[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise _invalid(name, f"须为 {kind.__name__}", f"must be a {kind.__name__}")
    return value


def _total(bundle: Mapping[str, object]) -> int | None:
    if bundle.get("total") is None:
        return _get(bundle, "total", type(None))
    return _get(bundle, "total", int)


def _hand_quotas(found: Mapping[str, object]) -> dict[str, int]:
    quotas: dict[str, int] = {}
    for label, quota in found.items():
        if not isinstance(quota, int) or isinstance(quota, bool):
            raise _invalid(
                "quotas",
                f"层级 {label} 的抽取数须为整数",
                f"the quota of {label} must be an integer",
            )
        quotas[label] = quota
    return quotas


def _str_list(value: object, name: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _invalid(name, "须为文字列表", "must be a list of strings")
    return value


def _pairs(value: object, name: str) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        raise _invalid(name, "须为列表", "must be a list")
    pairs: list[tuple[str, str]] = []
    for item in value:
        if not (
            isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)
        ):
            raise _invalid(
                name,
                f"每项须为 [统一社会信用代码, 层级]：{item!r}",
                f"each entry must be [credit_code, stratum]: {item!r}",
            )
        pairs.append((item[0], item[1]))
    return pairs


def _within(name: str, make: Callable[[], T]) -> T:
    """Run `make`, turning a refusal into a BundleError that names the field."""
    try:
        return make()
    except BundleError:
        raise
    except DrawError as error:
        raise BundleError(
            error.code,
            f"字段 {name}：{error.message_zh}",
            f"field {name}: {error.message_en}",
            field=name,
            **error.details,
        ) from error


def _department(value: object, index: int) -> tuple[DepartmentInputs, dict[str, object]]:
    name = f"departments[{index}]"
    if not isinstance(value, dict):
        raise _invalid(name, "须为对象", "must be an object")
    code = _get(value, "code", str, f"{name}.code")
    team_size = _get(value, "team_size", int, f"{name}.team_size")
    roster = _str_list(_get(value, "roster", list, f"{name}.roster"), f"{name}.roster")
    exclusions = {
        str(key): _str_list(badges, f"{name}.exclusions")
        for key, badges in _get(value, "exclusions", dict, f"{name}.exclusions").items()
    }
    teams = _get(value, "teams", dict, f"{name}.teams")
    return DepartmentInputs(code, roster, team_size, exclusions), teams


def _pairs_diff(expected: list[list[str]], found: list[list[str]]) -> tuple[object, object] | None:
    if expected == found:
        return None
    expected_set = {tuple(pair) for pair in expected}
    found_set = {tuple(pair) for pair in found}
    missing = [pair for pair in expected if tuple(pair) not in found_set]
    extra = [pair for pair in found if tuple(pair) not in expected_set]
    if missing or extra:
        return missing, extra
    return "升序、无重复 / ascending, no repeats", "其他顺序或有重复 / another order or repeats"


def _teams_diff(
    expected: dict[str, list[str]], found: Mapping[str, object]
) -> tuple[object, object] | None:
    codes = list(expected) + [code for code in found if code not in expected]
    differing = [code for code in codes if expected.get(code) != found.get(code)]
    if not differing:
        return None
    return (
        {code: expected.get(code) for code in differing},
        {code: found.get(code) for code in differing},
    )


def verify_bundle(bundle: Mapping[str, object], *, workers: int = 1) -> list[Mismatch]:
    """Recompute every derived field of a bundle (spec §7) and return the mismatches, each
    by field name (and department code for teams); an empty list means it verifies.

    Raises BundleError when the bundle cannot be verified at all: a missing or ill-formed
    field, a refused draw (total above capacity, a hand-set quota out of range, too few
    inspectors for an enterprise), or a badge on two departments' rosters."""
    if not isinstance(bundle, Mapping):
        raise _invalid("(bundle)", "须为 JSON 对象", "must be a JSON object")
    if bundle.get("spec") != SPEC:
        raise _invalid("spec", f"须为 {SPEC}", f"must be {SPEC}")
    task_id = _get(bundle, "task_id", str)
    candidate_pairs = _pairs(_get(bundle, "candidates", list), "candidates")
    strata_value = _get(bundle, "strata", list)
    strata: list[StratumWeight] = []
    for item in strata_value:
        if not (
            isinstance(item, dict)
            and isinstance(item.get("label"), str)
            and isinstance(item.get("weight"), str)
        ):
            raise _invalid(
                "strata",
                f"每项须为 {{label, weight}}，权重为十进制文字：{item!r}",
                f"each entry must be {{label, weight}} with the weight as a decimal string: {item!r}",
            )
        strata.append(StratumWeight(item["label"], item["weight"]))
    total = _total(bundle)
    found_quotas = _get(bundle, "quotas", dict)
    server_seed_hex = _get(bundle, "server_seed", str)
    if not _SERVER_SEED_HEX.fullmatch(server_seed_hex):
        raise _invalid("server_seed", "须为 64 位十六进制", "must be 64 hex digits")
    server_seed = bytes.fromhex(server_seed_hex)
    external_entropy = _get(bundle, "external_entropy", str)
    departments: list[DepartmentInputs] = []
    found_teams: list[dict[str, object]] = []
    for index, value in enumerate(_get(bundle, "departments", list)):
        department, department_teams = _department(value, index)
        departments.append(department)
        found_teams.append(department_teams)
    found_selected = _pairs(_get(bundle, "selected", list), "selected")
    found = {
        name: _get(bundle, name, str) for name in ("snapshot_digest", "commitment", "result_digest")
    }

    candidates = _within("candidates", lambda: Candidates.from_pairs(candidate_pairs))
    specs = _within("strata", lambda: stratum_specs(candidates, strata))
    hand_quotas = None if total is not None else _hand_quotas(found_quotas)
    quotas = _within("quotas", lambda: draw_quotas(candidates, specs, total, hand_quotas))
    seed = draw_seed(task_id, server_seed, external_entropy)
    selection = select(candidates, quotas, seed)
    teams = _within(
        "departments",
        lambda: draw_teams(selection.selected.code_list(), departments, seed, workers),
    )

    mismatches: list[Mismatch] = []

    def compare(name: str, expected: object, actual: object) -> None:
        if expected != actual:
            mismatches.append(Mismatch(name, None, expected, actual))

    compare("snapshot_digest", snapshot_digest(candidates), found["snapshot_digest"])
    compare("commitment", commitment(server_seed), found["commitment"])
    # As JSON, so that 1.0 or true is not taken for the quota 1.
    if json.dumps(quotas, sort_keys=True) != json.dumps(found_quotas, sort_keys=True):
        mismatches.append(Mismatch("quotas", None, quotas, found_quotas))
    selected_diff = _pairs_diff(
        [list(pair) for pair in selection.selected.pairs()],
        [list(pair) for pair in found_selected],
    )
    if selected_diff is not None:
        mismatches.append(Mismatch("selected", None, *selected_diff))
    compare("result_digest", selection.result_digest, found["result_digest"])
    for department, expected_teams, department_found in zip(
        departments, teams, found_teams, strict=True
    ):
        teams_diff = _teams_diff(expected_teams, department_found)
        if teams_diff is not None:
            mismatches.append(Mismatch("teams", department.code, *teams_diff))
    return mismatches


def check_names(bundle: Mapping[str, object]) -> list[tuple[str, str | None]]:
    """The checks `verify_bundle` makes, as (field, department) in the order it makes them."""
    departments = bundle.get("departments")
    codes = [
        str(department.get("code"))
        for department in (departments if isinstance(departments, list) else [])
        if isinstance(department, dict)
    ]
    fields = ["snapshot_digest", "commitment", "quotas", "selected", "result_digest"]
    return [(name, None) for name in fields] + [("teams", code) for code in codes]


def _short(value: object, limit: int = 300) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} chars)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m wurao.sampling.engine",
        description="核验双随机抽取结果包 / verify a wurao-draw-v1 bundle",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    verify = commands.add_parser("verify", help="recompute every derived field of a bundle")
    verify.add_argument("bundle", type=Path, help="the bundle, a JSON file")
    verify.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    try:
        bundle = json.loads(args.bundle.read_text(encoding="utf-8"))
        mismatches = verify_bundle(bundle)
    except (OSError, ValueError) as error:
        # DrawError is a ValueError too: the bundle cannot be verified at all.
        code = error.code if isinstance(error, DrawError) else "unreadable"
        if args.json:
            print(json.dumps({"ok": False, "error": {"code": code, "message": str(error)}}))
        else:
            print(f"无法核验 / cannot verify: {error}")
        return 1

    failed = {(m.field, m.department): m for m in mismatches}
    checks = check_names(bundle)
    if args.json:
        report = {
            "ok": not mismatches,
            "checks": [
                {
                    "field": name,
                    "department": department,
                    "passed": (name, department) not in failed,
                }
                for name, department in checks
            ],
            "mismatches": [asdict(m) for m in mismatches],
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0 if not mismatches else 1
    for name, department in checks:
        label = name if department is None else f"{name} [{department}]"
        mismatch = failed.get((name, department))
        if mismatch is None:
            print(f"通过 passed  {label}")
        else:
            print(
                f"不符 FAILED  {label}: expected {_short(mismatch.expected)}, "
                f"found {_short(mismatch.found)}"
            )
    passed = len(checks) - len(failed)
    print(f"{passed}/{len(checks)} checks passed" + ("" if mismatches else " — bundle verifies"))
    return 0 if not mismatches else 1


if __name__ == "__main__":
    sys.exit(main())
