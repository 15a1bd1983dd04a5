import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wurao.audit.selectors import audit_chain_first_broken

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="17", hour="3"))
def audit_verify_nightly() -> bool:
    """Check the chain every night so tampering is noticed within a day."""
    broken = audit_chain_first_broken()
    if broken is not None:
        logger.error("audit chain broken at event %s: %s", *broken)
        return False
    return True
