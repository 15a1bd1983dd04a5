"""Backtesting a points table on the district's own inspections, and calibrating a proposed
table from a training period (wurao/credit/backtest.py, calibrate.py). A calibration stores a
draft (`PointsTableDraft`) with its report; it grades nobody until a person adopts it through
the table-version workflow (`points_table_publish`)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from wurao.audit.services import audit_record
from wurao.credit.backtest import Backtest, backtest
from wurao.credit.calibrate import CalibrationError, calibrate
from wurao.credit.engine import EngineInputError
from wurao.credit.models import PointsTableDraft, PointsTableVersion
from wurao.credit.points import PointsTable
from wurao.credit.points_json import table_from_dict, table_to_dict
from wurao.credit.selectors import points_table_current, points_table_versions
from wurao.credit.selectors_backtest import inspections_frame
from wurao.credit.selectors_grading import enterprises_frame, events_frame, table_of

# The longest period a backtest or a training period may cover (ten years).
MAX_PERIOD_DAYS = 3660


def _period(start: datetime.date, end: datetime.date, *, field: str = "end") -> None:
    if end < start:
        raise ValidationError({field: gettext("结束日期不能早于开始日期")})
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise ValidationError({field: gettext("期间不能超过十年")})


def table_for_backtest(*, version: PointsTableVersion | None = None) -> PointsTable:
    """The table a backtest scores with: `version`, else the one in force today, else the
    first version (as regrading does)."""
    row = version or points_table_current() or points_table_versions().order_by("version").first()
    if row is None:
        raise ValidationError({"table": gettext("尚无信用计分表")})
    return table_of(row)


def table_backtest(
    *, start: datetime.date, end: datetime.date, table: PointsTable, seed: int = 0
) -> Backtest:
    """`table`'s backtest on the inspections dated `start` to `end`: each scored with the
    records known the day before it."""
    _period(start, end)
    try:
        return backtest(
            inspections_frame(start=start, end=end),
            events_frame(as_of=end),
            enterprises_frame(),
            table,
            start=start,
            end=end,
            seed=seed,
        )
    except EngineInputError as error:
        raise ValidationError(error.message_zh) from None


def draft_table(draft: PointsTableDraft) -> PointsTable:
    try:
        return table_from_dict(draft.table)
    except ValueError as error:
        raise ValidationError({"table": str(error)}) from None


@transaction.atomic
def table_calibrate(
    *,
    actor,
    train_from: datetime.date,
    train_to: datetime.date,
    test_from: datetime.date | None = None,
    test_to: datetime.date | None = None,
) -> PointsTableDraft:
    """A draft table fitted on the inspections from `train_from` to `train_to`, with a report
    comparing it to the table in force on a held-out period (by default the one that follows
    training, as long as it, up to today). Audited; changes no grade."""
    _period(train_from, train_to, field="train_to")
    test_from = test_from or train_to + datetime.timedelta(days=1)
    today = timezone.localdate()
    test_to = test_to or min(today, test_from + (train_to - train_from))
    _period(test_from, test_to, field="test_to")
    if test_from <= train_to:
        raise ValidationError({"test_from": gettext("检验期须在训练期之后，不能与之重叠")})
    based_on = points_table_current() or points_table_versions().order_by("version").first()
    table = table_for_backtest(version=based_on)
    last = max(train_to, test_to)
    inspections = inspections_frame(start=train_from, end=last)
    events, enterprises = events_frame(as_of=last), enterprises_frame()
    latest = points_table_versions().order_by("-version").first()
    try:
        fit = calibrate(
            inspections,
            events,
            enterprises,
            table,
            start=train_from,
            end=train_to,
            version=(latest.version + 1) if latest else 1,
            effective_from=today,
        )
        tests = {
            name: backtest(
                inspections, events, enterprises, t, start=test_from, end=test_to
            ).to_json()
            for name, t in (("in_force", table), ("draft", fit.table))
        }
    except (CalibrationError, EngineInputError) as error:
        raise ValidationError(error.message_zh) from None
    draft = PointsTableDraft.objects.create(
        table=table_to_dict(fit.table),
        note=gettext("按 %(start)s 至 %(end)s 的检查结果校准")
        % {"start": train_from, "end": train_to},
        based_on=based_on,
        train_from=train_from,
        train_to=train_to,
        test_from=test_from,
        test_to=test_to,
        report={"fit": fit.to_json(), "test": tests},
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor,
        verb="points_table.calibrate",
        obj=draft,
        payload={
            "based_on": based_on.version if based_on else None,
            "train": [train_from.isoformat(), train_to.isoformat()],
            "test": [test_from.isoformat(), test_to.isoformat()],
            "days_earlier": {k: v["days_earlier"] for k, v in tests.items()},
        },
    )
    return draft
