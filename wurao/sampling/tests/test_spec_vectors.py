"""The engine against the published spec itself: docs/random-draw-v1.md.

The spec ships in the repository with its test vectors and example bundle written out as JSON
blocks. These tests read those blocks from the document, not from a copy, and hold the engine
to every value in them, so the text anyone implements from and the code cannot drift apart.
No database.
"""

import json
import re
from fractions import Fraction
from pathlib import Path

import pytest

from wurao.sampling.allocation import StratumSpec, allocate, real_quotas
from wurao.sampling.bundle import verify_bundle
from wurao.sampling.engine import (
    SPEC,
    Candidates,
    commitment,
    draw_seed,
    keys,
    select,
    snapshot_digest,
)
from wurao.sampling.teams import PythonTeamKeys, TeamKeys, assign_teams

ROOT = Path(__file__).resolve().parents[3]
SPEC_DOC = ROOT / "docs" / "random-draw-v1.md"
EXAMPLE_FILE = Path(__file__).parent / "data" / "random-draw-v1.example.json"

_JSON_BLOCK = re.compile(r"^```json\n(.*?)^```$", re.S | re.M)


def _doc_text() -> str:
    return SPEC_DOC.read_text(encoding="utf-8")


def _json_blocks() -> list[dict]:
    return [json.loads(block) for block in _JSON_BLOCK.findall(_doc_text())]


def _vectors() -> dict:
    (block,) = [b for b in _json_blocks() if "vectors" in b]
    return block["vectors"]


def _example_bundle() -> dict:
    (block,) = [b for b in _json_blocks() if "vectors" not in b]
    return block


def _prose() -> str:
    """The document without its JSON blocks: what a reader reads as the vectors."""
    return _JSON_BLOCK.sub("", _doc_text())


def test_the_spec_document_has_the_vectors_block_and_the_example_bundle():
    blocks = _json_blocks()

    assert len(blocks) == 2
    assert all(block["spec"] == SPEC for block in blocks)


def test_every_value_of_the_vectors_block_is_also_in_the_text():
    # Given the machine-readable block, when each digest, seed and key is looked up in the prose,
    # then it is there: the block restates the text's vectors, it does not replace them.
    block = json.dumps(_vectors(), ensure_ascii=False)
    values = set(re.findall(r"\b[0-9a-f]{64}\b", block)) | set(
        re.findall(r'"([0-9]{15,20})"', block)
    )
    prose = _prose()

    missing = sorted(value for value in values if value not in prose)

    assert values
    assert missing == []


def test_snapshot_digest_matches_the_spec():
    vectors = _vectors()

    candidates = Candidates.from_pairs(vectors["candidates"])

    assert snapshot_digest(candidates) == vectors["snapshot_digest"]
    assert snapshot_digest(Candidates.from_pairs([])) == vectors["empty_lines_digest"]


@pytest.mark.parametrize("index", [0, 1])
def test_commitment_seed_and_keys_match_the_spec(index):
    vector = _vectors()["seeds"][index]
    server_seed = bytes.fromhex(vector["server_seed"])

    seed = draw_seed(vector["task_id"], server_seed, vector["external_entropy"])

    assert commitment(server_seed) == vector["commitment"]
    assert seed.hex() == vector["seed"]
    assert keys(seed, len(vector["keys"])).tolist() == [int(key) for key in vector["keys"]]


def test_selection_matches_the_spec():
    vectors = _vectors()
    vector = vectors["selection"]
    candidates = Candidates.from_pairs(vectors["candidates"])

    selection = select(candidates, vector["quotas"], bytes.fromhex(vector["seed"]))

    assert [list(pair) for pair in selection.selected.pairs()] == vector["selected"]
    assert selection.result_digest == vector["result_digest"]


@pytest.mark.parametrize("keys_class", [TeamKeys, PythonTeamKeys])
def test_team_keys_match_the_spec(keys_class):
    vector = _vectors()["team_keys"]
    badges = list(vector["keys"])

    found = keys_class(bytes.fromhex(vector["seed"])).keys(
        vector["credit_code"].encode(), tuple(badge.encode() for badge in badges)
    )

    assert found.tolist() == [int(vector["keys"][badge]) for badge in badges]


@pytest.mark.parametrize("index", [0, 1])
def test_teams_match_the_spec(index):
    vector = _vectors()["teams"][index]

    teams = assign_teams(
        vector["selected"],
        vector["roster"],
        vector["team_size"],
        vector["exclusions"],
        bytes.fromhex(vector["seed"]),
    )

    assert teams == vector["teams"]


@pytest.mark.parametrize("index", [0, 1, 2])
def test_allocation_matches_the_spec(index):
    vector = _vectors()["allocations"][index]
    strata = [StratumSpec(label, size, weight) for label, size, weight in vector["strata"]]

    real = real_quotas(strata, vector["total"])
    quotas = allocate(strata, vector["total"])

    assert real == {label: Fraction(q) for label, q in vector["real_quotas"].items()}
    assert quotas == vector["quotas"]
    assert sum(quotas.values()) == vector["total"]


def test_the_example_bundle_in_the_spec_is_the_example_file_and_verifies():
    # Given the bundle written out in the spec, when it is compared with the example file the
    # other verifier tests use and verified, then they are the same bundle and nothing mismatches.
    bundle = _example_bundle()

    assert bundle == json.loads(EXAMPLE_FILE.read_text(encoding="utf-8"))
    assert verify_bundle(bundle) == []
