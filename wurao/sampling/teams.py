"""Inspector teams (双随机: the second random), spec wurao-draw-v1 §6. Pure Python and NumPy.

For each selected enterprise in canonical order, rank the inspectors not excluded from it by
(team_key, badge) and take the first k whose load is below the cap, raising the cap for that
enterprise alone when fewer than k are below it. The law asks for at least two officers on
site (《行政处罚法》第四十二条：执法人员不得少于两人), hence k defaults to 2 upstream.

Speed. Every team key is an HMAC, and the first k under the cap can be any of the inspectors
not yet at the cap, so nearly all |selected| × |roster| keys are needed; what this module
saves is the overhead around them:
- the HMAC key's inner and outer pad blocks are hashed once (hashlib states copied per key,
  about half the cost of `hmac.new`), and the inner state is extended with the enterprise's
  part of the message once per enterprise;
- each enterprise's ranking is kept only to a short prefix (`depth` best-ranked inspectors,
  found by a partition); when the loads leave fewer than k of them usable, the keys of the
  inspectors still usable are computed again and ranked in full — the same team, rarely;
- the keys, which do not depend on the loads, can be computed in worker processes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import numpy as np

from wurao.sampling.engine import (
    DrawErrorCode,
    IndexArray,
    KeyArray,
    SeedError,
    TeamError,
    code_array,
)

TEAM_LABEL = b"team"
# Prefix depth: enough that the loads rarely exhaust it before the last enterprises.
DEFAULT_DEPTH = 32
# Below this many keys (about a second of work) starting worker processes costs more than
# it saves.
PARALLEL_MIN_KEYS = 2_000_000


class TeamKeys:
    """team_key(code, badge) = first 8 bytes of HMAC-SHA256(seed, "team" 0x00 code 0x00
    badge), as a big-endian uint64 (spec §6). HMAC is written out (RFC 2104) to reuse the
    hashed pad blocks; a test checks it against the `hmac` module."""

    def __init__(self, seed: bytes) -> None:
        if not isinstance(seed, bytes) or len(seed) != 32:
            raise SeedError(
                DrawErrorCode.SEED_INVALID, "抽取种子须为 32 字节", "the draw seed must be 32 bytes"
            )
        block = seed.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in block))
        self._outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in block))

    def keys(self, code: bytes, badges: Sequence[bytes]) -> KeyArray:
        """The team keys of one enterprise with each of `badges` (UTF-8 bytes)."""
        inner = self._inner.copy()
        inner.update(TEAM_LABEL + b"\0" + code + b"\0")
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
    """Roster positions not excluded, ascending."""
    everyone = np.arange(roster_size, dtype=np.intp)
    return np.setdiff1d(everyone, excluded) if excluded.size else everyone


def _prefixes(
    seed: bytes,
    codes: Sequence[bytes],
    badges: Sequence[bytes],
    excluded: Sequence[IndexArray],
    depth: int,
) -> list[IndexArray]:
    team_keys = TeamKeys(seed)
    return [
        ranking_prefix(team_keys.keys(code, badges), _members(len(badges), out), depth)
        for code, out in zip(codes, excluded, strict=True)
    ]


def _prefixes_parallel(
    seed: bytes,
    codes: Sequence[bytes],
    badges: Sequence[bytes],
    excluded: Sequence[IndexArray],
    depth: int,
    workers: int,
) -> list[IndexArray]:
    if workers <= 1 or len(codes) * len(badges) < PARALLEL_MIN_KEYS:
        return _prefixes(seed, codes, badges, excluded, depth)
    chunks = workers * 4
    bounds = [len(codes) * i // chunks for i in range(chunks + 1)]
    # "spawn": no fork of a caller that may hold threads, locks or database connections.
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        futures = [
            pool.submit(_prefixes, seed, codes[start:stop], badges, excluded[start:stop], depth)
            for start, stop in zip(bounds, bounds[1:], strict=False)
        ]
        return [prefix for future in futures for prefix in future.result()]


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
) -> dict[str, list[str]]:
    """Spec §6: each selected enterprise's team, badges in ranked order.

    `selected_codes` in canonical order; `exclusions` maps a credit code to the badges that
    must not inspect it (badges not on the roster are ignored). `workers` > 1 computes the
    keys in that many processes; `depth` only trades memory for speed. Raises TeamError
    naming the enterprise when fewer than k inspectors may inspect it."""
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise TeamError(
            DrawErrorCode.TEAM_SIZE_INVALID,
            f"每组人数须为不小于 1 的整数，实为 {k!r}",
            f"the team size must be an integer ≥ 1, got {k!r}",
        )
    if depth < 1:
        raise ValueError(f"depth must be >= 1, got {depth}")
    codes = code_array(selected_codes)
    if len(codes) > 1 and not bool(np.all(codes[1:] > codes[:-1])):
        raise TeamError(
            DrawErrorCode.SELECTED_NOT_CANONICAL,
            "被抽中企业须按统一社会信用代码升序排列且不重复",
            "the selected enterprises must be in ascending credit-code order, without repeats",
        )
    badges = _checked_roster(roster)
    team_keys = TeamKeys(seed)
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

    badge_bytes = [badge.encode() for badge in badges]
    code_bytes = codes.tolist()
    prefixes = _prefixes_parallel(seed, code_bytes, badge_bytes, excluded, depth, workers)

    cap = -(-k * len(codes) // len(badges))
    loads = [0] * len(badges)
    teams: dict[str, list[str]] = {}
    for e, code in enumerate(code_texts):
        team: list[int] = []
        for r in prefixes[e].tolist():
            if loads[r] < cap:
                team.append(r)
                if len(team) == k:
                    break
        if len(team) < k:
            members = _members(len(badges), excluded[e])
            team = _team_beyond_prefix(
                team_keys, code_bytes[e], badge_bytes, members, prefixes[e], loads, cap, k
            )
        for r in team:
            loads[r] += 1
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
    team_keys: TeamKeys,
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
    if len(prefix) == len(members):
        usable = [r for r in prefix.tolist() if loads[r] < own_cap]
        return usable[:k]
    usable_members = members[member_loads < own_cap]
    usable_keys = team_keys.keys(code, [badges[r] for r in usable_members.tolist()])
    order = np.lexsort((usable_members, usable_keys))
    return [int(r) for r in usable_members[order[:k]]]
