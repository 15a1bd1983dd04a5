from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wurao.audit.engine import AnchorClaim, ChainLink, ChainReport, chain_verify
from wurao.audit.keys import trusted_public_keys
from wurao.audit.models import AuditAnchor, AuditEvent
from wurao.audit.signing import ALGORITHM, MESSAGE_VERSION, public_key_fingerprint, public_key_pem
from wurao.audit.verification import EXPORT_FORMAT, fault_reason


def audit_event_list(*, object_type: str = "", object_id: str = "") -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.all()
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    return qs.order_by("-seq")


def _links() -> Iterator[ChainLink]:
    # The payload is read back through JSON, as stored, so a changed value shows.
    rows = AuditEvent.objects.order_by("seq").values_list(
        "seq",
        "actor_label",
        "verb",
        "object_type",
        "object_id",
        "payload",
        "created_at",
        "prev_hash",
        "hash",
    )
    for row in rows.iterator(chunk_size=5000):
        yield ChainLink(*row)


def _platform_claims(trusted: frozenset[str]) -> Iterator[AnchorClaim]:
    rows = AuditAnchor.objects.order_by("id").values_list(
        "id", "seq", "hash", "signed_at", "signature", "public_key"
    )
    for pk, seq, digest, signed_at, signature, public_key in rows.iterator(chunk_size=5000):
        yield AnchorClaim(
            seq=seq,
            hash=digest,
            signed_at=signed_at,
            signature=signature,
            # A key the row names but nobody configured proves nothing: whoever rewrote the
            # chain could have signed with a key of their own and stored it alongside.
            public_key=public_key if public_key in trusted else "",
            label=_("平台锚点 #%(id)s") % {"id": pk},
        )


def audit_chain_verify(*, copies: Iterable[AnchorClaim] = ()) -> ChainReport:
    """The whole chain checked against itself, the platform's anchors (with the keys configured
    outside the database) and `copies`: anchors a third party kept (anchors_read)."""
    trusted = trusted_public_keys() if AuditAnchor.objects.exists() else frozenset()
    return chain_verify(_links(), [*_platform_claims(trusted), *copies])


def audit_chain_first_broken() -> tuple[int, str] | None:
    """None when the whole chain and its anchors verify; else the first bad event's seq and why."""
    report = audit_chain_verify()
    fault = report.first_fault
    return None if fault is None else (fault.seq, fault_reason(fault))


def audit_anchor_latest() -> AuditAnchor | None:
    return AuditAnchor.objects.order_by("-id").first()


def audit_anchor_daily_list() -> QuerySet[AuditAnchor]:
    """The daily heads, newest first: what the public page shows and the export carries."""
    return AuditAnchor.objects.filter(daily=True).order_by("-day")


def audit_anchors_export() -> dict:
    """Every daily head with what a third party needs to verify it without the platform:
    the message format, the algorithm and the public keys (docs/audit.md)."""
    anchors = list(audit_anchor_daily_list().order_by("day"))
    keys = list(dict.fromkeys(a.public_key for a in anchors))
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "algorithm": ALGORITHM,
        "message": f"{MESSAGE_VERSION}\n{{seq}}\n{{hash}}\n{{signed_at}}",
        "public_keys": [
            {
                "public_key": key,
                "fingerprint": public_key_fingerprint(key),
                "pem": public_key_pem(key),
            }
            for key in keys
        ],
        "anchors": [
            {
                "date": a.day.isoformat(),
                "seq": a.seq,
                "hash": a.hash,
                "signed_at": a.signed_at,
                "signature": a.signature,
                "public_key": a.public_key,
            }
            for a in anchors
        ],
    }
