from collections.abc import Iterator

from django.db.models import QuerySet

from wurao.audit.engine import ChainLink, first_broken
from wurao.audit.models import AuditEvent


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


def audit_chain_first_broken() -> tuple[int, str] | None:
    """None when the whole chain verifies; else the first broken event's seq and why."""
    return first_broken(_links())
