import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from wurao.audit.selectors import audit_chain_first_broken

logger = logging.getLogger(__name__)


@db_task(retries=2, retry_delay=60)
def audit_verify_job() -> dict:
    """Verify the whole chain; returns {"intact": bool, "seq": first broken event or None}."""
    broken = audit_chain_first_broken()
    if broken is not None:
        logger.error("audit chain broken at event %s: %s", *broken)
        return {"intact": False, "seq": broken[0], "reason": broken[1]}
    return {"intact": True, "seq": None}


@db_periodic_task(crontab(minute="17", hour="3"))
def audit_verify_nightly() -> None:
    # Periodic tasks keep no result in huey; the nightly run only logs, so enqueue the job.
    audit_verify_job()
