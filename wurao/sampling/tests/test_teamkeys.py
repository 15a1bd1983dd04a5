"""The team-key extension (`_teamkeys.c`, OpenSSL's SHA-256): it must be built, and it must
agree with the `hmac` module and with the Python reference (`PythonTeamKeys`) on any input;
without it the engine falls back to the reference, saying so."""

import hmac
import logging
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wurao.sampling import teams
from wurao.sampling.engine import draw_seed
from wurao.sampling.teams import NativeTeamKeys, PythonTeamKeys, assign_teams

SEED = draw_seed("T-1", bytes(range(32)), "observer:42")
CODE = b"91440300MA5F000001"


def hmac_keys(key, prefix, suffixes):
    return [
        int.from_bytes(hmac.digest(key, prefix + suffix, "sha256")[:8], "big")
        for suffix in suffixes
    ]


def test_the_extension_is_built_and_used():
    # A broken or missing build must fail here, not only make draws slower.
    from wurao.sampling import _teamkeys

    assert teams._teamkeys is _teamkeys
    assert teams.TeamKeys is NativeTeamKeys
    assert teams._keys_class() is NativeTeamKeys


@settings(max_examples=300, deadline=None)
@given(
    key=st.binary(max_size=100),
    prefix=st.binary(max_size=80),
    suffixes=st.lists(st.binary(max_size=150), max_size=9),
)
def test_extension_keys_are_the_first_8_bytes_of_hmac_sha256(key, prefix, suffixes):
    # Keys shorter and longer than the 64-byte block, messages ending in the first block,
    # at its boundary and beyond it; odd and even counts (keys go two at a time).
    from wurao.sampling._teamkeys import Hmac

    computed = np.frombuffer(Hmac(key).keys(prefix, suffixes), dtype=np.uint64)

    assert computed.tolist() == hmac_keys(key, prefix, suffixes)


@settings(max_examples=200, deadline=None)
@given(
    seed=st.binary(min_size=32, max_size=32),
    code=st.text(max_size=20).map(str.encode),
    badges=st.lists(st.text(min_size=1, max_size=40).map(str.encode), max_size=12),
)
def test_native_team_keys_equal_the_python_reference(seed, code, badges):
    native = NativeTeamKeys(seed).keys(code, badges)
    reference = PythonTeamKeys(seed).keys(code, badges)

    assert native.dtype == reference.dtype == np.uint64
    assert native.tolist() == reference.tolist()


def test_native_team_keys_on_a_roster_of_two_thousand():
    badges = tuple(f"440309{i:05d}".encode() for i in range(2001))

    native = NativeTeamKeys(SEED).keys(CODE, badges)

    assert native.tolist() == PythonTeamKeys(SEED).keys(CODE, badges).tolist()
    assert native[:3].tolist() == hmac_keys(SEED, b"team\0" + CODE + b"\0", badges[:3])


def test_one_hmac_object_serves_several_threads_at_once():
    from wurao.sampling._teamkeys import Hmac

    shared = Hmac(SEED)
    badges = [f"ZF{i:04d}".encode() for i in range(3000)]
    codes = [f"91440300MA5F{i:06d}".encode() for i in range(8)]
    results = {}

    def work(code):
        results[code] = shared.keys(code, badges)

    threads = [threading.Thread(target=work, args=(code,)) for code in codes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for code in codes:
        assert bytes(results[code]) == bytes(Hmac(SEED).keys(code, badges))


def test_extension_refuses_what_is_not_bytes():
    from wurao.sampling._teamkeys import Hmac

    hmac_ = Hmac(SEED)
    with pytest.raises(TypeError, match=r"suffixes\[1\] must be bytes, not str"):
        hmac_.keys(b"p", [b"a", "b"])
    with pytest.raises(TypeError):
        hmac_.keys(b"p", 5)
    with pytest.raises(TypeError):
        hmac_.keys("p", [b"a"])
    with pytest.raises(TypeError):
        hmac_.keys(b"p")
    with pytest.raises(TypeError):
        Hmac("seed")
    assert hmac_.keys(b"p", []) == bytearray()


def test_without_the_extension_the_python_keys_give_the_same_teams(monkeypatch, caplog):
    codes = [f"91440300MA5F{i:06d}" for i in range(0, 300, 3)]
    roster = [f"ZF{i:03d}" for i in range(30)]
    exclusions = {codes[5]: [f"ZF{i:03d}" for i in range(20)]}
    native = assign_teams(codes, roster, 2, exclusions, SEED, depth=2)
    monkeypatch.setattr(teams, "_teamkeys", None)
    teams._warn_python_keys.cache_clear()

    with caplog.at_level(logging.WARNING, logger="wurao.sampling.teams"):
        first = assign_teams(codes, roster, 2, exclusions, SEED, depth=2)
        second = assign_teams(codes, roster, 2, exclusions, SEED)

    assert first == second == native
    warnings = [r for r in caplog.records if "_teamkeys is not built" in r.getMessage()]
    assert len(warnings) == 1
    teams._warn_python_keys.cache_clear()


def test_without_the_extension_worker_processes_give_the_same_teams(monkeypatch):
    codes = [f"91440300MA5F{i:06d}" for i in range(0, 200, 3)]
    roster = [f"ZF{i:03d}" for i in range(25)]
    exclusions = {codes[1]: ["ZF003", "ZF004"]}
    native = assign_teams(codes, roster, 2, exclusions, SEED)
    monkeypatch.setattr(teams, "_teamkeys", None)
    monkeypatch.setattr(teams, "PROCESS_MIN_KEYS", 0)

    assert assign_teams(codes, roster, 2, exclusions, SEED, workers=2) == native
