"""The hash chain of the audit log and the check of its signed anchors, with no Django import.

Each event's hash covers its own canonical content and the previous event's hash, so editing,
deleting or reordering any stored event breaks every hash after it. The first event chains to
GENESIS.

The chain alone has no secret: whoever can write the database can edit an event and recompute
every later hash, or delete the newest events, and the chain still checks. Anchors close that
gap: an anchor is the head (seq, hash) signed by a key kept outside the database (signing.py).
A rewritten event no longer matches the anchors after it; a deleted tail leaves an anchor naming
an event that is gone. Events after the newest anchor are protected by the chain alone.
"""

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from wurao.audit.signing import anchor_message, signature_valid

GENESIS = "0" * 64
# A report lists this many faults at most: a chain broken near its start would list them all.
MAX_FAULTS = 100


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


@dataclass(frozen=True)
class AnchorClaim:
    """A signed head to check against the chain: a platform's anchor, or one from a copy a third
    party kept. `public_key` is the key to verify with, "" when no trusted key is known for it;
    `label` names the anchor in messages."""

    seq: int
    hash: str
    signed_at: str
    signature: str
    public_key: str
    label: str


class Fault(StrEnum):
    SEQ_GAP = "seq_gap"  # an event is missing (deleted) or one was inserted
    PREV_HASH = "prev_hash"  # the event does not chain to the one before it
    CONTENT = "content"  # the event's content does not give its stored hash
    ANCHOR_HASH = "anchor_hash"  # the anchored event now has another hash (rewritten)
    ANCHOR_GONE = "anchor_gone"  # the anchored event no longer exists (tail deleted)
    ANCHOR_SIGNATURE = "anchor_signature"  # the anchor's signature does not verify
    ANCHOR_KEY = "anchor_key"  # the anchor was signed by a key nobody trusts here

    @property
    def of_anchor(self) -> bool:
        """The anchor itself is bad (not necessarily the event it names)."""
        return self in (Fault.ANCHOR_SIGNATURE, Fault.ANCHOR_KEY)


@dataclass(frozen=True)
class ChainFault:
    """The first event a fault makes untrustworthy (`seq`), what is wrong, and its evidence."""

    seq: int
    kind: Fault
    anchor: AnchorClaim | None = None
    expected_seq: int = 0  # SEQ_GAP: the number that should have come
    since_seq: int = 0  # ANCHOR_HASH: the first event that may have been changed
    found_hash: str = ""  # ANCHOR_HASH: the hash the anchored event has now
    chain_end: int = 0  # ANCHOR_GONE: the newest event left


@dataclass(frozen=True)
class ChainReport:
    events: int
    head_seq: int
    faults: tuple[ChainFault, ...]
    anchors_checked: int = 0
    # The newest anchor whose signature verifies and whose head is still in the chain.
    newest_anchor: AnchorClaim | None = None
    more_faults: bool = False

    @property
    def intact(self) -> bool:
        return not self.faults

    @property
    def first_fault(self) -> ChainFault | None:
        return self.faults[0] if self.faults else None

    @property
    def unanchored(self) -> int:
        """Events after the newest anchor: protected by the hash chain alone."""
        return self.head_seq - (self.newest_anchor.seq if self.newest_anchor else 0)


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


def _link_hash(link: ChainLink) -> str:
    return event_hash(
        prev_hash=link.prev_hash,
        seq=link.seq,
        actor=link.actor,
        verb=link.verb,
        object_type=link.object_type,
        object_id=link.object_id,
        payload=link.payload,
        created_at=link.created_at,
    )


def _signed(anchor: AnchorClaim) -> Fault | None:
    """None when the anchor's signature verifies with its key, else why not."""
    if not anchor.public_key:
        return Fault.ANCHOR_KEY
    try:
        message = anchor_message(seq=anchor.seq, hash=anchor.hash, signed_at=anchor.signed_at)
    except ValueError:
        return Fault.ANCHOR_SIGNATURE
    if not signature_valid(
        public_hex=anchor.public_key, signature=anchor.signature, message=message
    ):
        return Fault.ANCHOR_SIGNATURE
    return None


def chain_verify(links: Iterable[ChainLink], anchors: Iterable[AnchorClaim] = ()) -> ChainReport:
    """Check every event against the one before it and every anchor against the chain, in one
    pass over the events (in seq order). Faults come ordered by the first event they make bad."""
    faults: list[ChainFault] = []
    by_seq: dict[int, list[AnchorClaim]] = defaultdict(list)
    checked = 0
    for anchor in anchors:
        checked += 1
        if (bad := _signed(anchor)) is not None:
            faults.append(ChainFault(seq=anchor.seq, kind=bad, anchor=anchor))
        else:
            by_seq[anchor.seq].append(anchor)

    expected_prev, expected_seq = GENESIS, 1
    events = head = 0
    newest: AnchorClaim | None = None
    confirmed = 0  # the newest event an anchor vouches for so far
    for link in links:
        events += 1
        head = link.seq
        if link.seq != expected_seq:
            faults.append(ChainFault(seq=link.seq, kind=Fault.SEQ_GAP, expected_seq=expected_seq))
        elif link.prev_hash != expected_prev:
            faults.append(ChainFault(seq=link.seq, kind=Fault.PREV_HASH))
        if _link_hash(link) != link.hash:
            faults.append(ChainFault(seq=link.seq, kind=Fault.CONTENT))
        for anchor in by_seq.pop(link.seq, ()):
            if anchor.hash == link.hash:
                confirmed = link.seq
                if newest is None or (anchor.seq, anchor.signed_at) >= (
                    newest.seq,
                    newest.signed_at,
                ):
                    newest = anchor
            else:
                faults.append(
                    ChainFault(
                        seq=link.seq,
                        kind=Fault.ANCHOR_HASH,
                        anchor=anchor,
                        since_seq=confirmed + 1,
                        found_hash=link.hash,
                    )
                )
        expected_prev, expected_seq = link.hash, link.seq + 1
        if len(faults) > MAX_FAULTS:
            break
    else:
        # Anchors naming events past the end: the newest events were deleted. (An anchored
        # event missing inside the chain shows as a gap in the numbers already.)
        for seq in sorted(s for s in by_seq if s > head):
            for anchor in by_seq[seq]:
                faults.append(
                    ChainFault(seq=head + 1, kind=Fault.ANCHOR_GONE, anchor=anchor, chain_end=head)
                )
    faults.sort(key=lambda f: (f.seq, f.kind.of_anchor))
    return ChainReport(
        events=events,
        head_seq=head,
        faults=tuple(faults[:MAX_FAULTS]),
        anchors_checked=checked,
        newest_anchor=newest,
        more_faults=len(faults) > MAX_FAULTS,
    )
