"""Backtesting a points table on the district's own inspections, and calibrating a proposed
table from a training period (wurao/credit/backtest.py, calibrate.py). A calibration stores a
draft (`PointsTableDraft`) with its report; it grades nobody until a person adopts it through
the table-version workflow (`points_table_publish`)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext, pgettext

from wurao.audit.services import audit_record
from wurao.credit.backtest import Backtest, backtest
from wurao.credit.calibrate import CalibrationError, calibrate
from wurao.credit.engine_inputs import EngineInputError
from wurao.credit.models import PointsTableDraft, PointsTableVersion
from wurao.credit.points import DEFAULT_TABLE, PointsTable
from wurao.credit.points_json import table_from_dict, table_to_dict
from wurao.credit.selectors import points_table_current, points_table_versions
from wurao.credit.selectors_backtest import inspections_frame
from wurao.credit.selectors_grading import enterprises_frame, events_frame, table_of

# The longest period a backtest or a training period may cover (ten years).
MAX_PERIOD_DAYS = 3660


def _period(start: datetime.date, end: datetime.date, *, field: str, name: str) -> None:
    if end < start:
        raise ValidationError(
            {field: gettext("%(period)s的结束日期（%(end)s）早于开始日期（%(start)s）")
             % {"period": name, "start": start, "end": end}}
        )  # fmt: skip
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise ValidationError({field: gettext("%(period)s不能超过十年") % {"period": name}})


def _said(error: EngineInputError | CalibrationError, field: str = "") -> ValidationError:
    """A refusal of the engine or the fit in the reader's language."""
    english = (get_language() or "").startswith("en")
    message = error.message_en if english else error.message_zh
    return ValidationError({field: message} if field else message)


def _base_version() -> PointsTableVersion | None:
    return points_table_current() or points_table_versions().order_by("version").first()


def table_for_backtest(*, version: PointsTableVersion | None = None) -> PointsTable:
    """The table a backtest scores with: `version`, else the one in force today, else the
    first version (as regrading does), else the shipped default."""
    row = version or _base_version()
    return table_of(row) if row else DEFAULT_TABLE


def tables_backtest(
    *, start: datetime.date, end: datetime.date, tables: dict[str, PointsTable], seed: int = 0
) -> dict[str, Backtest]:
    """Each table's backtest on the inspections dated `start` to `end`, each inspection
    scored with the records known the day before it; the records are read once for all."""
    _period(start, end, field="end", name=pgettext("in a sentence", "回测期"))
    inspections, events = inspections_frame(start=start, end=end), events_frame(as_of=end)
    enterprises = enterprises_frame()
    try:
        return {
            name: backtest(inspections, events, enterprises, table, start=start, end=end, seed=seed)
            for name, table in tables.items()
        }
    except EngineInputError as error:
        raise _said(error) from None


def table_backtest(
    *, start: datetime.date, end: datetime.date, table: PointsTable, seed: int = 0
) -> Backtest:
    return tables_backtest(start=start, end=end, tables={"table": table}, seed=seed)["table"]


def _following(start: datetime.date, end: datetime.date) -> datetime.date:
    """The end of a period as long as [start, end] that begins the day after `end`: the
    same number of calendar years when the period is whole years, else the same days."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return datetime.date(2 * end.year - start.year + 1, 12, 31)
    return end + (end - start) + datetime.timedelta(days=1)


def _stored_note(train_from: datetime.date, train_to: datetime.date) -> str:
    """The draft's note: stored text, in the platform's language whoever asks."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("按 %(start)s 至 %(end)s 的检查结果校准") % {
            "start": train_from,
            "end": train_to,
        }


def draft_table(draft: PointsTableDraft) -> PointsTable:
    try:
        return table_from_dict(draft.table)
    except ValueError as error:
        raise ValidationError({"table": str(error)}) from None


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
    training, as long as it, up to today). Audited; changes no grade. The fit runs outside
    any transaction; only the draft and its audit event are written in one."""
    _period(train_from, train_to, field="train_to", name=pgettext("in a sentence", "训练期"))
    today = timezone.localdate()
    if test_from is None and train_to >= today:
        raise ValidationError(
            {"train_to": gettext("训练期须在今天之前结束，才能留出检验期（或另行指定检验期）")}
        )
    test_from = test_from or train_to + datetime.timedelta(days=1)
    test_to = test_to or min(today, _following(train_from, train_to))
    _period(test_from, test_to, field="test_to", name=pgettext("in a sentence", "检验期"))
    if test_from <= train_to:
        raise ValidationError({"test_from": gettext("检验期须在训练期之后，不能与之重叠")})
    based_on = _base_version()
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
    except CalibrationError as error:
        raise _said(error, "train_to") from None
    except EngineInputError as error:
        raise _said(error) from None
    with transaction.atomic():
        draft = PointsTableDraft.objects.create(
            table=table_to_dict(fit.table),
            note=_stored_note(train_from, train_to),
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
