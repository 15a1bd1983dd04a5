"""The policy simulator as a background job: replaying a district-year can take up to a
minute, longer than a page should wait. The page polls the job's result (views_simulator)."""

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from huey.contrib.djhuey import db_task

from wurao.oversight.services_simulator import simulation_compare
from wurao.oversight.simulation.rules import RuleSetError

logger = logging.getLogger(__name__)

MISSING_USER = "发起模拟的用户已不存在，未进行模拟。"
UNEXPECTED = "模拟过程中发生意外错误，未得出结果。请稍后重试；如仍失败，请联系管理员。"


@db_task()
def simulation_run_job(user_id: int, year: int, rules: dict) -> dict:
    """Simulate as the user who asked; returns {"result": figures} or {"error": message}.

    Not retried: it writes nothing but its audit event, and a failure is most likely the data
    or the rule set, which a second try would meet again."""
    actor = get_user_model().objects.filter(pk=user_id).first()
    if actor is None:
        return {"error": MISSING_USER}
    try:
        return {"result": simulation_compare(actor=actor, year=year, rules=rules)}
    except RuleSetError as error:
        return {"error": getattr(error, "message", "") or str(error)}
    except PermissionDenied as error:
        return {"error": str(error) or "无权使用政策模拟"}
    except Exception:
        logger.exception("simulation of %s failed", year)
        return {"error": UNEXPECTED}
