"""The verifiable random draw (双随机、一公开), spec wurao-draw-v1: candidates, digests, seed,
keys and the selection of enterprises. Pure Python and NumPy, no Django import.

Every byte here is fixed by the published spec (docs/random-draw-v1.md, sections 1–4), so that
anyone can re-run a draw from its bundle with their own code: change nothing that
changes a result. Quotas from a total are in `allocation`, inspector teams in `teams`,
the bundle made in `bundle_run` and verified in `bundle`.

    python -m wurao.sampling.engine verify BUNDLE.json
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NoReturn

import numpy as np
import numpy.typing as npt
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

SPEC = "wurao-draw-v1"
CODE_LENGTH = 18
SERVER_SEED_BYTES = 32

CodeArray = npt.NDArray[np.bytes_]
KeyArray = npt.NDArray[np.uint64]
IndexArray = npt.NDArray[np.intp]
StratumArray = npt.NDArray[np.int32]

# Credit codes are compared as bytes; accepting only ASCII digits and capitals keeps that
# order equal to the order of the strings, and GB 32100 codes are upper case.
_CODE_BYTE_OK = np.zeros(256, dtype=bool)
_CODE_BYTE_OK[np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", dtype=np.uint8)] = True


class DrawErrorCode(StrEnum):
    CODE_INVALID = "code_invalid"
    CODE_DUPLICATE = "code_duplicate"
    STRATUM_INVALID = "stratum_invalid"
    STRATUM_DUPLICATE = "stratum_duplicate"
    STRATUM_UNLISTED = "stratum_unlisted"
    WEIGHT_INVALID = "weight_invalid"
    SIZE_INVALID = "size_invalid"
    TOTAL_INVALID = "total_invalid"
    TOTAL_ABOVE_CAPACITY = "total_above_capacity"
    NO_ELIGIBLE_STRATUM = "no_eligible_stratum"
    QUOTA_MISSING = "quota_missing"
    QUOTA_UNKNOWN_STRATUM = "quota_unknown_stratum"
    QUOTA_OUT_OF_RANGE = "quota_out_of_range"
    SEED_INVALID = "seed_invalid"
    SELECTED_NOT_CANONICAL = "selected_not_canonical"
    TEAM_SIZE_INVALID = "team_size_invalid"
    ROSTER_EMPTY = "roster_empty"
    ROSTER_DUPLICATE = "roster_duplicate"
    BADGE_INVALID = "badge_invalid"
    BADGE_IN_TWO_ROSTERS = "badge_in_two_rosters"
    TOO_FEW_INSPECTORS = "too_few_inspectors"
    DEPARTMENT_DUPLICATE = "department_duplicate"
    BUNDLE_INVALID = "bundle_invalid"


class DrawError(ValueError):
    """A draw refused, with a stable code, a Chinese message for the UI and an English one.

    `details` names what is wrong (the enterprise, the badge, the stratum) for reports."""

    def __init__(
        self,
        code: DrawErrorCode,
        message_zh: str,
        message_en: str,
        **details: object,
    ) -> None:
        super().__init__(f"{message_zh} / {message_en}")
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        self.details: dict[str, object] = details


class CandidatesError(DrawError):
    """The candidate list cannot be drawn from (bad or repeated credit code, bad stratum)."""


class QuotaError(DrawError):
    """The quotas, or the total and weights they come from, do not fit the candidates."""


class SeedError(DrawError):
    """A seed of the wrong length."""


class TeamError(DrawError):
    """Inspector teams cannot be drawn (roster, team size, exclusions)."""


class BundleError(DrawError):
    """A bundle that cannot be read or verified as wurao-draw-v1."""


@dataclass(frozen=True, eq=False)
class Candidates:
    """A snapshot of candidates in canonical order (ascending credit code, as bytes).

    `codes` are 18-byte ASCII strings, unique and strictly ascending; `strata[i]` indexes
    `labels`. Build one with `from_pairs` or `from_arrays`, which validate and sort."""

    codes: CodeArray
    strata: StratumArray
    labels: tuple[str, ...]
    _sizes: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        counts = np.bincount(self.strata, minlength=len(self.labels)).tolist()
        sizes = {label: int(count) for label, count in zip(self.labels, counts, strict=True)}
        object.__setattr__(self, "_sizes", sizes)

    @classmethod
    def from_pairs(cls, pairs: Iterable[Sequence[str]]) -> Candidates:
        """From `(credit_code, stratum)` pairs in any order."""
        codes: list[str] = []
        stratum_of: list[str] = []
        for pair in pairs:
            if len(pair) != 2:
                raise CandidatesError(
                    DrawErrorCode.CODE_INVALID,
                    f"候选企业须为（统一社会信用代码，层级）二元组：{pair!r}",
                    f"a candidate must be a (credit_code, stratum) pair: {pair!r}",
                )
            codes.append(pair[0])
            stratum_of.append(pair[1])
        distinct = set(stratum_of)
        for label in distinct:
            label_check(label)
        labels = sorted(distinct)
        index = {label: i for i, label in enumerate(labels)}
        strata = np.fromiter((index[s] for s in stratum_of), dtype=np.int32, count=len(codes))
        return cls.from_arrays(codes, strata, labels)

    @classmethod
    def from_arrays(
        cls,
        codes: CodeArray | Sequence[str],
        strata: npt.ArrayLike,
        labels: Sequence[str],
    ) -> Candidates:
        """From parallel arrays: codes (strings or an 'S18' array) and stratum indices into
        `labels`. Already-sorted input (e.g. `ORDER BY credit_code` in byte order) skips the
        sort."""
        labels = tuple(labels)
        for label in labels:
            label_check(label)
        if len(set(labels)) != len(labels):
            raise CandidatesError(
                DrawErrorCode.STRATUM_DUPLICATE,
                f"层级重复：{labels!r}",
                f"stratum labels repeat: {labels!r}",
            )
        code_bytes = code_array(codes)
        stratum_array = np.asarray(strata)
        if stratum_array.shape != code_bytes.shape or (
            stratum_array.size and stratum_array.dtype.kind not in "iu"
        ):
            raise CandidatesError(
                DrawErrorCode.STRATUM_INVALID,
                "每个候选企业须有一个层级编号",
                "every candidate needs one stratum index",
            )
        stratum_array = stratum_array.astype(np.int32, copy=False)
        if stratum_array.size and (
            int(stratum_array.min()) < 0 or int(stratum_array.max()) >= len(labels)
        ):
            raise CandidatesError(
                DrawErrorCode.STRATUM_INVALID,
                f"层级编号超出范围（共 {len(labels)} 个层级）",
                f"a stratum index is out of range ({len(labels)} labels)",
            )
        if len(code_bytes) > 1 and not bool(np.all(code_bytes[1:] > code_bytes[:-1])):
            order = np.argsort(code_bytes, kind="stable")
            code_bytes = code_bytes[order]
            stratum_array = stratum_array[order]
            repeats = np.flatnonzero(code_bytes[1:] == code_bytes[:-1])
            if repeats.size:
                repeated = code_bytes[repeats[0]].decode()
                raise CandidatesError(
                    DrawErrorCode.CODE_DUPLICATE,
                    f"统一社会信用代码重复：{repeated}",
                    f"credit code listed twice: {repeated}",
                    credit_code=repeated,
                )
        return cls(codes=code_bytes, strata=stratum_array, labels=labels)

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def sizes(self) -> dict[str, int]:
        """N_s: the number of candidates in each stratum label."""
        return dict(self._sizes)

    def code_list(self) -> list[str]:
        return [code.decode() for code in self.codes.tolist()]

    def pairs(self) -> list[tuple[str, str]]:
        labels = self.labels
        return [
            (code.decode(), labels[s])
            for code, s in zip(self.codes.tolist(), self.strata.tolist(), strict=True)
        ]

    def take(self, indices: IndexArray) -> Candidates:
        """The candidates at these positions (ascending positions keep the canonical order)."""
        return Candidates(
            codes=self.codes[indices], strata=self.strata[indices], labels=self.labels
        )


def label_check(label: object) -> None:
    # Tab and newline delimit the digest's lines: a label holding them would be ambiguous.
    if not isinstance(label, str) or not label or "\t" in label or "\n" in label:
        raise CandidatesError(
            DrawErrorCode.STRATUM_INVALID,
            f"层级标签须为非空文字，且不含制表符和换行：{label!r}",
            f"a stratum label must be a non-empty string without tab or newline: {label!r}",
            stratum=label,
        )


def code_array(codes: CodeArray | Sequence[str]) -> CodeArray:
    """Codes as an 'S18' array, each checked to be 18 ASCII digits or capitals."""
    if isinstance(codes, np.ndarray) and codes.dtype == np.dtype("S18"):
        matrix = codes.view(np.uint8).reshape(-1, CODE_LENGTH)
        bad = np.flatnonzero(~_CODE_BYTE_OK[matrix].all(axis=1))
        if bad.size:
            _raise_code_invalid(codes[bad[0]].decode("ascii", "replace"))
        return codes
    if isinstance(codes, np.ndarray):
        if codes.ndim != 1 or codes.dtype.kind not in "US":
            _raise_code_invalid(codes[:1])
    else:
        # NumPy would turn a number into its digits: a code read as a number must not pass.
        for value in codes:
            if not isinstance(value, str):
                _raise_code_invalid(value)
    try:
        # One byte more than a code: a longer value keeps a non-NUL 19th byte and fails.
        wide = np.asarray(codes, dtype="S19")
    except UnicodeEncodeError:
        for value in codes:
            if not str(value).isascii():
                _raise_code_invalid(value)
        raise
    matrix = wide.view(np.uint8).reshape(-1, CODE_LENGTH + 1)
    ok = _CODE_BYTE_OK[matrix[:, :CODE_LENGTH]].all(axis=1) & (matrix[:, CODE_LENGTH] == 0)
    bad = np.flatnonzero(~ok)
    if bad.size:
        _raise_code_invalid(codes[int(bad[0])])
    return np.ascontiguousarray(matrix[:, :CODE_LENGTH]).view("S18").reshape(-1)


def _raise_code_invalid(value: object) -> NoReturn:
    raise CandidatesError(
        DrawErrorCode.CODE_INVALID,
        f"统一社会信用代码须为 18 位数字或大写字母：{value!r}",
        f"a credit code must be 18 digits or capital letters: {value!r}",
        credit_code=value,
    )


def _lines_digest(codes: CodeArray, strata: StratumArray, labels: Sequence[str]) -> str:
    """hex SHA-256 over `credit_code \\t stratum \\n` lines, in the order given (spec §1, §4).

    Built as one byte matrix rather than millions of Python strings."""
    n = len(codes)
    if n == 0:
        return hashlib.sha256(b"").hexdigest()
    tails = [label.encode() + b"\n" for label in labels]
    width = max(len(tail) for tail in tails)
    tail_bytes = np.zeros((len(tails), width), dtype=np.uint8)
    for i, tail in enumerate(tails):
        tail_bytes[i, : len(tail)] = np.frombuffer(tail, dtype=np.uint8)
    lines = np.empty((n, CODE_LENGTH + 1 + width), dtype=np.uint8)
    lines[:, :CODE_LENGTH] = codes.view(np.uint8).reshape(n, CODE_LENGTH)
    lines[:, CODE_LENGTH] = ord("\t")
    lines[:, CODE_LENGTH + 1 :] = tail_bytes[strata]
    tail_lengths = np.array([len(tail) for tail in tails])
    used = tail_lengths[strata]
    if bool(np.all(used == width)):
        return hashlib.sha256(lines.tobytes()).hexdigest()
    keep = np.arange(lines.shape[1]) < (CODE_LENGTH + 1 + used)[:, None]
    return hashlib.sha256(lines[keep].tobytes()).hexdigest()


def snapshot_digest(candidates: Candidates) -> str:
    """Spec §1: hex SHA-256 of the candidates' lines in canonical order."""
    return _lines_digest(candidates.codes, candidates.strata, candidates.labels)


def server_seed_new() -> bytes:
    """32 bytes from the operating system's CSPRNG (spec §2), kept secret until the draw."""
    return secrets.token_bytes(SERVER_SEED_BYTES)


def _check_server_seed(server_seed: bytes) -> None:
    if not isinstance(server_seed, bytes) or len(server_seed) != SERVER_SEED_BYTES:
        raise SeedError(
            DrawErrorCode.SEED_INVALID,
            "服务器种子须为 32 字节",
            "the server seed must be 32 bytes",
        )


def commitment(server_seed: bytes) -> str:
    """Spec §2: hex SHA-256(server_seed), published before the draw."""
    _check_server_seed(server_seed)
    return hashlib.sha256(server_seed).hexdigest()


def draw_seed(task_id: str, server_seed: bytes, external_entropy: str) -> bytes:
    """Spec §2: SHA-256("wurao-draw-v1" 0x00 task_id 0x00 server_seed 0x00 external_entropy)."""
    _check_server_seed(server_seed)
    message = b"\0".join((SPEC.encode(), task_id.encode(), server_seed, external_entropy.encode()))
    return hashlib.sha256(message).digest()


def keys(seed: bytes, n: int) -> KeyArray:
    """Spec §3: key_i = the i-th big-endian uint64 of AES-256-CTR(seed), counter from zero."""
    if not isinstance(seed, bytes) or len(seed) != 32:
        raise SeedError(
            DrawErrorCode.SEED_INVALID, "抽取种子须为 32 字节", "the draw seed must be 32 bytes"
        )
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    # CTR with a 16-byte zero block increments the whole block as a 128-bit big-endian counter.
    encryptor = Cipher(algorithms.AES(seed), modes.CTR(bytes(16))).encryptor()
    stream = encryptor.update(bytes(8 * n))
    encryptor.finalize()
    return np.frombuffer(stream, dtype=">u8").astype(np.uint64)


@dataclass(frozen=True, eq=False)
class Selection:
    """The selected candidates (canonical order), their positions among all candidates,
    and the result digest (spec §4)."""

    indices: IndexArray
    selected: Candidates
    result_digest: str


def quotas_check(candidates: Candidates, quotas: Mapping[str, int]) -> None:
    """Every stratum with candidates has a quota, and each quota is within 0 … N_s."""
    sizes = candidates.sizes
    for label, size in sizes.items():
        if size and label not in quotas:
            raise QuotaError(
                DrawErrorCode.QUOTA_MISSING,
                f"层级 {label} 有 {size} 家候选企业，但没有抽取数",
                f"stratum {label} has {size} candidates but no quota",
                stratum=label,
            )
    for label, quota in quotas.items():
        size = sizes.get(label, 0)
        if not isinstance(quota, int) or isinstance(quota, bool) or not 0 <= quota <= size:
            raise QuotaError(
                DrawErrorCode.QUOTA_OUT_OF_RANGE,
                f"层级 {label} 的抽取数须在 0 到 {size} 之间，实为 {quota!r}",
                f"the quota of stratum {label} must be within 0 … {size}, got {quota!r}",
                stratum=label,
            )


def select_indices(strata: StratumArray, keys: KeyArray, quotas: Sequence[int]) -> IndexArray:
    """Spec §4 on positions: in each stratum s the first quotas[s] positions ordered by
    (key, position); positions are canonical, so the position breaks ties as the credit code
    does. Returns ascending positions.

    A partition finds the quota's threshold key in linear time; only candidates at exactly
    that key need the tie-break, taken in ascending position."""
    chosen: list[IndexArray] = []
    for stratum, quota in enumerate(quotas):
        if quota <= 0:
            continue
        members = np.flatnonzero(strata == stratum)
        if quota >= len(members):
            chosen.append(members)
            continue
        member_keys = keys[members]
        threshold = np.partition(member_keys, quota - 1)[quota - 1]
        below = members[member_keys < threshold]
        at = members[member_keys == threshold]
        chosen.append(below)
        chosen.append(at[: quota - len(below)])
    if not chosen:
        return np.empty(0, dtype=np.intp)
    return np.sort(np.concatenate(chosen))


def select(candidates: Candidates, quotas: Mapping[str, int], seed: bytes) -> Selection:
    """Spec §3–4: key every candidate, take each stratum's quota by (key, credit_code)."""
    quotas_check(candidates, quotas)
    candidate_keys = keys(seed, len(candidates))
    by_index = [quotas.get(label, 0) for label in candidates.labels]
    indices = select_indices(candidates.strata, candidate_keys, by_index)
    selected = candidates.take(indices)
    return Selection(indices=indices, selected=selected, result_digest=snapshot_digest(selected))


if __name__ == "__main__":
    # The verifier lives with the bundle; importing it from there (not from this __main__
    # copy of the module) keeps one set of error classes.
    from wurao.sampling.bundle import main

    raise SystemExit(main())
