from django.db.models import Count, QuerySet

from wurao.accounts.scope import Scope
from wurao.registry.models import (
    Community,
    Department,
    Enterprise,
    Inspector,
    Park,
    RiskTag,
    Street,
)
from wurao.registry.selectors_search import name_contains
from wurao.registry.versions import CachedQuerySet


def enterprise_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[Enterprise]:
    """Enterprises a user may see. The registry is shared by all departments (两库);
    a street sees its own area and an enterprise only itself. Its count (a page's total)
    and the pages of a name search are cached until the registry changes
    (wurao/registry/versions.py)."""
    qs = CachedQuerySet(Enterprise).select_related("street", "community", "park")
    if scope.sees_nothing:
        return qs.none()
    if scope.enterprise_id:
        qs = qs.filter(pk=scope.enterprise_id)
    elif scope.street_id:
        qs = qs.filter(street_id=scope.street_id)
    filters = filters or {}
    if q := filters.get("q"):
        qs = (
            name_contains(qs, q).rows_cached()
            if not q[:1].isdigit()
            else qs.filter(credit_code__startswith=q.upper())
        )
    for key in ("street", "kind", "size_class", "status", "industry_section", "park"):
        if value := filters.get(key):
            qs = qs.filter(**{f"{key}": value})
    if filters.get("risk_tag"):
        qs = qs.filter(risk_tags__code=filters["risk_tag"])
    if filters.get("above_scale") in ("1", "true", True):
        qs = qs.filter(above_scale=True)
    return qs


def enterprise_get(*, scope: Scope, pk: int) -> Enterprise:
    return enterprise_list(scope=scope).prefetch_related("risk_tags").get(pk=pk)


def department_list(*, enforcement_only: bool = False) -> QuerySet[Department]:
    qs = Department.objects.select_related("parent", "street")
    return qs.filter(is_enforcement=True) if enforcement_only else qs


def inspector_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[Inspector]:
    qs = Inspector.objects.select_related("department")
    if scope.sees_all:
        pass
    elif scope.department_id:
        qs = qs.filter(department_id=scope.department_id)
    elif scope.street_id:
        qs = qs.filter(department__street_id=scope.street_id)
    else:
        # An enterprise checks one badge at a time (see inspector_lookup); it does not browse staff.
        return qs.none()
    filters = filters or {}
    if department := filters.get("department"):
        qs = qs.filter(department_id=department)
    if q := filters.get("q"):
        qs = qs.filter(name__contains=q) | qs.filter(badge_no__startswith=q)
    return qs


def street_list(*, with_counts: bool = False) -> QuerySet[Street]:
    """Streets; with_counts adds enterprise_count, a grouped join over the whole registry."""
    qs = Street.objects.order_by("code")
    return qs.annotate(enterprise_count=Count("enterprises")) if with_counts else qs


def risk_tag_list() -> QuerySet[RiskTag]:
    return RiskTag.objects.all()


def community_list(*, street_id: int | None = None) -> QuerySet[Community]:
    qs = Community.objects.select_related("street")
    return qs.filter(street_id=street_id) if street_id else qs


def park_list() -> QuerySet[Park]:
    return Park.objects.select_related("street")
