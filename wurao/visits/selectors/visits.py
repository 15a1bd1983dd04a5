"""The visits a person may see: lists, one visit, the override queue, and what a code
says to anyone who checks it."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from wurao.accounts.scope import Scope
from wurao.catalogue import selectors as catalogue_selectors
from wurao.enforcement import selectors as enforcement_selectors
from wurao.registry import selectors as registry_selectors
from wurao.visits import sql as visits_sql
from wurao.visits.choices import CodeState, VisitKind, VisitStatus
from wurao.visits.models import Visit, visit_code_normalise
from wurao.visits.selectors.registration import COUNTED_STATUSES, rules_current


def visit_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[Visit]:
    """Visits a user may see: a department those it took part in, a street those in its
    area, an enterprise those to itself, the justice bureau all."""
    qs = Visit.objects.select_related("enterprise", "department")
    if scope.sees_nothing:
        return qs.none()
    if scope.department_id:
        qs = qs.filter(departments=scope.department_id)
    elif scope.street_id:
        qs = qs.filter(enterprise__street_id=scope.street_id)
    elif scope.enterprise_id:
        qs = qs.filter(enterprise_id=scope.enterprise_id)
    filters = filters or {}
    for key in ("kind", "origin", "status", "enterprise", "after_the_fact"):
        value = filters.get(key)
        if value not in (None, ""):
            qs = qs.filter(**{key: value})
    if department := filters.get("department"):
        qs = qs.filter(departments=department)
    if year := filters.get("year"):
        qs = qs.filter(date__year=year)
    if start := filters.get("date_from"):
        qs = qs.filter(date__gte=start)
    if end := filters.get("date_to"):
        qs = qs.filter(date__lte=end)
    if filters.get("overridden"):
        qs = qs.exclude(override_reason="")
    return qs


def non_enforcement_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[Visit]:
    """Non-enforcement visits that took place (工会, 妇联, 党建, 社区...): the study counts
    them as burden on the enterprise too."""
    filters = {**(filters or {}), "kind": VisitKind.NON_ENFORCEMENT}
    return visit_list(scope=scope, filters=filters).filter(status__in=COUNTED_STATUSES)


def visit_get(*, scope: Scope, code: str) -> Visit:
    """One visit by its code, as far as the user may see it (Visit.DoesNotExist otherwise)."""
    return visit_list(scope=scope).get(code=visit_code_normalise(code))


def override_queue(*, scope: Scope) -> QuerySet[Visit]:
    return visit_list(scope=scope, filters={"status": VisitStatus.PENDING_OVERRIDE}).order_by(
        "registered_at"
    )


def override_list(*, scope: Scope, year: int | None = None) -> QuerySet[Visit]:
    """Registrations that broke a rule with a reason and a second approver: shown on the
    oversight page."""
    qs = visit_list(scope=scope, filters={"overridden": True, "year": year})
    return qs.select_related("override_approved_by", "registered_by")


def visit_unready(visit: Visit) -> list[str]:
    """What an inspection still lacks before the officers may check in: the approval, and at
    least `min_officers` officers from every department on it. A joint visit the street
    confirmed from the plans starts with neither; each department names its officers later.
    Reads the visit's departments and officers (prefetch them for a list)."""
    if visit.kind != VisitKind.INSPECTION:
        return []
    missing = []
    if not visit.approver:
        missing.append(f"尚无行政检查审批：由牵头单位{visit.department.name}填写")
    least = rules_current(as_of=visit.date).min_officers
    sent = Counter(o.department_id for o in visit.officers.all())
    missing += [
        f"{d.name}尚未指派执法人员（至少 {least} 人）"
        for d in visit.departments.all()
        if sent[d.pk] < least
    ]
    return missing


@dataclass(frozen=True)
class CodeCheck:
    """What anyone who enters or scans a code is told (public, no login)."""

    state: CodeState
    visit: Visit | None

    @property
    def may_enter(self) -> bool:
        return self.state in (CodeState.VALID, CodeState.IN_PROGRESS)


def visit_code_check(*, raw: str, today: date | None = None) -> CodeCheck:
    code = visit_code_normalise(raw)
    visit = visits_sql.visit_for_check(code) if code else None
    if visit is None:
        return CodeCheck(CodeState.UNKNOWN, None)
    today = today or timezone.localdate()
    status = visit.status
    if status == VisitStatus.CANCELLED:
        state = CodeState.CANCELLED
    elif status in (VisitStatus.PENDING_OVERRIDE, VisitStatus.REJECTED):
        state = CodeState.PENDING if status == VisitStatus.PENDING_OVERRIDE else CodeState.CANCELLED
    elif status == VisitStatus.IN_PROGRESS:
        state = CodeState.IN_PROGRESS
    elif status == VisitStatus.COMPLETED:
        state = CodeState.COMPLETED
    elif visit.date > today:
        state = CodeState.NOT_YET
    elif visit.date < today:
        state = CodeState.EXPIRED
    elif visit_unready(visit):
        state = CodeState.INCOMPLETE
    else:
        state = CodeState.VALID
    return CodeCheck(state, visit)


def visit_detail(*, scope: Scope, code: str) -> Visit:
    """One visit with everything its page shows (Visit.DoesNotExist outside the scope)."""
    return (
        visit_list(scope=scope)
        .select_related("registered_by", "override_approved_by")
        .prefetch_related(
            "departments",
            Prefetch(
                "officers", queryset=registry_selectors.inspector_list(scope=Scope(sees_all=True))
            ),
            Prefetch(
                "items", queryset=catalogue_selectors.item_list(filters={"active_only": False})
            ),
            Prefetch(
                "actions",
                queryset=enforcement_selectors.action_list(scope=scope)
                .prefetch_related("items", "officers")
                .order_by("pk"),
            ),
        )
        .get(code=visit_code_normalise(code))
    )
