"""Cells of a published table as the page shows them: dates as in the JSON and CSV."""

from datetime import date, datetime

from django import template

register = template.Library()


@register.filter
def cell(row: dict, key: str):
    value = row.get(key)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
