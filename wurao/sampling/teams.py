"""Inspector teams (双随机: the second random), spec wurao-draw-v1 §6. Python and NumPy, the
team keys in a small C extension over OpenSSL (`_teamkeys.c`).

For each selected enterprise in canonical order, rank the inspectors not excluded from it by
(team_key, badge) and take the first k whose load is below the cap, raising the cap for that
enterprise alone when fewer than k are below it. The law asks for at least two officers on
site (《行政处罚法》第四十二条：执法人员不得少于两人), hence k defaults to 2 upstream.

Speed. Every team key is an HMAC, and the first k under the cap can be any of the inspectors
not yet at the cap, so the keys of all of those are needed; what this module saves is the
keys of the others and the overhead around them:
- the keys are computed in native code (`_teamkeys.Hmac`, OpenSSL's SHA-256: about 0.1 µs
  a key against 0.47 µs in Python); the HMAC key's inner and outer pad blocks are hashed
  once, and the inner state is extended with the enterprise's part of the message once per
  enterprise. `PythonTeamKeys` does the same with hashlib: it is the reference the tests
  hold the extension to, and is used only if the extension cannot be imported (a warning
  is logged);
- the enterprises go in chunks (`chunk`, default 100), and an inspector at the cap when a
  chunk is started is not keyed for any enterprise of it: loads only grow, so such an
  inspector can join one of those teams only if that enterprise's cap is raised (about
  11% of the keys in a draw of 20,000 enterprises by 2,000 inspectors, nearly all in its
  last quarter);
- each enterprise's ranking is kept only to a short prefix (`depth` best-ranked inspectors
  among those keyed, found by a partition); when the loads leave fewer than k of them
  usable (the prefix used up by the loads since the chunk was started, or a cap to raise),
  the keys of the inspectors still usable are computed again and ranked in full — the same
  team, rarely;
- the keys, which do not depend on the loads beyond that, can be computed in several
  threads (the extension releases the GIL) a few chunks ahead of the assignment, or
  without the extension in worker processes.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import closing
from itertools import islice
from multiprocessing import get_context

import numpy as np
import numpy.typing as npt

from wurao.sampling.engine import (
    DrawErrorCode,
    IndexArray,
    KeyArray,
    SeedError,
    TeamError,
    code_array,
)

try:
    from wurao.sampling import _teamkeys
except ImportError as error:  # not built: scripts/setup builds it (needs libssl-dev)
    _teamkeys = None
    _TEAMKEYS_ERROR: ImportError | None = error
else:
    _TEAMKEYS_ERROR = None

logger = logging.getLogger(__name__)

TEAM_LABEL = b"team"
# Prefix depth: enough that the loads rarely exhaust it before the last enterprises.
DEFAULT_DEPTH = 32
# Enterprises per chunk of prefixes. Inspectors at the cap when a chunk is started are
# skipped for all of it, so smaller chunks skip more; each chunk costs a few tens of µs.
DEFAULT_CHUNK = 100
# Chunks given to the pool ahead of the assignment, per worker.
AHEAD = 2
# Below this many keys (a few milliseconds in native code) threads cost more than they save.
PARALLEL_MIN_KEYS = 200_000
# Without the extension: below this many keys (about a second of work in Python) starting
# worker processes costs more than it saves.
PROCESS_MIN_KEYS = 2_000_000


def _check_seed(seed: bytes) -> None:
    if not isinstance(seed, bytes) or len(seed) != 32:
        raise SeedError(
            DrawErrorCode.SEED_INVALID, "抽取种子须为 32 字节", "the draw seed must be 32 bytes"
        )


def _message_prefix(code: bytes) -> bytes:
    """The part of a team key's message before the badge: "team" 0x00 code 0x00."""
    return TEAM_LABEL + b"\0" + code + b"\0"


class NativeTeamKeys:
    """team_key(code, badge) = first 8 bytes of HMAC-SHA256(seed, "team" 0x00 code 0x00
    badge), as a big-endian uint64 (spec §6), computed by the `_teamkeys` extension (the
    pad blocks hashed once per seed, the message prefix once per enterprise). Several
    threads may use one instance at once."""

    def __init__(self, seed: bytes) -> None:
        _check_seed(seed)
        if _teamkeys is None:
            raise ImportError("the wurao.sampling._teamkeys extension is not built") from (
                _TEAMKEYS_ERROR
            )
        self._hmac = _teamkeys.Hmac(seed)

    def keys(self, code: bytes, badges: Sequence[bytes]) -> KeyArray:
        """The team keys of one enterprise with each of `badges` (UTF-8 bytes; a tuple is
        used as it is, any other sequence copied to one)."""
        return np.frombuffer(self._hmac.keys(_message_prefix(code), badges), dtype=np.uint64)


class PythonTeamKeys:
    """The same keys in Python (hashlib): the reference for `NativeTeamKeys`, and the
    fallback when the extension is not built. HMAC is written out (RFC 2104) to reuse the
    hashed pad blocks; a test checks it against the `hmac` module."""

    def __init__(self, seed: bytes) -> None:
        _check_seed(seed)
        block = seed.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in block))
        self._outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in block))

    def keys(self, code: bytes, badges: Sequence[bytes]) -> KeyArray:
        """The team keys of one enterprise with each of `badges` (UTF-8 bytes)."""
        inner = self._inner.copy()
        inner.update(_message_prefix(code))
        copy_inner, copy_outer = inner.copy, self._outer.copy
        digests: list[bytes] = []
        append = digests.append
        for badge in badges:
            message = copy_inner()
            message.update(badge)
            mac = copy_outer()
            mac.update(message.digest())
            append(mac.digest())
        # Each digest is 32 bytes: the first of its four big-endian words is the key.
        words = np.frombuffer(b"".join(digests), dtype=">u8")
        return words[::4].astype(np.uint64)


AnyTeamKeys = NativeTeamKeys | PythonTeamKeys
# What the engine uses: the extension if it is built.
TeamKeys: type[AnyTeamKeys] = NativeTeamKeys if _teamkeys is not None else PythonTeamKeys


def _keys_class() -> type[AnyTeamKeys]:
    if _teamkeys is not None:
        return NativeTeamKeys
    _warn_python_keys()
    return PythonTeamKeys


@functools.cache
def _warn_python_keys() -> None:
    logger.warning(
        "wurao.sampling._teamkeys is not built (%s): team keys are computed in Python, "
        "about 5 times slower; run scripts/setup to build it",
        _TEAMKEYS_ERROR,
    )


def ranking_prefix(keys: KeyArray, members: IndexArray, depth: int) -> IndexArray:
    """The start of `members` ranked by (keys[member], member): at least `depth` of them
    (all, if fewer), and every member whose key ties the last one kept."""
    member_keys = keys[members]
    if len(members) > depth:
        threshold = np.partition(member_keys, depth - 1)[depth - 1]
        keep = member_keys <= threshold
        members, member_keys = members[keep], member_keys[keep]
    return members[np.lexsort((members, member_keys))]


def _members(roster_size: int, excluded: IndexArray) -> IndexArray:
    """Roster positions not excluded, ascending (`excluded`: distinct roster positions)."""
    everyone = np.arange(roster_size, dtype=np.intp)
    # np.delete, not np.setdiff1d: the same positions, without a hash of the whole roster.
    return np.delete(everyone, excluded) if excluded.size else everyone


def _prefixes(
    keys_class: type[AnyTeamKeys],
    seed: bytes,
    codes: Sequence[bytes],
    badges: Sequence[bytes],
    excluded: Sequence[IndexArray],
    depth: int,
    under: IndexArray,
) -> list[IndexArray]:
    """Each enterprise's ranking prefix among its members in `under` (roster positions,
    ascending: the inspectors not yet at the cap); only the keys of `under` are computed."""
    team_keys = keys_class(seed)
    candidates = tuple(map(badges.__getitem__, under.tolist()))
    everyone = np.arange(len(under), dtype=np.intp)
    prefixes = []
    for code, out in zip(codes, excluded, strict=True):
        members = everyone
        if out.size:
            # The excluded that are in `under`, as indices into it. `under` is ascending,
            # so ranking indices into it breaks ties between keys by badge, as positions do.
            at = np.searchsorted(under, out)
            found = at < len(under)
            found[found] = under[at[found]] == out[found]
            members = np.delete(everyone, at[found])
        keys = team_keys.keys(code, candidates)
        prefixes.append(under[ranking_prefix(keys, members, depth)])
    return prefixes


def _under_cap(at_cap: npt.NDArray[np.bool_]) -> IndexArray:
    return np.flatnonzero(~at_cap)


def _ranked_prefixes(
    keys_class: type[AnyTeamKeys],
    seed: bytes,
    codes: Sequence[bytes],
    badges: Sequence[bytes],
    excluded: Sequence[IndexArray],
    depth: int,
    workers: int,
    chunk: int,
    at_cap: npt.NDArray[np.bool_],
) -> Iterator[IndexArray]:
    """Each enterprise's ranking prefix, in order, among its members that were not at the
    cap when its chunk was started. `at_cap` is read then: the caller sets it while it
    assigns the teams of the chunks before. Loads only grow, so whoever is read at the cap
    (even while the caller writes) is at it for good, and cannot be in a team unless that
    enterprise's cap is raised."""
    bounds = [*range(0, len(codes), chunk), len(codes)]
    chunks = iter(zip(bounds, bounds[1:], strict=False))
    native = keys_class is NativeTeamKeys
    min_keys = PARALLEL_MIN_KEYS if native else PROCESS_MIN_KEYS
    if workers <= 1 or len(codes) * len(badges) < min_keys:
        for start, stop in chunks:
            under = _under_cap(at_cap)
            yield from _prefixes(
                keys_class, seed, codes[start:stop], badges, excluded[start:stop], depth, under
            )
        return

    def in_thread(start: int, stop: int) -> list[IndexArray]:
        # at_cap read as the thread starts the chunk: the most recent loads it can have.
        under = _under_cap(at_cap)
        return _prefixes(
            keys_class, seed, codes[start:stop], badges, excluded[start:stop], depth, under
        )

    # Threads when the keys are native code (it runs without the GIL); otherwise processes,
    # with "spawn": no fork of a caller that may hold threads, locks or database connections.
    pool: Executor
    if native:
        pool = ThreadPoolExecutor(max_workers=workers)

        def submit(start: int, stop: int) -> Future[list[IndexArray]]:
            return pool.submit(in_thread, start, stop)
    else:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))

        def submit(start: int, stop: int) -> Future[list[IndexArray]]:
            under = _under_cap(at_cap)  # read now: a process cannot see the caller's loads
            return pool.submit(
                _prefixes,
                keys_class,
                seed,
                codes[start:stop],
                badges,
                excluded[start:stop],
                depth,
                under,
            )

    # A few chunks ahead per worker, no more: enough that no worker waits for the caller,
    # few enough that each chunk starts with recent loads.
    pending = deque(submit(start, stop) for start, stop in islice(chunks, AHEAD * workers))
    try:
        while pending:
            future = pending.popleft()
            following = next(chunks, None)
            if following is not None:
                pending.append(submit(*following))
            yield from future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _checked_roster(roster: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    for badge in roster:
        if not isinstance(badge, str) or not badge:
            raise TeamError(
                DrawErrorCode.BADGE_INVALID,
                f"执法证号须为非空文字：{badge!r}",
                f"a badge number must be a non-empty string: {badge!r}",
                badge=badge,
            )
        if badge in seen:
            raise TeamError(
                DrawErrorCode.ROSTER_DUPLICATE,
                f"执法人员名单中执法证号 {badge} 出现两次",
                f"badge {badge} is listed twice in the roster",
                badge=badge,
            )
        seen.add(badge)
    # Ties between keys go to the smaller badge; str order is the order of the UTF-8 bytes.
    return sorted(roster)


def assign_teams(
    selected_codes: Sequence[str],
    roster: Sequence[str],
    k: int,
    exclusions: Mapping[str, Iterable[str]],
    seed: bytes,
    *,
    workers: int = 1,
    depth: int = DEFAULT_DEPTH,
    chunk: int = DEFAULT_CHUNK,
) -> dict[str, list[str]]:
    """Spec §6: each selected enterprise's team, badges in ranked order.

    `selected_codes` in canonical order; `exclusions` maps a credit code to the badges that
    must not inspect it (badges not on the roster are ignored). `workers` > 1 computes the
    keys in that many threads (processes if the extension is not built; more than the
    cores is slower); `depth` and `chunk` (enterprises keyed as of the same loads) only
    trade between costs: the teams are the same for any values. Raises TeamError
    naming the enterprise when fewer than k inspectors may inspect it."""
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise TeamError(
            DrawErrorCode.TEAM_SIZE_INVALID,
            f"每组人数须为不小于 1 的整数，实为 {k!r}",
            f"the team size must be an integer ≥ 1, got {k!r}",
        )
    if depth < 1:
        raise ValueError(f"depth must be >= 1, got {depth}")
    if chunk < 1:
        raise ValueError(f"chunk must be >= 1, got {chunk}")
    codes = code_array(selected_codes)
    if len(codes) > 1 and not bool(np.all(codes[1:] > codes[:-1])):
        raise TeamError(
            DrawErrorCode.SELECTED_NOT_CANONICAL,
            "被抽中企业须按统一社会信用代码升序排列且不重复",
            "the selected enterprises must be in ascending credit-code order, without repeats",
        )
    badges = _checked_roster(roster)
    _check_seed(seed)
    if not len(codes):
        return {}
    if not badges:
        raise TeamError(
            DrawErrorCode.ROSTER_EMPTY,
            f"执法人员名单为空，无法为 {len(codes)} 家被抽中企业派员",
            f"the roster is empty: no team for the {len(codes)} selected enterprises",
        )
    position = {badge: i for i, badge in enumerate(badges)}
    code_texts = [code.decode() for code in codes.tolist()]
    excluded: list[IndexArray] = []
    for code in code_texts:
        out = _excluded_positions(code, exclusions.get(code, ()), position)
        if len(badges) - len(out) < k:
            raise TeamError(
                DrawErrorCode.TOO_FEW_INSPECTORS,
                f"企业 {code} 可派执法人员不足：每组需 {k} 名，名单 {len(badges)} 名中"
                f"回避 {len(out)} 名后只剩 {len(badges) - len(out)} 名",
                f"too few inspectors for enterprise {code}: a team needs {k}, and only "
                f"{len(badges) - len(out)} of the {len(badges)} on the roster are not excluded",
                credit_code=code,
            )
        excluded.append(out)

    keys_class = _keys_class()
    team_keys = keys_class(seed)
    badge_bytes = tuple(badge.encode() for badge in badges)
    code_bytes = codes.tolist()
    cap = -(-k * len(codes) // len(badges))
    loads = [0] * len(badges)
    at_cap = np.zeros(len(badges), dtype=np.bool_)
    teams: dict[str, list[str]] = {}
    prefixes = _ranked_prefixes(
        keys_class, seed, code_bytes, badge_bytes, excluded, depth, workers, chunk, at_cap
    )
    with closing(prefixes):
        for e, (code, prefix) in enumerate(zip(code_texts, prefixes, strict=True)):
            team: list[int] = []
            for r in prefix.tolist():
                if loads[r] < cap:
                    team.append(r)
                    if len(team) == k:
                        break
            if len(team) < k:
                members = _members(len(badges), excluded[e])
                team = _team_beyond_prefix(
                    team_keys, code_bytes[e], badge_bytes, members, prefix, loads, cap, k
                )
            for r in team:
                loads[r] += 1
                if loads[r] == cap:
                    at_cap[r] = True
            teams[code] = [badges[r] for r in team]
    return teams


def _excluded_positions(
    code: str, badges: Iterable[str], position: Mapping[str, int]
) -> IndexArray:
    if isinstance(badges, str):
        raise TeamError(
            DrawErrorCode.BADGE_INVALID,
            f"企业 {code} 的回避名单须为执法证号列表，实为文字 {badges!r}",
            f"the exclusions of enterprise {code} must be a list of badges, got the string {badges!r}",
            credit_code=code,
        )
    return np.array(sorted({position[b] for b in badges if b in position}), dtype=np.intp)


def _team_beyond_prefix(
    team_keys: AnyTeamKeys,
    code: bytes,
    badges: Sequence[bytes],
    members: IndexArray,
    prefix: IndexArray,
    loads: list[int],
    cap: int,
    k: int,
) -> list[int]:
    """The team when the prefix holds fewer than k inspectors under the cap: raise this
    enterprise's cap as the spec does (to the lowest cap that k inspectors are under), then
    take the first k under it in the full ranking."""
    member_loads = np.asarray(loads)[members]
    kth_lowest = int(np.partition(member_loads, k - 1)[k - 1])
    own_cap = max(cap, kth_lowest + 1)
    # The prefix ranks every member only if none was left out, by depth or at the cap.
    if len(prefix) == len(members):
        usable = [r for r in prefix.tolist() if loads[r] < own_cap]
        return usable[:k]
    usable_members = members[member_loads < own_cap]
    usable_keys = team_keys.keys(code, [badges[r] for r in usable_members.tolist()])
    order = np.lexsort((usable_members, usable_keys))
    return [int(r) for r in usable_members[order[:k]]]
