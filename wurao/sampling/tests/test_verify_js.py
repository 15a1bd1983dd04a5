"""The browser verifier (static/sampling/draw-verify.js) in headless Chromium, against the spec.

random-draw-v1 fixes every byte of a draw so that anyone can re-run it. The verifier is written
from the spec alone, independently of the server's engine; these tests hold it to the spec's test
vector and example bundle, to tampered bundles, and to a larger bundle built here by a small
reference implementation of the spec in plain Python (hashlib, hmac, fractions, cryptography's
AES-CTR) that shares no code with wurao.sampling.
"""

import copy
import hashlib
import hmac
import json
import math
import random
import re
import time
from fractions import Fraction
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).parent / "data"
EXAMPLE = json.loads((DATA / "random-draw-v1.example.json").read_text(encoding="utf-8"))
SERVER_SEED_HEX = bytes(range(32)).hex()
VECTOR_CANDIDATES = [
    ["91440300MA5F000001", "A"],
    ["91440300MA5F000002", "B"],
    ["91440300MA5F000003", "A"],
    ["91440300MA5F000004", "C"],
]


# --- A reference implementation of the spec, sections 1-6, for building bundles ---------------


def _lines(pairs):
    return b"".join(code.encode() + b"\t" + stratum.encode() + b"\n" for code, stratum in pairs)


def _canonical(pairs):
    return sorted(pairs, key=lambda p: p[0].encode())


def _seed(task_id, server_seed, entropy):
    return hashlib.sha256(
        b"wurao-draw-v1\0" + task_id.encode() + b"\0" + server_seed + b"\0" + entropy.encode()
    ).digest()


def _keys(seed, n):
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    encryptor = Cipher(algorithms.AES(seed), modes.CTR(bytes(16))).encryptor()
    stream = encryptor.update(bytes(8 * n)) + encryptor.finalize()
    return [int.from_bytes(stream[8 * i : 8 * i + 8], "big") for i in range(n)]


def _allocate(strata, total):
    """strata: [(label, size, Fraction weight)] in listed order."""
    eligible = [s for s in strata if s[1] > 0 and s[2] > 0]
    assert 0 <= total <= sum(s[1] for s in eligible)
    saturated, lam = set(), Fraction(0)
    while True:
        open_ = [s for s in eligible if s[0] not in saturated]
        if not open_:
            break
        rest = total - sum(s[1] for s in eligible if s[0] in saturated)
        lam = Fraction(rest) / sum(s[2] * s[1] for s in open_)
        full = [s[0] for s in open_ if lam * s[2] >= 1]
        if not full:
            break
        saturated.update(full)
    real = {}
    for label, size, weight in strata:
        if (label, size, weight) not in eligible:
            real[label] = Fraction(0)
        else:
            real[label] = Fraction(size) if label in saturated else lam * weight * size
    quotas = {label: math.floor(q) for label, q in real.items()}
    pool = [i for i, s in enumerate(strata) if s in eligible and quotas[s[0]] < s[1]]
    pool.sort(key=lambda i: (-(real[strata[i][0]] - quotas[strata[i][0]]), -strata[i][2], i))
    for i in pool[: total - sum(quotas.values())]:
        quotas[strata[i][0]] += 1
    return quotas


def _select(canonical, keys, quotas):
    by_stratum = {}
    for (code, stratum), key in zip(canonical, keys, strict=True):
        by_stratum.setdefault(stratum, []).append((key, code.encode(), code))
    chosen = set()
    for stratum, members in by_stratum.items():
        members.sort()
        chosen.update(code for _, _, code in members[: quotas.get(stratum, 0)])
    return [list(p) for p in canonical if p[0] in chosen]


def _teams(seed, codes, roster, k, exclusions):
    if not codes:
        return {}
    cap = -(-k * len(codes) // len(roster))
    load = dict.fromkeys(roster, 0)
    teams = {}
    for code in codes:
        eligible = [b for b in roster if b not in set(exclusions.get(code, []))]
        assert len(eligible) >= k, code

        def rank(badge, code=code):
            mac = hmac.new(seed, b"team\0" + code.encode() + b"\0" + badge.encode(), hashlib.sha256)
            return int.from_bytes(mac.digest()[:8], "big"), badge.encode()

        eligible.sort(key=rank)
        limit = cap
        while len(team := [b for b in eligible if load[b] < limit][:k]) < k:
            limit += 1
        for b in team:
            load[b] += 1
        teams[code] = team
    return teams


def build_bundle(
    task_id,
    candidates,
    strata,
    *,
    total=None,
    quotas=None,
    departments=(),
    server_seed=None,
    entropy="observer:42",
):
    """A complete bundle by the reference implementation. strata: [(label, weight string)]."""
    server_seed = server_seed or bytes(range(32))
    canonical = _canonical([tuple(c) for c in candidates])
    seed = _seed(task_id, server_seed, entropy)
    sizes = {label: sum(1 for _, s in canonical if s == label) for label, _ in strata}
    if total is not None:
        quotas = _allocate([(label, sizes[label], Fraction(w)) for label, w in strata], total)
    selected = _select(canonical, _keys(seed, len(canonical)), quotas)
    codes = [code for code, _ in selected]
    return {
        "spec": "wurao-draw-v1",
        "task_id": task_id,
        "candidates": [list(c) for c in candidates],
        "snapshot_digest": hashlib.sha256(_lines(canonical)).hexdigest(),
        "strata": [{"label": label, "weight": w} for label, w in strata],
        "total": total,
        "quotas": quotas,
        "commitment": hashlib.sha256(server_seed).hexdigest(),
        "server_seed": server_seed.hex(),
        "external_entropy": entropy,
        "departments": [
            {
                "code": d["code"],
                "team_size": d["team_size"],
                "roster": d["roster"],
                "exclusions": d.get("exclusions", {}),
                "teams": _teams(seed, codes, d["roster"], d["team_size"], d.get("exclusions", {})),
            }
            for d in departments
        ],
        "selected": selected,
        "result_digest": hashlib.sha256(_lines([tuple(p) for p in selected])).hexdigest(),
    }


def two_department_bundle():
    """The example bundle's draw with a second department added."""
    return build_bundle(
        "T-1",
        EXAMPLE["candidates"],
        [(s["label"], s["weight"]) for s in EXAMPLE["strata"]],
        total=EXAMPLE["total"],
        departments=[
            {
                "code": "DEP-EXAMPLE",
                "team_size": 2,
                "roster": ["ZF001", "ZF002", "ZF003"],
                "exclusions": {"91440300MA5F000001": ["ZF003"]},
            },
            {
                "code": "DEP-2",
                "team_size": 3,
                "roster": ["SJ01", "SJ02", "SJ03", "SJ04"],
                "exclusions": {"91440300MA5F000004": ["SJ02"]},
            },
        ],
    )


# --- Browser fixtures -------------------------------------------------------------------------


@pytest.fixture
def verifier(page, live_server):
    """A page at the live server's origin with the module loaded as window.drawVerify."""
    page.goto(f"{live_server.url}/login/")
    # Imported from the platform, as the Content-Security-Policy allows (no inline script).
    page.evaluate(
        "async () => { window.drawVerify = await import('/static/sampling/draw-verify.js'); }"
    )
    page.wait_for_function("() => window.drawVerify !== undefined")
    return page


def verify(page, bundle):
    return page.evaluate("b => drawVerify.verifyBundle(b)", bundle)


def failing(result):
    return {(c["field"], c.get("department")) for c in result["checks"] if not c["ok"]}


def test_the_module_is_served_as_javascript_by_the_live_server(page, live_server):
    for name in ("draw-verify.js", "draw-verify-page.js"):
        response = page.request.get(f"{live_server.url}/static/sampling/{name}")
        assert response.status == 200
        assert "javascript" in response.headers["content-type"]


# --- (1) the example bundle -------------------------------------------------------------------


def test_the_spec_example_bundle_verifies(verifier):
    result = verify(verifier, EXAMPLE)

    assert result["ok"] is True
    assert all(c["ok"] for c in result["checks"])
    fields = [(c["field"], c.get("department")) for c in result["checks"]]
    for field in ("snapshot_digest", "commitment", "quotas", "selected", "result_digest"):
        assert (field, None) in fields
    assert ("teams", "DEP-EXAMPLE") in fields
    assert all(c["message_zh"] and c["message_en"] for c in result["checks"])


# --- (2) the spec's test vector ---------------------------------------------------------------


def test_the_spec_test_vector(verifier):
    got = verifier.evaluate(
        """async ([candidates, serverSeed]) => {
          const I = drawVerify._internals;
          const seed = await I.seedFromInputs("T-1", serverSeed, "observer:42");
          return {
            snapshot: await I.snapshotDigest(candidates),
            seed: I.toHex(seed),
            keys: Array.from(await I.keysFor(seed, 4), String),
            selected: await I.selectFrom(candidates, seed, {A: 1, B: 1, C: 0}),
            teams: await I.assignTeams(seed, ["91440300MA5F000001", "91440300MA5F000002"],
                                       ["ZF001", "ZF002", "ZF003"], 2,
                                       {"91440300MA5F000001": ["ZF003"]}),
            allocation1: I.allocate([{label: "A", size: 100, weight: "0.5"}, {label: "B", size: 50, weight: "1"},
                                     {label: "C", size: 10, weight: "2"}, {label: "D", size: 2, weight: "4"}], 10),
            allocation2: I.allocate([{label: "A", size: 3, weight: "1"}, {label: "B", size: 3, weight: "0"},
                                     {label: "C", size: 100, weight: "1"}], 20),
          };
        }""",
        [VECTOR_CANDIDATES, SERVER_SEED_HEX],
    )

    assert got["snapshot"] == "33ac4a68ee24fd56416c53cc7b8c84b235b25bbc247563fbd4e635ce1e969a9b"
    assert got["seed"] == "45f288bdd64032a91ab1850e7e638d619b4895d5666ac10bcf87eb3109704fd8"
    assert got["keys"] == [
        "9264285879711257666",
        "12152568052987367174",
        "5862176556289204771",
        "1361336090488020213",
    ]
    assert got["selected"] == [["91440300MA5F000002", "B"], ["91440300MA5F000003", "A"]]
    assert got["teams"] == {
        "91440300MA5F000001": ["ZF001", "ZF002"],
        "91440300MA5F000002": ["ZF001", "ZF003"],
    }
    assert got["allocation1"] == {"A": 4, "B": 4, "C": 1, "D": 1}
    assert got["allocation2"] == {"A": 1, "B": 0, "C": 19}


def test_the_test_vector_as_a_bundle_with_hand_set_quotas(verifier):
    bundle = build_bundle(
        "T-1",
        list(reversed(VECTOR_CANDIDATES)),
        [("A", "1"), ("B", "1"), ("C", "1")],
        quotas={"A": 1, "B": 1, "C": 0},
        departments=[
            {"code": "DEP-EXAMPLE", "team_size": 2, "roster": ["ZF001", "ZF002", "ZF003"]}
        ],
    )
    assert bundle["selected"] == [["91440300MA5F000002", "B"], ["91440300MA5F000003", "A"]]

    assert verify(verifier, bundle)["ok"] is True

    bundle["quotas"]["C"] = 2  # only one enterprise in C
    result = verify(verifier, bundle)
    # The quotas are wrong, so nothing after them can be recomputed.
    assert failing(result) == {
        ("quotas", None),
        ("selected", None),
        ("result_digest", None),
        ("teams", "DEP-EXAMPLE"),
    }
    (check,) = [c for c in result["checks"] if c["field"] == "quotas"]
    assert "C: 2" in check["message_zh"]


def test_allocation_edge_cases(verifier):
    got = verifier.evaluate(
        """() => {
          const I = drawVerify._internals;
          const run = (strata, total) => { try { return I.allocate(strata, total); } catch (e) { return {error: e.message_zh}; } };
          return {
            everything: run([{label: "A", size: 3, weight: "0.5"}, {label: "B", size: 2, weight: "3"}], 5),
            nothing: run([{label: "A", size: 3, weight: "0.5"}, {label: "B", size: 2, weight: "3"}], 0),
            tieOnWeight: run([{label: "A", size: 10, weight: "1"}, {label: "B", size: 10, weight: "1"}], 1),
            tieOnFraction: run([{label: "A", size: 2, weight: "1.0"}, {label: "B", size: 1, weight: "2"}], 1),
            tooMany: run([{label: "A", size: 3, weight: "1"}, {label: "B", size: 5, weight: "0"}], 4),
          };
        }"""
    )

    assert got["everything"] == {"A": 3, "B": 2}
    assert got["nothing"] == {"A": 0, "B": 0}
    assert got["tieOnWeight"] == {"A": 1, "B": 0}  # same fraction, same weight: listed order
    assert got["tieOnFraction"] == {"A": 0, "B": 1}  # both 1/2: the higher weight wins
    assert "超过" in got["tooMany"]["error"]


# --- (3) tampering is reported by field name --------------------------------------------------


def _flip_hex(value):
    return ("0" if value[0] != "0" else "1") + value[1:]


TAMPERING = {
    "commitment": lambda b: b.update(commitment=_flip_hex(b["commitment"])),
    "snapshot_digest": lambda b: b.update(snapshot_digest=_flip_hex(b["snapshot_digest"])),
    "quotas": lambda b: b["quotas"].update(A=1, B=0),
    "selected": lambda b: b["selected"].__setitem__(1, ["91440300MA5F000003", "A"]),
    "result_digest": lambda b: b.update(result_digest=_flip_hex(b["result_digest"])),
    "teams": lambda b: b["departments"][1]["teams"]["91440300MA5F000004"].reverse(),
}


@pytest.mark.parametrize("field", TAMPERING)
def test_tampering_with_a_derived_field_is_reported_by_its_name(verifier, field):
    bundle = two_department_bundle()
    assert verify(verifier, bundle)["ok"] is True
    TAMPERING[field](bundle)

    result = verify(verifier, bundle)

    assert result["ok"] is False
    expected = {(field, "DEP-2" if field == "teams" else None)}
    assert failing(result) == expected
    (check,) = [c for c in result["checks"] if not c["ok"]]
    assert check["expected"] != check["found"]
    if field == "teams":
        assert "DEP-2" in check["message_zh"] and "91440300MA5F000004" in check["message_zh"]


def test_a_badge_in_two_rosters_and_too_few_inspectors_are_errors(verifier):
    bundle = two_department_bundle()
    bundle["departments"][1]["roster"].append("ZF002")
    result = verify(verifier, bundle)
    assert failing(result) == {("teams", "DEP-EXAMPLE"), ("teams", "DEP-2")}
    assert all("ZF002" in c["message_zh"] for c in result["checks"] if not c["ok"])

    bundle = two_department_bundle()
    bundle["departments"][1]["exclusions"]["91440300MA5F000002"] = ["SJ01", "SJ02"]
    result = verify(verifier, bundle)
    (check,) = [c for c in result["checks"] if not c["ok"]]
    assert (check["field"], check["department"]) == ("teams", "DEP-2")
    assert (
        "91440300MA5F000002" in check["message_zh"] and "91440300MA5F000002" in check["message_en"]
    )


def test_malformed_input_fails_cleanly(verifier):
    bundle = copy.deepcopy(EXAMPLE)
    bundle["server_seed"] = "zz"
    result = verify(verifier, bundle)
    assert {"server_seed", "commitment", "selected", "result_digest", "teams"} <= {
        f for f, _ in failing(result)
    }
    assert ("snapshot_digest", None) not in failing(result)

    result = verifier.evaluate("() => drawVerify.verifyBundle('{not json')")
    assert result["ok"] is False and result["checks"][0]["field"] == "bundle"


# --- The page wiring --------------------------------------------------------------------------

PAGE = """
<div id="draw-verify" data-bundle-url="/draw-bundle-for-test.json">
  <input type="file" id="bundle-file" accept=".json,application/json">
  <textarea id="bundle-json"></textarea>
  <button type="button" id="verify-button">核验</button>
  <p id="verify-progress" role="status"></p>
  <div id="verify-results"></div>
</div>
"""


def test_the_page_verifies_pasted_fetched_and_uploaded_bundles(page, live_server, tmp_path):
    tampered = copy.deepcopy(EXAMPLE)
    tampered["departments"][0]["teams"]["91440300MA5F000002"] = ["<img src=x id=injected>", "ZF003"]
    page.route(
        f"{live_server.url}/draw-bundle-for-test.json",
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(EXAMPLE)
        ),
    )
    page.goto(f"{live_server.url}/login/")
    page.set_content(PAGE)
    page.add_script_tag(type="module", url="/static/sampling/draw-verify-page.js")
    results = page.locator("#verify-results")

    # Nothing chosen, nothing pasted: the bundle comes from data-bundle-url.
    page.click("#verify-button")
    page.wait_for_selector("#verify-results[data-state=passed]")
    assert "✔ 通过" in results.inner_text()
    assert "核验通过" in page.locator("#verify-progress").inner_text()

    # Pasted text.
    page.fill("#bundle-json", json.dumps(tampered))
    page.click("#verify-button")
    page.wait_for_selector("#verify-results[data-state=failed]")
    assert page.locator("#injected").count() == 0  # untrusted text is rendered as text
    assert "<img src=x id=injected>" in results.inner_text()
    assert (
        results.locator("li[data-field=teams][data-department=DEP-EXAMPLE][data-ok=false]").count()
        == 1
    )
    assert "✘ 不符" in results.inner_text()

    # A file takes precedence over pasted text.
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    page.set_input_files("#bundle-file", str(path))
    page.click("#verify-button")
    page.wait_for_selector("#verify-results[data-state=passed]")
    assert (
        results.locator("li[data-field=teams][data-department=DEP-EXAMPLE][data-ok=true]").count()
        == 1
    )


def test_an_english_page_reads_the_verification_in_english(page, live_server):
    # Given the verifier on a page the user reads in English (the switch sets <html lang>)
    page.route(
        f"{live_server.url}/draw-bundle-for-test.json",
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(EXAMPLE)
        ),
    )
    page.goto(f"{live_server.url}/login/")
    page.set_content(f'<html lang="en"><body>{PAGE}</body></html>')
    page.add_script_tag(type="module", url="/static/sampling/draw-verify-page.js")

    # When the bundle is verified
    page.click("#verify-button")
    page.wait_for_selector("#verify-results[data-state=passed]")

    # Then the status line and every check are in English only
    status = page.locator("#verify-progress").inner_text()
    results = page.locator("#verify-results").inner_text()
    assert status.startswith("Verified (") and "All " in results and "✔ passed" in results
    assert not re.search(r"[\u4e00-\u9fff]", status + results)


# --- (4) a larger bundle from the reference implementation ------------------------------------


def test_a_larger_bundle_agrees_with_the_reference_implementation(verifier):
    pytest.importorskip("cryptography")
    rng = random.Random(20240501)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    codes = set()
    while len(codes) < 50_000:
        codes.add("9144" + "".join(rng.choice(alphabet) for _ in range(14)))
    grades = ["A"] * 20 + ["B"] * 50 + ["C"] * 20 + ["D"] * 5 + ["U"] * 5
    candidates = [[code, rng.choice(grades)] for code in codes]  # set order: not canonical
    roster_a = [f"YJ{n:04d}" for n in range(40)]
    roster_b = [f"SC{n:03d}" for n in range(25)]
    started = time.perf_counter()
    bundle = build_bundle(
        "T-2024-0501",
        candidates,
        [("A", "0.25"), ("B", "0.5"), ("C", "1"), ("D", "2.5"), ("U", "1")],
        total=1500,
        server_seed=bytes(rng.randrange(256) for _ in range(32)),
        entropy="上证指数 2024-05-06 收盘 3147.74",
        departments=[
            {
                "code": "YJ",
                "team_size": 2,
                "roster": roster_a,
                "exclusions": {c: rng.sample(roster_a, 3) for c, _ in candidates[::50]},
            },
            {"code": "SC", "team_size": 3, "roster": roster_b},
        ],
    )
    built = time.perf_counter() - started
    assert len(bundle["selected"]) == 1500

    got = verifier.evaluate(
        """async (bundle) => {
          const t0 = performance.now();
          const result = await drawVerify.verifyBundle(bundle);
          const ms = performance.now() - t0;
          const selected = result.checks.find(c => c.field === "selected");
          const digest = result.checks.find(c => c.field === "result_digest");
          return {ok: result.ok, ms, failing: result.checks.filter(c => !c.ok).map(c => c.message_en),
                  selected: selected.expected, resultDigest: digest.expected};
        }""",
        bundle,
    )

    print(
        f"\n50,000 candidates, 1,500 selected, 2 departments: reference build {built:.2f} s, browser verification {got['ms'] / 1000:.2f} s"
    )
    assert got["failing"] == []
    assert got["ok"] is True
    assert got["selected"] == bundle["selected"]
    assert got["resultDigest"] == bundle["result_digest"]
