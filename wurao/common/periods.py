"""Where a dated page opens: on the latest year that holds the viewer's records up to today.

Records dated ahead (next January's registered joint visits, a plan for a month to come) must
not move a page to a year that has not begun and so has nothing to show yet; a page that opens
on an empty year tells the user nothing."""

from datetime import date

from django.db.models import Max, QuerySet


def latest_until(records: QuerySet, *, until: date, field: str = "date") -> date | None:
    """The date of the latest of `records` dated up to `until` (by `field`), or None if none is.
    `records` is already limited to what the viewer may see. MAX walks the date index."""
    return records.filter(**{f"{field}__lte": until}).aggregate(last=Max(field))["last"]


def latest_year_until(records: QuerySet, *, until: date, field: str = "date") -> int | None:
    """The year of the latest of `records` dated up to `until`, or None if none is."""
    last = latest_until(records, until=until, field=field)
    return last.year if last else None
