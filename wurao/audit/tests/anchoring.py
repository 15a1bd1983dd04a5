"""What the anchor tests share: a signing key held outside the database, events written through
the service, and an attacker who can write the database but does not hold the key."""

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from wurao.audit.engine import event_hash
from wurao.audit.models import AuditEvent
from wurao.audit.services import audit_record


def key_pair() -> tuple[str, str]:
    """(the 32-byte seed, its public key), each as 64 hexadecimal digits."""
    key = Ed25519PrivateKey.generate()
    seed = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()).hex()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    return seed, public


def use_key(settings, seed: str, *, public_keys: tuple[str, ...] = ()) -> None:
    settings.AUDIT_SIGNING_KEY = seed
    settings.AUDIT_SIGNING_KEY_FILE = ""
    settings.AUDIT_DEVELOPMENT_KEY_FILE = ""
    settings.AUDIT_PUBLIC_KEYS = list(public_keys)


def events_write(count: int) -> None:
    for i in range(count):
        audit_record(
            actor="tester",
            verb="thing.create",
            object_type="thing",
            object_id=str(i),
            payload={"n": i},
        )


def rewrite(seq: int, payload: dict) -> None:
    """What someone who can write the database does to change event `seq` unnoticed by the chain
    alone: change it, then recompute its hash and every later event's."""
    prev_hash = AuditEvent.objects.get(seq=seq).prev_hash
    for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
        if event.seq == seq:
            event.payload = payload
        event.prev_hash = prev_hash
        event.hash = event_hash(
            prev_hash=prev_hash,
            seq=event.seq,
            actor=event.actor_label,
            verb=event.verb,
            object_type=event.object_type,
            object_id=event.object_id,
            payload=event.payload,
            created_at=event.created_at,
        )
        AuditEvent.objects.filter(pk=event.pk).update(
            payload=event.payload, prev_hash=prev_hash, hash=event.hash
        )
        prev_hash = event.hash
