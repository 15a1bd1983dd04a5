from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from wurao.audit.engine import GENESIS, event_hash
from wurao.audit.models import AuditEvent

SYSTEM = "system"


def _actor_label(actor: Any) -> str:
    if actor is None:
        return SYSTEM
    if isinstance(actor, str):
        return actor
    return actor.get_username()


_CHAIN_LOCK = 0x5755_5241_4F


def chain_lock_sql() -> tuple[str, list] | None:
    """A SELECT-list expression (and its parameters) that takes the chain's lock, for a
    writer to add to the last statement it runs before `audit_record(..., chain_locked=True)`:
    one round trip fewer on its hottest path. None where writers need no lock (SQLite)."""
    if connection.vendor == "postgresql":
        return "pg_advisory_xact_lock(%s)", [_CHAIN_LOCK]
    return None


def _chain_end(*, locked: bool) -> tuple[int, str]:
    """The last event's seq and hash (0 and GENESIS for an empty log), read once no other
    writer can append: two writers must never chain to the same previous event. On
    PostgreSQL a transaction-scoped advisory lock serialises appends (taken here unless the
    caller took it, see chain_lock_sql); SQLite already serialises writers (transactions
    start IMMEDIATE, see settings). In SQL: every write appends, and the ORM took longer to
    build this read than the database to run it."""
    with connection.cursor() as cursor:
        if not locked and (lock := chain_lock_sql()):
            cursor.execute(f"SELECT {lock[0]}", lock[1])
        cursor.execute(
            f"SELECT seq, hash FROM {AuditEvent._meta.db_table} ORDER BY seq DESC LIMIT 1"
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


@transaction.atomic(savepoint=False)  # inside the service's transaction: no savepoint needed
def audit_record(
    *,
    actor: Any,
    verb: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    payload: dict[str, Any] | None = None,
    chain_locked: bool = False,
) -> AuditEvent:
    """Append one event to the chain. Call inside the service's own transaction;
    `chain_locked` when that transaction already took the chain's lock (chain_lock_sql)."""
    last_seq, prev_hash = _chain_end(locked=chain_locked)
    seq = last_seq + 1
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    actor_label = _actor_label(actor)
    created_at = timezone.now().isoformat()
    payload = payload or {}
    digest = event_hash(
        prev_hash=prev_hash,
        seq=seq,
        actor=actor_label,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        payload=payload,
        created_at=created_at,
    )
    return AuditEvent.objects.create(
        seq=seq,
        actor=actor if actor is not None and not isinstance(actor, str) else None,
        actor_label=actor_label,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        payload=payload,
        created_at=created_at,
        prev_hash=prev_hash,
        hash=digest,
    )
