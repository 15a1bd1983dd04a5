import dataclasses
import re

from django.db.models import Count, Prefetch, Q, QuerySet

from wurao.accounts.scope import Scope
from wurao.credit import selectors as credit_selectors
from wurao.registry import selectors as registry_selectors
from wurao.registry.choices import EnterpriseStatus
from wurao.sampling.choices import TaskStatus
from wurao.sampling.models import DrawParticipant, DrawResult, DrawSelection, DrawTask

# The registry filters a draw's scope may use, and the lookup each maps to.
SCOPE_LOOKUPS = {
    "streets": "street_id__in",
    "communities": "community_id__in",
    "parks": "park_id__in",
    "industry_sections": "industry_section__in",
    "kinds": "kind__in",
    "size_classes": "size_class__in",
    "risk_tags": "risk_tags__code__in",
}


def draw_scope_enterprises(*, scope: dict) -> QuerySet:
    """The enterprises a task's scope covers: live entities matching every given filter."""
    qs = registry_selectors.enterprise_list(scope=Scope(sees_all=True)).filter(
        status=EnterpriseStatus.ACTIVE
    )
    for key, lookup in SCOPE_LOOKUPS.items():
        if values := scope.get(key):
            qs = qs.filter(**{lookup: values})
    if scope.get("above_scale"):
        qs = qs.filter(above_scale=True)
    if scope.get("risk_tags"):
        qs = qs.distinct()
    return qs


def draw_task_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[DrawTask]:
    """Tasks a user may see: a department those it leads or takes part in; the justice bureau all."""
    qs = DrawTask.objects.select_related("lead_department").annotate(
        selected_count=Count("selections", distinct=True)
    )
    if scope.sees_all:
        pass
    elif scope.department_id:
        qs = qs.filter(
            Q(lead_department_id=scope.department_id)
            | Q(participants__department_id=scope.department_id)
        ).distinct()
    else:
        return qs.none()
    filters = filters or {}
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if q := filters.get("q"):
        qs = qs.filter(Q(title__contains=q) | Q(code__icontains=q))
    if filters.get("joint"):
        joint = (
            DrawParticipant.objects.values("task_id")
            .annotate(departments=Count("id"))
            .filter(departments__gt=1)
            .values("task_id")
        )
        qs = qs.filter(pk__in=joint)
    return qs.order_by("-created_at", "-id")


# How a committed task records its grading (task.grade_table, and the bundle's grade_table).
GRADE_TABLE_UNRATED = "unrated"
GRADE_TABLE_FORMAT = "credit-points-v{version}"


def grade_table_label(version: int | None) -> str:
    return GRADE_TABLE_FORMAT.format(version=version) if version else GRADE_TABLE_UNRATED


def grade_table_version(label: str) -> int | None:
    match = re.fullmatch(GRADE_TABLE_FORMAT.format(version=r"(\d+)"), label)
    return int(match[1]) if match else None


@dataclasses.dataclass(frozen=True)
class GradeBasis:
    """Which credit grading a task's strata come from, as the task page names it."""

    version: int | None  # the points table's version; None when every candidate is unrated
    frozen: bool  # committed: the grades as they were then, whatever has changed since


def draw_task_grade_basis(*, task: DrawTask, sizes: dict[str, int] | None = None) -> GradeBasis:
    """A committed task's recorded basis; for a draft, the one its preview (`sizes`, the
    candidates per stratum) uses now and a commit would freeze."""
    if task.status != TaskStatus.DRAFT:
        return GradeBasis(version=grade_table_version(task.grade_table), frozen=True)
    if sizes is not None and sizes.get("U", 0) == sum(sizes.values()):
        return GradeBasis(version=None, frozen=False)
    current = credit_selectors.points_table_current()
    return GradeBasis(version=current.version if current else None, frozen=False)


def draw_task_public_list() -> QuerySet[DrawTask]:
    """What 一公开 shows anyone: every task from its commitment on."""
    return (
        DrawTask.objects.exclude(status=TaskStatus.DRAFT)
        .select_related("lead_department")
        .annotate(selected_count=Count("selections", distinct=True))
        .order_by("-committed_at", "-id")
    )


def draw_task_detail(*, task: DrawTask) -> DrawTask:
    participants = DrawParticipant.objects.select_related("department").prefetch_related("items")
    return (
        DrawTask.objects.select_related("lead_department")
        .prefetch_related(Prefetch("participants", queryset=participants))
        .get(pk=task.pk)
    )


def draw_selection_list(*, task: DrawTask) -> QuerySet[DrawSelection]:
    return (
        DrawSelection.objects.filter(task=task)
        .select_related("enterprise", "enterprise__street")
        .prefetch_related(
            "team__inspector", "team__participant__department", "results__participant"
        )
        .order_by("enterprise__credit_code")
    )


def draw_result_progress(*, task: DrawTask) -> tuple[int, int]:
    """(results recorded, results expected): one per drawn enterprise and department."""
    expected = task.selections.count() * task.participants.count()
    return DrawResult.objects.filter(selection__task=task).count(), expected
