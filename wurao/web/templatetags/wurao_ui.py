"""Small display helpers shared by every page."""

from django import template
from django.http import QueryDict

register = template.Library()


@register.filter
def thousands(value) -> str:
    """53382 → "53,382" in every language.

    humanize's intcomma follows the zh-hans locale, which has no thousands
    separator, but statistical tables in government reports group by three.
    """
    if value in (None, ""):
        return "—"
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)


@register.filter
def percent(value, digits: int = 1) -> str:
    if value in (None, ""):
        return "—"
    return f"{float(value):.{int(digits)}f}%"


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced, for pagination links that keep filters."""
    query: QueryDict = context["request"].GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def nav_active(context, prefix: str) -> str:
    return "active" if context["request"].path.startswith(prefix) else ""
