"""Working days of a month: Monday to Friday, less public holidays, plus weekend days made
working days (调休上班), as the Holiday table records them."""

import calendar
from datetime import date, timedelta

from wurao.planning.models import Holiday


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(day: date) -> date:
    return month_end(day) + timedelta(days=1)


def working_days(month: date) -> list[date]:
    first, last = month_start(month), month_end(month)
    special = dict(
        Holiday.objects.filter(date__gte=first, date__lte=last).values_list("date", "is_workday")
    )
    days = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        if special.get(day, day.weekday() < 5):
            days.append(day)
    return days
