import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from wurao.audit.selectors import audit_chain_first_broken
from wurao.audit.services import audit_anchor_sign

logger = logging.getLogger(__name__)


@db_task(retries=2, retry_delay=60)
def audit_verify_job() -> dict:
    """Verify the whole chain and its anchors; returns {"intact": bool, "seq": first bad event
    or None}."""
    broken = audit_chain_first_broken()
    if broken is not None:
        logger.error("audit chain broken at event %s: %s", *broken)
        return {"intact": False, "seq": broken[0], "reason": broken[1]}
    return {"intact": True, "seq": None}


@db_periodic_task(crontab(minute="17", hour="3"))
def audit_verify_nightly() -> None:
    # Periodic tasks keep no result in huey; the nightly run only logs, so enqueue the job.
    audit_verify_job()


@db_periodic_task(crontab(minute=f"*/{settings.AUDIT_ANCHOR_MINUTES}"), retries=1, retry_delay=30)
def audit_anchor_periodic() -> None:
    """Sign the chain's head every few minutes (and the day's head at its first run), so that a
    rewrite or a deleted tail shows within minutes (docs/audit.md)."""
    try:
        audit_anchor_sign(routine=True)
    except ImproperlyConfigured as exc:
        # No key: say so at every run, where the operators read the worker's log.
        logger.error("audit anchor not signed: %s", exc)
