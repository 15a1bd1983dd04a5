"""Whose documents a person may have: the department of the record and the justice bureau; the
enterprise its own — a case once decided, its notices, the records of its inspections. No
street and no other department (their records are out of scope: DoesNotExist, a 404)."""

from django.db.models import QuerySet

from wurao.accounts.scope import Scope
from wurao.enforcement.models import EnforcementAction
from wurao.outcomes.choices import CaseStatus
from wurao.outcomes.models import Case, FindingNotice

DECIDED = (CaseStatus.DECIDED, CaseStatus.CLOSED)


def _scoped(qs: QuerySet, scope: Scope, *, department: str, enterprise: str) -> QuerySet:
    if scope.sees_all:
        return qs
    if scope.department_id:
        return qs.filter(**{department: scope.department_id})
    if scope.enterprise_id:
        return qs.filter(**{enterprise: scope.enterprise_id})
    return qs.none()


def case_for_documents(*, scope: Scope, pk: int) -> Case:
    qs = Case.objects.select_related(
        "enterprise",
        "department",
        "standard__breached_article__version__document",
        "standard__penalty_article__version__document",
        "band",
        "exemption__exemption_list",
        "observation",
    )
    if scope.enterprise_id and not scope.sees_all:
        qs = qs.filter(status__in=DECIDED, decided_on__isnull=False)
    return _scoped(qs, scope, department="department_id", enterprise="enterprise_id").get(pk=pk)


def notice_for_documents(*, scope: Scope, pk: int) -> FindingNotice:
    qs = FindingNotice.objects.select_related(
        "action__enterprise", "action__department", "issued_by"
    )
    return _scoped(
        qs, scope, department="action__department_id", enterprise="action__enterprise_id"
    ).get(pk=pk)


def action_for_record(*, scope: Scope, pk: int) -> EnforcementAction:
    qs = EnforcementAction.objects.select_related("enterprise", "department", "visit")
    return _scoped(qs, scope, department="department_id", enterprise="enterprise_id").get(pk=pk)
