"""The month's scheduler run as a background job: CP-SAT may take its whole time limit, longer
than a page should wait. The page polls the job's result (views_coordination)."""

import logging
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from wurao.planning import services
from wurao.planning.selectors_checks import plan_deadline
from wurao.registry.workdays import next_month

logger = logging.getLogger(__name__)

SCHEDULE_TIME_LIMIT = 20.0
MISSING_USER = "发起排期的用户已不存在，未生成排期。"
UNEXPECTED = "排期过程中发生意外错误，未生成新的排期。请稍后重试；如仍失败，请联系管理员。"


@db_task()
def schedule_run_job(user_id: int, month: str, deterministic: bool, seed: int) -> dict:
    """Schedule the month as the user who asked; returns {"run": pk} or {"error": message}.

    Not retried: a run replaces every unconfirmed proposal of the month, so a second run
    the coordinator did not ask for would undo their view of the first."""
    actor = get_user_model().objects.filter(pk=user_id).first()
    if actor is None:
        return {"error": MISSING_USER}
    try:
        run = services.schedule_run(
            actor=actor,
            month=date.fromisoformat(month),
            time_limit=SCHEDULE_TIME_LIMIT,
            deterministic=deterministic,
            seed=seed,
        )
    except ValidationError as error:
        return {"error": "；".join(error.messages)}
    except PermissionDenied as error:
        return {"error": str(error) or "无权发起排期"}
    except Exception:
        logger.exception("schedule run for %s failed", month)
        return {"error": UNEXPECTED}
    return {"run": run.pk}


@db_periodic_task(crontab(minute="10", hour="0"))
def plans_lock_after_deadline() -> None:
    """Each night: once next month's deadline has passed, its plans are locked; later
    additions need a reason."""
    upcoming = next_month(timezone.localdate())
    if timezone.localdate() > plan_deadline(upcoming):
        services.plans_lock(actor="scheduler", month=upcoming)
