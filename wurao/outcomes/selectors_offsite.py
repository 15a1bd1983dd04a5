"""Reading off-site inspections (非现场检查) and their evidence, scoped like every action: a
department its own, a street those on its area's enterprises, the bureau all."""

from django.db.models import Count, QuerySet

from wurao.accounts.scope import Scope
from wurao.enforcement.choices import ActionKind, Mode
from wurao.enforcement.models import EnforcementAction
from wurao.enforcement.selectors import action_list
from wurao.outcomes.models import Evidence


def offsite_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[EnforcementAction]:
    """Off-site inspections the viewer may see, newest first; filters: year, date_from,
    date_to, department, enterprise, origin, method (the off-site method)."""
    filters = dict(filters or {})
    method = filters.pop("method", None)
    qs = action_list(
        scope=scope, filters={**filters, "kind": ActionKind.INSPECTION, "mode": Mode.OFF_SITE}
    )
    if method:
        qs = qs.filter(offsite_method=method)
    return qs.annotate(evidence_count=Count("evidence", distinct=True)).order_by("-date", "-id")


def offsite_get(*, scope: Scope, pk: int) -> EnforcementAction:
    """One off-site inspection in scope (DoesNotExist otherwise: a 404, as if missing)."""
    return (
        offsite_list(scope=scope)
        .select_related("created_by")
        .prefetch_related("items", "officers")
        .get(pk=pk)
    )


def offsite_evidence(*, action: EnforcementAction) -> QuerySet[Evidence]:
    """The action's own evidence (not an item's or a rectification report's)."""
    return Evidence.objects.filter(action=action, item_check=None, report=None).select_related(
        "uploaded_by"
    )


def offsite_years(*, scope: Scope) -> list[int]:
    dates = offsite_list(scope=scope).order_by().values_list("date__year", flat=True).distinct()
    return sorted(set(dates), reverse=True)
