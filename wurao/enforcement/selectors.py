from django.db.models import Max, Min, QuerySet

from wurao.accounts.scope import Scope
from wurao.enforcement.choices import ActionKind
from wurao.enforcement.models import EnforcementAction


def action_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[EnforcementAction]:
    """Actions a user may see: a department its own, a street those in its area,
    an enterprise those on itself, the justice bureau all."""
    qs = EnforcementAction.objects.select_related("enterprise", "department")
    if scope.sees_nothing:
        return qs.none()
    if scope.department_id:
        qs = qs.filter(department_id=scope.department_id)
    elif scope.street_id:
        qs = qs.filter(enterprise__street_id=scope.street_id)
    elif scope.enterprise_id:
        qs = qs.filter(enterprise_id=scope.enterprise_id)
    filters = filters or {}
    for key in ("kind", "origin", "department", "enterprise", "department_level", "mode"):
        if value := filters.get(key):
            qs = qs.filter(**{key: value})
    if year := filters.get("year"):
        qs = qs.filter(date__year=year)
    if start := filters.get("date_from"):
        qs = qs.filter(date__gte=start)
    if end := filters.get("date_to"):
        qs = qs.filter(date__lte=end)
    return qs


def action_years(*, scope: Scope) -> list[int]:
    """Years that hold actions the viewer may see, newest first.

    MIN and MAX walk the date indexes; a DISTINCT over years would read every row.
    """
    bounds = action_list(scope=scope).aggregate(first=Min("date"), last=Max("date"))
    if bounds["last"] is None:
        return []
    return list(range(bounds["last"].year, bounds["first"].year - 1, -1))


def last_inspection_officers(*, department_id: int) -> list[tuple[str, str]]:
    """(credit code, badge) for the officers of the department's latest inspection of each
    enterprise: a random draw must not send them back to the same enterprise (回避)."""
    latest: dict[int, int] = {}
    for enterprise_id, action_id in (
        EnforcementAction.objects.filter(department_id=department_id, kind=ActionKind.INSPECTION)
        .order_by("enterprise_id", "-date", "-id")
        .values_list("enterprise_id", "id")
        .iterator(chunk_size=10_000)
    ):
        latest.setdefault(enterprise_id, action_id)
    through = EnforcementAction.officers.through
    return list(
        through.objects.filter(enforcementaction_id__in=list(latest.values())).values_list(
            "enforcementaction__enterprise__credit_code", "inspector__badge_no"
        )
    )
