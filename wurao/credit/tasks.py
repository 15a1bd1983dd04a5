"""The credit app's background jobs: the nightly regrade, and the backtest page's backtests
and calibrations (views_backtest polls them)."""

import datetime
import logging
import time

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_noop
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from wurao.credit.forms_backtest import table_resolve
from wurao.credit.services_calibration import table_calibrate, tables_backtest
from wurao.credit.services_grading import grades_recompute

logger = logging.getLogger(__name__)


@db_task(retries=2, retry_delay=300)
def grades_recompute_job() -> dict:
    return grades_recompute(actor="scheduler")


@db_periodic_task(crontab(minute="30", hour="2"))
def grades_recompute_nightly() -> None:
    # Nightly, after the day's records are in; periodic tasks keep no result, so enqueue the job.
    grades_recompute_job()


# ---------------------------------------------------------------- the backtest page's jobs

# Shown on the page in the reader's language (the view translates these).
MISSING_USER = gettext_noop("发起计算的用户已不存在，未进行计算。")
UNEXPECTED = gettext_noop(
    "计算过程中发生意外错误，未得出结果。请稍后重试；如仍失败，请联系管理员。"
)


def _refusal(error: ValidationError) -> dict:
    """A service's refusal: its messages, each with the field it is about ("" for none)."""
    if hasattr(error, "error_dict"):
        return {"errors": [[k, m] for k, ms in error.message_dict.items() for m in ms]}
    return {"errors": [["", m] for m in error.messages]}


@db_task()
def backtest_compare_job(user_id: int, language: str, start: str, end: str, tables: dict) -> dict:
    """Both tables' backtests on one period; {"result": {"a": …, "b": …, "seconds": …}}, or
    {"errors": [[field, message], …]}. Read only, so not retried: a second try would meet the
    same data."""
    if not get_user_model().objects.filter(pk=user_id).exists():
        return {"error": MISSING_USER}
    begun = time.monotonic()
    with translation.override(language):
        try:
            period = {
                "start": datetime.date.fromisoformat(start),
                "end": datetime.date.fromisoformat(end),
            }
            tables = {side: table_resolve(key) for side, key in tables.items()}
            result = {
                side: b.to_json() for side, b in tables_backtest(tables=tables, **period).items()
            }
        except ValidationError as error:
            return _refusal(error)
        except Exception:
            logger.exception("backtest %s to %s failed", start, end)
            return {"error": UNEXPECTED}
    return {"result": {**result, "seconds": time.monotonic() - begun}}


@db_task()
def table_calibrate_job(user_id: int, language: str, periods: dict) -> dict:
    """A calibration as the user who asked: {"draft": its id}, or {"errors": …} in the
    language they read (the draft's note is stored in the platform's language, as the command
    writes it). Not retried: a failure is the data or the periods, which a second try would
    meet again."""
    actor = get_user_model().objects.filter(pk=user_id).first()
    if actor is None:
        return {"error": MISSING_USER}
    with translation.override(language):
        try:
            draft = table_calibrate(
                actor=actor,
                **{k: datetime.date.fromisoformat(v) if v else None for k, v in periods.items()},
            )
        except ValidationError as error:
            return _refusal(error)
        except Exception:
            logger.exception("calibration %s failed", periods)
            return {"error": UNEXPECTED}
    return {"draft": draft.pk}
