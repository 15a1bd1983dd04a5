"""The hash chain of the audit log, with no Django import.

Each event's hash covers its own canonical content and the previous event's
hash, so editing, deleting or reordering any stored event breaks every hash
after it. The first event chains to GENESIS.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class ChainLink:
    seq: int
    actor: str
    verb: str
    object_type: str
    object_id: str
    payload: dict[str, Any]
    created_at: str
    prev_hash: str
    hash: str


def event_hash(
    *,
    prev_hash: str,
    seq: int,
    actor: str,
    verb: str,
    object_type: str,
    object_id: str,
    payload: dict[str, Any],
    created_at: str,
) -> str:
    body = json.dumps(
        [seq, actor, verb, object_type, object_id, payload, created_at],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def first_broken(links: Iterable[ChainLink]) -> tuple[int, str] | None:
    """Return (seq, reason) of the first event that breaks the chain, or None when intact."""
    expected_prev = GENESIS
    expected_seq = 1
    for link in links:
        if link.seq != expected_seq:
            return link.seq, f"序号不连续：应为 {expected_seq}，实为 {link.seq}（事件被删除或插入）"
        if link.prev_hash != expected_prev:
            return link.seq, "前一事件哈希不符（前面的事件被改动或删除）"
        recomputed = event_hash(
            prev_hash=link.prev_hash,
            seq=link.seq,
            actor=link.actor,
            verb=link.verb,
            object_type=link.object_type,
            object_id=link.object_id,
            payload=link.payload,
            created_at=link.created_at,
        )
        if recomputed != link.hash:
            return link.seq, "事件内容与其哈希不符（该事件被改动）"
        expected_prev = link.hash
        expected_seq += 1
    return None
