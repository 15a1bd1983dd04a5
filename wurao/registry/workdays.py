"""Working days: Monday to Friday, less the mainland's public holidays, plus the weekend days
made working days (调休上班). The one calendar of the platform: plans, joint visits and park days,
credit review deadlines and the demo district all ask it.

The holidays ship with the platform in the `chinese-calendar` package, which knows a year only
once the State Council has published that year's arrangement (usually around November) and a
release carrying it is installed: take the new release each year
(`uv pip compile --upgrade-package chinese-calendar`, see requirements/prod.lock). The Holiday table,
kept in the admin, records what the package lacks (a year published after the installed release,
a local change) and wins over it. A year known to neither is not covered: its statutory
holidays are still known, since the law fixes them (《全国年节及纪念日放假办法》, as revised in
2024: 元旦, 除夕 and 春节 初一 to 初三, 清明, 5月1日–2日, 端午, 中秋, 10月1日–3日; the `holidays`
package works out the lunar dates), so nothing is planned on them; only the arrangement that
moves days around them (调休) is unknown, and the pages say so.

The Holiday table belongs to planning, a capability above this reference layer (credit, also a
capability, must not import planning): planning plugs it in at start-up
(`entered_days_source_set`, from PlanningConfig.ready), so every caller reads it.
"""

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import chinese_calendar
import holidays
from django.utils.translation import gettext_lazy as _

_PUBLISHED = chinese_calendar.constants.holidays
PUBLISHED_YEARS = range(min(_PUBLISHED).year, max(_PUBLISHED).year + 1)
# The package names holidays in English and Chinese; these are the names the pages show.
_NAMES = {h.value: h.chinese for h in chinese_calendar.Holiday} | {
    "New Year's Day": _("元旦"),
    "Spring Festival": _("春节"),
    "Tomb-sweeping Day": _("清明节"),
    "Labour Day": _("劳动节"),
    "Dragon Boat Festival": _("端午节"),
    "National Day": _("国庆节"),
    "Mid-autumn Festival": _("中秋节"),
}
# The `holidays` package's names for the statutory days of a year not yet published.
_STATUTORY_NAMES = {
    "New Year's Day": _("元旦"),
    "Chinese New Year's Eve": _("春节"),
    "Chinese New Year (Spring Festival)": _("春节"),
    "Tomb-Sweeping Day": _("清明节"),
    "Labor Day": _("劳动节"),
    "Dragon Boat Festival": _("端午节"),
    "Mid-Autumn Festival": _("中秋节"),
    "National Day": _("国庆节"),
}


@dataclass(frozen=True)
class SpecialDay:
    """A day that breaks the Monday-to-Friday rule: a weekday off, or a weekend day worked."""

    date: date
    name: str  # the holiday a day off belongs to, or whose make-up day a worked weekend is
    is_workday: bool


# The days entered by hand from `first` to `last`; none until planning plugs its table in.
EnteredDays = Callable[[date, date], Iterable[SpecialDay]]
_entered_days: list[EnteredDays] = [lambda first, last: ()]


def entered_days_source_set(source: EnteredDays) -> None:
    """Read the days entered by hand through `source` from now on."""
    _entered_days[0] = source


def _entered(first: date, last: date) -> dict[date, SpecialDay]:
    return {day.date: day for day in _entered_days[0](first, last)}


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(day: date) -> date:
    return month_end(day) + timedelta(days=1)


def year_covered(year: int) -> bool:
    """Whether the holidays of `year` are known: published in the installed package, or entered
    in the Holiday table."""
    return year in PUBLISHED_YEARS or bool(_entered(date(year, 1, 1), date(year, 12, 31)))


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _published_special(day: date) -> SpecialDay | None:
    if day.year not in PUBLISHED_YEARS:
        return None
    off, name = chinese_calendar.get_holiday_detail(day)
    works = not off
    if works == (day.weekday() < 5):
        return None
    return SpecialDay(day, str(_NAMES.get(name, name or "")), works)


@cache
def _statutory(year: int) -> dict[date, str]:
    """The days the law gives off in `year`, without the year's published arrangement (no
    days moved to bridge a weekend, no weekend worked instead)."""
    return dict(holidays.China(years=year, observed=False).items())


def _statutory_special(day: date) -> SpecialDay | None:
    if day.year in PUBLISHED_YEARS or day.weekday() >= 5:
        return None
    name = _statutory(day.year).get(day)
    return (
        SpecialDay(day, str(_STATUTORY_NAMES.get(name, name)), is_workday=False) if name else None
    )


def special_days(first: date, last: date) -> list[SpecialDay]:
    """The days from `first` to `last` that are not worked as Monday to Friday would say: the
    Holiday table first, then the published calendar, then (for a year not yet published) the
    statutory holidays."""
    entered = _entered(first, last)
    found = []
    for day in _days(first, last):
        special = entered.get(day) or _published_special(day) or _statutory_special(day)
        if special and special.is_workday != (day.weekday() < 5):
            found.append(special)
    return found


def working_days_between(first: date, last: date) -> list[date]:
    special = {s.date: s.is_workday for s in special_days(first, last)}
    return [d for d in _days(first, last) if special.get(d, d.weekday() < 5)]


def working_days(month: date) -> list[date]:
    """The working days of the month that `month` falls in."""
    return working_days_between(month_start(month), month_end(month))


def is_working_day(day: date) -> bool:
    return bool(working_days_between(day, day))


def working_days_after(start: date, days: int) -> date:
    """The date `days` working days after `start` (a deadline counted in working days: 国庆
    and 春节 do not count, a make-up Saturday does)."""
    if days <= 0:
        return start
    # Three calendar weeks hold at least a working week, even across 春节 or 国庆.
    first, span = start + timedelta(days=1), 3 * days + 21
    while True:
        found = working_days_between(first, first + timedelta(days=span))
        if len(found) >= days:
            return found[days - 1]
        span *= 2
