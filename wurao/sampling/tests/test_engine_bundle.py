"""The bundle, spec wurao-draw-v1 §7: the spec's published example verifies, a draw
reproduces it, every tampered derived field is named, and the command line verifier."""

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from wurao.sampling.bundle import Mismatch, main, verify_bundle
from wurao.sampling.bundle_run import DepartmentInputs, DrawInputs, StratumWeight, run_draw
from wurao.sampling.engine import (
    BundleError,
    DrawErrorCode,
    QuotaError,
    TeamError,
    commitment,
    draw_seed,
)

# The spec's published example bundle (docs/random-draw-v1.md, its example), copied
# byte for byte so the tests do not depend on a checkout of the spec.
EXAMPLE_PATH = Path(__file__).parent / "data" / "random-draw-v1.example.json"
E1, E2, E3, E4 = (f"91440300MA5F00000{i}" for i in range(1, 5))
GRADES = [("A", "0.5"), ("B", "1"), ("C", "2"), ("D", "4"), ("U", "1")]


@pytest.fixture
def example():
    return json.loads(EXAMPLE_PATH.read_text(encoding="utf-8"))


def example_inputs(**changes):
    inputs = {
        "task_id": "T-1",
        "candidates": [(E1, "A"), (E2, "B"), (E3, "A"), (E4, "C")],
        "strata": [StratumWeight(label, weight) for label, weight in GRADES],
        "total": 2,
        "server_seed": bytes(range(32)),
        "external_entropy": "observer:42",
        "departments": [
            DepartmentInputs("DEP-EXAMPLE", ["ZF001", "ZF002", "ZF003"], 2, {E1: ["ZF003"]})
        ],
    }
    return DrawInputs(**{**inputs, **changes})


def test_the_spec_example_bundle_verifies(example):
    assert verify_bundle(example) == []


def test_a_draw_of_the_example_inputs_reproduces_the_example_bundle(example):
    bundle = run_draw(example_inputs())

    assert bundle == example
    assert list(bundle) == list(example)


def _tamper_team(bundle):
    bundle["departments"][0]["teams"][E2] = ["ZF003", "ZF001"]


TAMPERINGS = {
    "commitment": lambda b: b.update(commitment=commitment(bytes(32))),
    "snapshot_digest": lambda b: b.update(snapshot_digest="0" * 64),
    "quotas": lambda b: b.update(quotas={"A": 1, "B": 0, "C": 1, "D": 0, "U": 0}),
    "selected": lambda b: b.update(selected=[[E3, "A"], [E4, "C"]]),
    "result_digest": lambda b: b.update(result_digest="f" * 64),
    "teams": _tamper_team,
}


@pytest.mark.parametrize("field", list(TAMPERINGS))
def test_tampering_with_a_derived_field_is_reported_by_its_name(example, field):
    # Given the example bundle with one derived field changed
    TAMPERINGS[field](example)

    # When it is verified
    mismatches = verify_bundle(example)

    # Then exactly that field is reported, teams with their department
    assert [(m.field, m.department) for m in mismatches] == [
        (field, "DEP-EXAMPLE" if field == "teams" else None)
    ]


def test_a_quota_written_as_a_float_or_boolean_is_a_mismatch(example):
    example["quotas"].update(B=1.0, C=True)

    assert [m.field for m in verify_bundle(example)] == ["quotas"]


def test_a_tampered_team_shows_the_expected_and_found_team(example):
    _tamper_team(example)

    assert verify_bundle(example) == [
        Mismatch("teams", "DEP-EXAMPLE", {E2: ["ZF001", "ZF003"]}, {E2: ["ZF003", "ZF001"]})
    ]


def test_a_tampered_selection_shows_what_is_missing_and_what_is_extra(example):
    example["selected"] = [[E3, "A"], [E4, "C"]]

    (mismatch,) = verify_bundle(example)

    assert mismatch.expected == [[E2, "B"]]
    assert mismatch.found == [[E3, "A"]]


def test_changed_external_entropy_changes_the_draw(example):
    # The example's quotas (A 0, B 1, C 1) take B and C whole: only the teams depend on the seed
    example["external_entropy"] = "observer:43"

    assert [(m.field, m.department) for m in verify_bundle(example)] == [("teams", "DEP-EXAMPLE")]


def test_candidates_in_any_order_and_extra_fields_do_not_matter(example):
    example["candidates"].reverse()
    example["title"] = "2026年第一批双随机抽查"
    example["departments"][0]["name"] = "区应急管理局"

    assert verify_bundle(example) == []


def test_hand_set_quotas_are_checked_against_the_sizes(example):
    # Given quotas set by hand (total null)
    example["total"] = None
    example["quotas"] = {"A": 1, "B": 1, "C": 0, "D": 0, "U": 0}
    draw = run_draw(example_inputs(total=None, quotas=example["quotas"]))
    example.update(selected=draw["selected"], result_digest=draw["result_digest"])
    example["departments"][0]["teams"] = draw["departments"][0]["teams"]
    assert verify_bundle(example) == []

    # When a quota exceeds its stratum's size, the bundle is refused naming quotas
    example["quotas"]["C"] = 2
    with pytest.raises(BundleError) as refused:
        verify_bundle(example)
    assert refused.value.code == DrawErrorCode.QUOTA_OUT_OF_RANGE
    assert refused.value.details["field"] == "quotas"


def test_a_badge_on_two_departments_rosters_is_refused(example):
    joint = copy.deepcopy(example["departments"][0])
    joint.update(code="DEP-JOINT", roster=["ZF004", "ZF002"], exclusions={}, teams={})
    example["departments"].append(joint)

    with pytest.raises(BundleError) as refused:
        verify_bundle(example)

    assert refused.value.code == DrawErrorCode.BADGE_IN_TWO_ROSTERS
    assert "ZF002" in refused.value.message_zh and "DEP-JOINT" in refused.value.message_en


def test_a_draw_with_a_badge_on_two_rosters_is_refused():
    departments = [
        DepartmentInputs("SCJG", ["ZF001", "ZF002"]),
        DepartmentInputs("YJJ", ["ZF003", "ZF001"]),
    ]

    with pytest.raises(TeamError) as refused:
        run_draw(example_inputs(departments=departments))

    assert refused.value.code == DrawErrorCode.BADGE_IN_TWO_ROSTERS
    assert refused.value.details == {"badge": "ZF001", "departments": ["SCJG", "YJJ"]}


def test_a_joint_draw_gives_each_department_its_own_teams_from_one_seed():
    departments = [
        DepartmentInputs("SCJG", ["S1", "S2", "S3"]),
        DepartmentInputs("YJJ", ["Y1", "Y2"], team_size=1, exclusions={E4: {"Y1"}}),
    ]

    bundle = run_draw(example_inputs(departments=departments))

    selected = [code for code, _ in bundle["selected"]]
    assert [list(d["teams"]) for d in bundle["departments"]] == [selected, selected]
    assert bundle["departments"][1]["teams"][E4] == ["Y2"]
    assert verify_bundle(bundle) == []


def test_a_draw_from_an_empty_scope_is_refused():
    with pytest.raises(QuotaError) as refused:
        run_draw(example_inputs(candidates=[]))

    assert refused.value.code == DrawErrorCode.NO_ELIGIBLE_STRATUM
    assert "cannot draw 2" in refused.value.message_en


def test_a_draw_with_a_total_above_capacity_is_refused():
    with pytest.raises(QuotaError) as refused:
        run_draw(example_inputs(total=5))

    assert refused.value.code == DrawErrorCode.TOTAL_ABOVE_CAPACITY


def test_a_draw_with_candidates_in_an_unlisted_stratum_is_refused():
    strata = [StratumWeight("A", "1"), StratumWeight("B", "1")]

    with pytest.raises(QuotaError) as refused:
        run_draw(example_inputs(strata=strata))

    assert refused.value.code == DrawErrorCode.STRATUM_UNLISTED
    assert "C" in refused.value.message_zh


def test_a_draw_refuses_both_or_neither_of_total_and_quotas():
    with pytest.raises(QuotaError):
        run_draw(example_inputs(quotas={"A": 1}))
    with pytest.raises(QuotaError):
        run_draw(example_inputs(total=None))


def test_a_draw_with_too_few_inspectors_names_the_enterprise():
    departments = [DepartmentInputs("YJJ", ["ZF001", "ZF002"], 2, {E4: ["ZF002"]})]

    with pytest.raises(TeamError) as refused:
        run_draw(example_inputs(departments=departments))

    assert refused.value.code == DrawErrorCode.TOO_FEW_INSPECTORS
    assert E4 in refused.value.message_zh


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b.pop("server_seed"), "server_seed"),
        (lambda b: b.update(server_seed="00"), "server_seed"),
        (lambda b: b.update(spec="wurao-draw-v2"), "spec"),
        (lambda b: b.update(total="2"), "total"),
        (lambda b: b.update(candidates=[["91440300MA5F000001"]]), "candidates"),
        (lambda b: b["candidates"].append([E1, "B"]), "candidates"),
        (lambda b: b["strata"][0].update(weight=0.5), "strata"),
        (lambda b: b.update(total=None, strata=b["strata"] + b["strata"][:1]), "strata"),
        (lambda b: b["departments"][0].pop("roster"), "departments[0].roster"),
    ],
)
def test_an_ill_formed_bundle_is_refused_naming_the_field(example, change, field):
    change(example)

    with pytest.raises(BundleError) as refused:
        verify_bundle(example)

    assert refused.value.details["field"] == field
    assert field in refused.value.message_zh


def test_the_draw_seed_in_the_bundle_is_the_spec_seed(example):
    # The bundle does not carry the seed; a verifier derives it as §2 says.
    seed = draw_seed(example["task_id"], bytes.fromhex(example["server_seed"]), "observer:42")
    assert seed.hex() == "45f288bdd64032a91ab1850e7e638d619b4895d5666ac10bcf87eb3109704fd8"


def test_the_verifier_command_prints_each_check_and_exits_0(capsys):
    assert main(["verify", str(EXAMPLE_PATH)]) == 0

    out = capsys.readouterr().out
    for check in ["snapshot_digest", "commitment", "quotas", "selected", "result_digest"]:
        assert f"passed  {check}" in out
    assert "passed  teams [DEP-EXAMPLE]" in out
    assert "6/6 checks passed" in out


def test_the_verifier_command_names_the_failed_check_and_exits_1(tmp_path, example, capsys):
    example["commitment"] = "0" * 64
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(example), encoding="utf-8")

    assert main(["verify", str(path)]) == 1

    out = capsys.readouterr().out
    assert "FAILED  commitment" in out
    assert "passed  selected" in out


def test_the_verifier_command_reports_in_json(tmp_path, example, capsys):
    _tamper_team(example)
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(example), encoding="utf-8")

    assert main(["verify", str(path), "--json"]) == 1

    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["mismatches"][0]["field"] == "teams"
    assert report["mismatches"][0]["department"] == "DEP-EXAMPLE"


def test_the_verifier_command_refuses_an_unreadable_bundle(tmp_path, capsys):
    path = tmp_path / "bundle.json"
    path.write_text("{not json", encoding="utf-8")

    assert main(["verify", str(path)]) == 1
    assert main(["verify", str(tmp_path / "missing.json")]) == 1

    assert "cannot verify" in capsys.readouterr().out


def test_the_engine_module_runs_the_verifier():
    done = subprocess.run(
        [sys.executable, "-m", "wurao.sampling.engine", "verify", str(EXAMPLE_PATH)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "bundle verifies" in done.stdout
    assert done.stderr == ""
