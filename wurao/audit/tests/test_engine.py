"""The chain and anchor check without a database: for any chain and any anchors, a rewrite with
recomputed hashes and a deleted tail are found, at the right place."""

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from wurao.audit.engine import GENESIS, AnchorClaim, ChainLink, Fault, chain_verify, event_hash
from wurao.audit.signing import anchor_message, private_key_load, public_key_hex, sign

KEY = private_key_load("11" * 32)
PUBLIC = public_key_hex(KEY)


def _chain(payloads: list[int]) -> list[ChainLink]:
    links, prev = [], GENESIS
    for seq, n in enumerate(payloads, start=1):
        fields = dict(
            seq=seq,
            actor="a",
            verb="v",
            object_type="t",
            object_id=str(seq),
            payload={"n": n},
            created_at="2026-12-07T00:00:00+00:00",
        )
        digest = event_hash(prev_hash=prev, **fields)
        links.append(ChainLink(**fields, prev_hash=prev, hash=digest))
        prev = digest
    return links


def _anchor(link: ChainLink) -> AnchorClaim:
    signed_at = f"2026-12-07T00:{link.seq % 60:02d}:00+00:00"
    message = anchor_message(seq=link.seq, hash=link.hash, signed_at=signed_at)
    return AnchorClaim(
        seq=link.seq,
        hash=link.hash,
        signed_at=signed_at,
        signature=sign(KEY, message),
        public_key=PUBLIC,
        label=f"#{link.seq}",
    )


def _rewritten(links: list[ChainLink], seq: int) -> list[ChainLink]:
    """Event `seq` changed and every hash from it on recomputed: the chain alone checks."""
    payloads = [link.payload["n"] for link in links]
    payloads[seq - 1] += 1
    return _chain(payloads)


chains = st.lists(st.integers(0, 9), min_size=2, max_size=30)


@given(chains, st.data())
def test_a_recomputed_rewrite_is_found_at_the_first_anchor_after_it(payloads, data):
    links = _chain(payloads)
    anchored = sorted(data.draw(st.sets(st.integers(1, len(links)), min_size=1)))
    anchors = [_anchor(links[s - 1]) for s in anchored]
    edited = data.draw(st.integers(1, anchored[-1]))

    report = chain_verify(_rewritten(links, edited), anchors)

    first = report.first_fault
    covering = min(s for s in anchored if s >= edited)
    before = max((s for s in anchored if s < edited), default=0)
    assert chain_verify(_rewritten(links, edited)).intact  # the chain alone does not see it
    assert (first.kind, first.seq, first.since_seq) == (Fault.ANCHOR_HASH, covering, before + 1)


@given(chains, st.data())
def test_a_deleted_tail_is_found_at_the_first_missing_event(payloads, data):
    links = _chain(payloads)
    anchors = [_anchor(links[-1])]
    kept = data.draw(st.integers(0, len(links) - 1))

    report = chain_verify(links[:kept], anchors)

    assert (report.first_fault.kind, report.first_fault.seq) == (Fault.ANCHOR_GONE, kept + 1)
    assert report.first_fault.chain_end == kept


@given(chains)
def test_an_intact_chain_reports_what_lies_after_the_newest_anchor(payloads):
    links = _chain(payloads)
    anchor_at = len(links) // 2 or 1

    report = chain_verify(links, [_anchor(links[anchor_at - 1])])

    assert report.intact and report.unanchored == len(links) - anchor_at


def test_an_anchor_without_a_trusted_key_or_with_a_bad_signature_is_refused():
    links = _chain([1, 2, 3])
    good = _anchor(links[-1])

    unknown = chain_verify(links, [dataclasses.replace(good, public_key="")])
    forged = chain_verify(links, [dataclasses.replace(good, signature="00" * 64)])

    assert unknown.first_fault.kind == Fault.ANCHOR_KEY and unknown.newest_anchor is None
    assert forged.first_fault.kind == Fault.ANCHOR_SIGNATURE
