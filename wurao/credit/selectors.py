from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from wurao.accounts.scope import Scope
from wurao.credit.choices import RecordSource, ReviewStatus
from wurao.credit.models import (
    CommitmentItem,
    CreditCommitment,
    CreditObjection,
    CreditRepair,
    EnterpriseGrade,
    GradeChange,
    MonitoringAlert,
    PointsTableVersion,
    ReviewRequest,
)
from wurao.enforcement import selectors as enforcement_selectors


def points_table_current(*, as_of=None) -> PointsTableVersion | None:
    """The version in force on a date: the newest whose effective date has come."""
    as_of = as_of or timezone.localdate()
    return PointsTableVersion.objects.filter(effective_from__lte=as_of).order_by("-version").first()


def points_table_versions() -> QuerySet[PointsTableVersion]:
    return PointsTableVersion.objects.select_related("created_by").order_by("-version")


def enterprise_grade_get(*, enterprise_id: int) -> EnterpriseGrade | None:
    return (
        EnterpriseGrade.objects.select_related("table_version")
        .filter(enterprise_id=enterprise_id)
        .first()
    )


def _scoped(qs: QuerySet, scope: Scope, *, department_field: str) -> QuerySet:
    if scope.sees_all:
        return qs
    if scope.enterprise_id:
        return qs.filter(enterprise_id=scope.enterprise_id)
    if scope.department_id:
        return qs.filter(**{department_field: scope.department_id})
    if scope.street_id:
        return qs.filter(enterprise__street_id=scope.street_id)
    return qs.none()


def grade_change_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[GradeChange]:
    """Grade changes, newest first: "who moved to D today and why". Departments see all
    enterprises' grades (the registry is shared); a street its area; an enterprise itself."""
    qs = GradeChange.objects.select_related("enterprise", "table_version")
    if scope.enterprise_id:
        qs = qs.filter(enterprise_id=scope.enterprise_id)
    elif scope.street_id:
        qs = qs.filter(enterprise__street_id=scope.street_id)
    elif not (scope.sees_all or scope.department_id):
        qs = qs.none()
    filters = filters or {}
    if grade := filters.get("grade"):
        qs = qs.filter(grade=grade)
    if as_of := filters.get("as_of"):
        qs = qs.filter(as_of=as_of)
    return qs


def review_request_list(
    *, scope: Scope, kind: type[ReviewRequest], filters: dict | None = None
) -> QuerySet:
    """Objections or repairs: an enterprise its own, a department those it must decide."""
    qs = _scoped(
        kind.objects.select_related("enterprise", "department"),
        scope,
        department_field="department_id",
    )
    filters = filters or {}
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if filters.get("overdue"):
        qs = qs.filter(status=ReviewStatus.SUBMITTED, due_on__lt=timezone.localdate())
    return qs


def objection_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[CreditObjection]:
    return review_request_list(scope=scope, kind=CreditObjection, filters=filters)


def repair_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[CreditRepair]:
    return review_request_list(scope=scope, kind=CreditRepair, filters=filters)


def review_record_labels(*, refs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """What records an objection or repair can be about are, in words ("2020-03-02 区应急管理局
    行政处罚"), by (record_source, record_id): at most three queries however many records."""
    wanted: dict[str, set[int]] = {}
    for source, record_id in refs:
        wanted.setdefault(source, set()).add(record_id)
    labels: dict[tuple[str, int], str] = {}
    if ids := wanted.get(RecordSource.ACTION):
        actions = enforcement_selectors.action_list(scope=Scope(sees_all=True)).filter(pk__in=ids)
        for action in actions.select_related("department"):
            labels[RecordSource.ACTION, action.pk] = (
                f"{action.date} {action.department.name} {action.get_kind_display()}"
            )
    if ids := wanted.get(RecordSource.ALERT):
        for alert in MonitoringAlert.objects.filter(pk__in=ids).select_related("department"):
            labels[RecordSource.ALERT, alert.pk] = (
                f"{alert.date} {alert.department.name} {alert.source}：{alert.description}"
            )
    if ids := wanted.get(RecordSource.COMMITMENT):
        commitments = CreditCommitment.objects.filter(pk__in=ids).select_related("item__department")
        for c in commitments:
            labels[RecordSource.COMMITMENT, c.pk] = (
                f"{c.decided_on or c.signed_on} {c.item.department.name} "
                f"“{c.item.title}”{c.get_status_display()}"
            )
    return labels


def commitment_item_list(*, department_id: int | None = None) -> QuerySet[CommitmentItem]:
    qs = CommitmentItem.objects.select_related("department").filter(active=True)
    return qs.filter(department_id=department_id) if department_id else qs


def commitment_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[CreditCommitment]:
    qs = CreditCommitment.objects.select_related("enterprise", "item", "item__department")
    if status := (filters or {}).get("status"):
        qs = qs.filter(status=status)
    return _scoped(qs, scope, department_field="item__department_id")


def grade_effects(*, as_of=None) -> dict[str, dict]:
    """What each grade means for the other capabilities, from the table in force: sampling
    weight ([draws]), yearly visit cap and quiet period ([visits]), flags such as 绿色通道."""
    version = points_table_current(as_of=as_of)
    return dict(version.table.get("effects", {})) if version else {}


def sampling_weights(*, as_of=None) -> dict[str, str]:
    return {
        grade: str(effect["sampling_weight"])
        for grade, effect in grade_effects(as_of=as_of).items()
    }
