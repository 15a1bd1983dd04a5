"""Forms of the backtest page (views_backtest): which period and which two tables to backtest,
and the periods of a calibration. Each error names its field, as the services' own checks
(services_calibration) would, but before a job is queued: a mistyped date is said at once, not
a minute later by a worker."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wurao.credit import selectors
from wurao.credit.forms import FormMixin
from wurao.credit.models import PointsTableDraft
from wurao.credit.points import DEFAULT_TABLE, PointsTable
from wurao.credit.selectors_grading import table_of
from wurao.credit.services_calibration import (
    MAX_PERIOD_DAYS,
    draft_table,
    table_for_backtest,
)

CURRENT = "current"
DEFAULT = "default"
# Drafts offered in the choice of tables: the latest ones (older ones stay on their own page).
DRAFTS_OFFERED = 20


# Dates a district's inspections can have; outside, a typo (and 9999-12-31 plus a day is no date).
EARLIEST, LATEST = datetime.date(1990, 1, 1), datetime.date(2199, 12, 31)


def _date(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        validators=[MinValueValidator(EARLIEST), MaxValueValidator(LATEST)],
    )


def _optional_date(label) -> forms.DateField:
    field = _date(label)
    field.required = False
    return field


# ---------------------------------------------------------------- the tables one may compare


def table_choices() -> list[tuple[str, str]]:
    """(key, label) of every table a backtest may score with: the one in force, each published
    version, the latest drafts, and the system's default table."""
    current = selectors.points_table_current()
    versions = list(selectors.points_table_versions())
    choices = []
    if current is not None:
        choices.append((CURRENT, gettext("现行计分表（第 %(n)s 版）") % {"n": current.version}))
    elif versions:
        # No version in force yet: a backtest scores with the first one (as regrading does).
        first = versions[-1]
        choices.append(
            (CURRENT, gettext("首个计分表（第 %(n)s 版，尚未生效）") % {"n": first.version})
        )
    for v in versions:
        choices.append(
            (
                f"v{v.version}",
                gettext("第 %(n)s 版（%(day)s 起）") % {"n": v.version, "day": v.effective_from},
            )
        )
    for d in PointsTableDraft.objects.order_by("-created_at", "-pk")[:DRAFTS_OFFERED]:
        choices.append((f"d{d.pk}", draft_label(d)))
    choices.append((DEFAULT, gettext("系统默认计分表")))
    return choices


def draft_label(draft: PointsTableDraft) -> str:
    if draft.train_from and draft.train_to:
        return gettext("草案 %(n)s（训练期 %(start)s 至 %(end)s）") % {
            "n": draft.pk,
            "start": draft.train_from,
            "end": draft.train_to,
        }
    return gettext("草案 %(n)s") % {"n": draft.pk}


def table_resolve(key: str) -> PointsTable:
    """The table a choice's key names; ValidationError({"table": …}) when it is gone."""
    if key == CURRENT:
        return table_for_backtest()
    if key == DEFAULT:
        return DEFAULT_TABLE
    kind, number = key[:1], key[1:]
    if kind in ("v", "d") and number.isascii() and number.isdigit() and len(number) < 18:
        if kind == "v":
            row = selectors.points_table_versions().filter(version=int(number)).first()
            if row is not None:
                return table_of(row)
        else:
            draft = PointsTableDraft.objects.filter(pk=int(number)).first()
            if draft is not None:
                return draft_table(draft)
    raise ValidationError({"table": gettext("所选计分表已不存在，请重新选择")})


def _same_table(a: str, b: str) -> bool:
    """The two keys name one stored table ("in force" is a version too)."""
    current = selectors.points_table_current()

    def canonical(key: str) -> str:
        return f"v{current.version}" if key == CURRENT and current is not None else key

    return canonical(a) == canonical(b)


# ---------------------------------------------------------------- the forms


def _check_period(form, start_name: str, end_name: str) -> None:
    """End on or after the start, at most ten years (the services' limit), each field named."""
    start, end = form.cleaned_data.get(start_name), form.cleaned_data.get(end_name)
    if start is None or end is None:
        return
    if end < start:
        form.add_error(
            end_name,
            gettext("%(end_label)s（%(end)s）不能早于%(start_label)s（%(start)s）")
            % {
                "end_label": form.fields[end_name].label,
                "end": end,
                "start_label": form.fields[start_name].label,
                "start": start,
            },
        )
    elif (end - start).days >= MAX_PERIOD_DAYS:
        form.add_error(
            end_name,
            gettext("%(start_label)s至%(end_label)s不能超过十年")
            % {
                "start_label": form.fields[start_name].label,
                "end_label": form.fields[end_name].label,
            },
        )


class LabelledServiceErrors:
    """A service's refusal at its field, with the field's name in front: "结束日期不能早于开始
    日期" alone does not say which of four dates is meant."""

    def service_error_place(self, target: str, messages: list[str]) -> None:
        field = self.fields.get(target)
        if field is not None:
            messages = [
                gettext("%(field)s：%(message)s") % {"field": field.label, "message": m}
                for m in messages
            ]
        super().service_error_place(target, messages)


class BacktestForm(LabelledServiceErrors, FormMixin, forms.Form):
    start = _date(_("回测期起"))
    end = _date(_("回测期止"))
    table_a = forms.ChoiceField(label=_("计分表 A"))
    table_b = forms.ChoiceField(label=_("计分表 B"))

    # The service's "end" is this form's end; its "table" is the one that could not be read.
    error_fields = {"table": "table_b"}

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("table_a", "table_b"):
            self.fields[name].choices = choices

    def clean(self):
        cleaned = super().clean()
        _check_period(self, "start", "end")
        a, b = cleaned.get("table_a"), cleaned.get("table_b")
        if a and b and _same_table(a, b):
            self.add_error(
                "table_b", gettext("计分表 B 与计分表 A 是同一张表，请选择另一张表作比较")
            )
        return cleaned

    def choice_label(self, name: str) -> str:
        return dict(self.fields[name].choices).get(self.cleaned_data[name], "")


class CalibrateForm(LabelledServiceErrors, FormMixin, forms.Form):
    train_from = _date(_("训练期起"))
    train_to = _date(_("训练期止"))
    test_from = _optional_date(_("检验期起"))
    test_to = _optional_date(_("检验期止"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["test_from"].help_text = _("留空为训练期的次日")
        self.fields["test_to"].help_text = _("留空为与训练期等长，至多到今天")

    def clean(self):
        cleaned = super().clean()
        _check_period(self, "train_from", "train_to")
        train_from, train_to = cleaned.get("train_from"), cleaned.get("train_to")
        if train_from is None or train_to is None or self.has_error("train_to"):
            return cleaned
        test_from, test_to = cleaned.get("test_from"), cleaned.get("test_to")
        if self.has_error("test_from") or self.has_error("test_to"):
            return cleaned
        # The held-out period as the service will take it (services_calibration.table_calibrate).
        today = timezone.localdate()
        start = test_from or train_to + datetime.timedelta(days=1)
        end = test_to or min(today, start + (train_to - train_from))
        if test_from is not None and test_from <= train_to:
            self.add_error(
                "test_from",
                gettext("检验期起（%(test)s）须在训练期止（%(train)s）之后，两期不能重叠")
                % {"test": test_from, "train": train_to},
            )
        elif test_to is not None and test_to < start:
            self.add_error(
                "test_to",
                gettext("检验期止（%(end)s）不能早于检验期起（%(start)s）")
                % {"end": test_to, "start": start},
            )
        elif end < start and test_from is None:
            # Left blank, the held-out period would start after today.
            self.add_error(
                "train_to",
                gettext("训练期止须早于今天（%(today)s），留出其后的检验期；或填写检验期起止")
                % {"today": today},
            )
        elif end < start:
            self.add_error(
                "test_from",
                gettext("检验期起（%(day)s）晚于今天：请一并填写检验期止") % {"day": test_from},
            )
        elif (end - start).days >= MAX_PERIOD_DAYS:
            self.add_error("test_to", gettext("检验期起至检验期止不能超过十年"))
        return cleaned


def last_full_year(last_before_this_year: datetime.date | None, latest: datetime.date | None):
    """The default period: the last calendar year that is over and had inspections; else the
    year of the latest inspection up to that inspection; None when there was none."""
    if last_before_this_year is not None:
        year = last_before_this_year.year
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if latest is not None:
        return datetime.date(latest.year, 1, 1), latest
    return None
