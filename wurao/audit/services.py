import datetime
import logging
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from wurao.audit.engine import GENESIS, event_hash
from wurao.audit.keys import signing_key
from wurao.audit.models import AuditAnchor, AuditEvent
from wurao.audit.signing import anchor_message, public_key_hex, sign
from wurao.common.client_ip import client_ip

logger = logging.getLogger(__name__)

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


# ---------------------------------------------------------------- reads of sensitive records


def _enterprise_of(obj: Model) -> int | None:
    """The enterprise a record is about: the enterprise itself, or the one it names."""
    if obj._meta.label_lower == "registry.enterprise":
        return obj.pk
    return getattr(obj, "enterprise_id", None)


def audit_read(request: HttpRequest, verb: str, obj: Model) -> AuditEvent | None:
    """Record that the person signed in read a sensitive record (an enterprise's file, an
    evidence file, an export): 等保 2.0 asks that access to personal and sensitive data be
    logged. One event, written at once in its own short transaction.

    An enterprise reading its own records is not recorded: it learns nothing it does not own,
    and its reads would be most of the log (docs/audit.md)."""
    user = request.user
    enterprise_id = getattr(user, "enterprise_id", None)
    if enterprise_id is not None and _enterprise_of(obj) == enterprise_id:
        return None
    return audit_record(
        actor=user if user.is_authenticated else None,
        verb=verb,
        obj=obj,
        payload={"path": request.path, "ip": client_ip(request)},
    )


# ---------------------------------------------------------------- anchors

# Anchors other than the daily heads are kept this long: the daily heads narrow an older
# rewrite down to a day, the frequent ones a recent rewrite down to minutes.
FREQUENT_ANCHORS_KEPT_DAYS = 31


def _chain_head() -> tuple[int, str]:
    """The newest committed event. Writers append in seq order under the chain's lock, so no
    event below it can still be on its way."""
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    return head if head else (0, GENESIS)


def audit_anchor_sign(*, routine: bool = False) -> AuditAnchor | None:
    """Sign the chain's head now and store it as an anchor; None for an empty chain.

    `routine` is the periodic job's call: it signs only when the head moved since the newest
    anchor or the day has no daily head yet, and drops frequent anchors past their time. The
    anchor is no audit event: an event would move the head it has just signed."""
    key = signing_key()  # refuses before anything is read when no key is configured
    seq, head_hash = _chain_head()
    if seq == 0:
        return None
    now = timezone.now()
    day = timezone.localdate(now)
    has_daily = AuditAnchor.objects.filter(day=day, daily=True).exists()
    newest = AuditAnchor.objects.order_by("-id").values_list("seq", flat=True).first()
    if routine and has_daily and newest == seq:
        return None
    signed_at = now.isoformat()
    fields = {
        "seq": seq,
        "hash": head_hash,
        "signed_at": signed_at,
        "signature": sign(key, anchor_message(seq=seq, hash=head_hash, signed_at=signed_at)),
        "public_key": public_key_hex(key),
        "day": day,
    }
    try:
        with transaction.atomic():
            anchor = AuditAnchor.objects.create(**fields, daily=not has_daily)
    except IntegrityError:  # another process signed the day's head first
        anchor = AuditAnchor.objects.create(**fields, daily=False)
    if routine:
        cutoff = day - datetime.timedelta(days=FREQUENT_ANCHORS_KEPT_DAYS)
        AuditAnchor.objects.filter(daily=False, day__lt=cutoff).delete()
    # The log is a copy outside the database too, wherever the logs are shipped.
    logger.info(
        "audit anchor seq=%s hash=%s signed_at=%s signature=%s public_key=%s",
        seq,
        head_hash,
        signed_at,
        anchor.signature,
        anchor.public_key,
    )
    return anchor
