"""Clear the demo district: which tables it fills, whether they are empty, and the reset.

A reset deletes only what the demo builds, refuses when other records point at it, and
releases the demo accounts; it is one audited transaction."""

from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import PROTECT, Model

from wurao.accounts.models import User
from wurao.audit.services import audit_record
from wurao.catalogue.models import InspectionItem, ItemArticleLink
from wurao.credit.models import (
    CommitmentItem,
    CreditCommitment,
    CreditObjection,
    CreditRepair,
    EnterpriseGrade,
    GradeChange,
    MonitoringAlert,
    PointsTableVersion,
    PositiveRecord,
)
from wurao.demo import data
from wurao.demo.loader import delete_all
from wurao.enforcement.models import EnforcementAction
from wurao.planning.models import (
    Campaign,
    DepartmentCapacity,
    EnterpriseSlot,
    JointVisit,
    MonthlyPlan,
    ParkDay,
    ParkDaySetting,
    PlannedInspection,
    ScheduleRun,
)
from wurao.registry.models import (
    Community,
    Department,
    Enterprise,
    Inspector,
    Park,
    RiskTag,
    Street,
)
from wurao.sampling.models import (
    ConflictOfInterest,
    DrawParticipant,
    DrawResult,
    DrawSelection,
    DrawTask,
    DrawTeamMember,
)
from wurao.visits.models import (
    Visit,
    VisitRating,
    VisitRefusal,
    VisitRuleVersion,
)

DEMO_USERNAMES = tuple(username for username, *_ in data.DEMO_ACCOUNTS)


class DemoError(Exception):
    """A demo build or reset that cannot go ahead; the message says why and what to do."""


def through_model(model: type[Model], name: str) -> type[Model]:
    return model._meta.get_field(name).remote_field.through


# The enterprise's side (issue [portal]): every table of these apps, found rather than listed.
PORTAL_APPS = ("complaints", "bookings", "rulemaking", "selfcheck", "standards")


def _children_first(models: list[type[Model]]) -> list[type[Model]]:
    """`models` ordered so that a model comes before every model of the list it points to."""
    remaining, ordered = list(models), []
    while remaining:
        pointed_at = {
            f.related_model
            for m in remaining
            for f in m._meta.concrete_fields
            if f.is_relation and f.related_model is not m
        }
        free = [m for m in remaining if m not in pointed_at] or remaining[:1]
        ordered += free
        remaining = [m for m in remaining if m not in free]
    return ordered


def portal_models() -> list[type[Model]]:
    models = [
        m
        for label in PORTAL_APPS
        for m in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    return _children_first(models)


def outcomes_models() -> list[type[Model]]:
    return _children_first(
        list(apps.get_app_config("outcomes").get_models(include_auto_created=True))
    )


def demo_models() -> list[type[Model]]:
    """Every table the demo fills, in an order that deletes children first."""
    return (
        [ItemArticleLink]
        + portal_models()
        + [
            # What inspections produced (the 一表通查 form's results among them): it points at
            # enforcement actions, items and enterprises.
            *outcomes_models(),
            # Planning first: its rows point at visits, draw tasks, items and enterprises.
            through_model(PlannedInspection, "items"),
            PlannedInspection,
            JointVisit,
            ScheduleRun,
            EnterpriseSlot,
            MonthlyPlan,
            DepartmentCapacity,
            Campaign,
            through_model(ParkDay, "departments"),
            ParkDay,
            ParkDaySetting,
            GradeChange,
            EnterpriseGrade,
            CreditObjection,
            CreditRepair,
            CreditCommitment,
            CommitmentItem,
            PositiveRecord,
            MonitoringAlert,
            PointsTableVersion,
            DrawResult,
            DrawTeamMember,
            DrawSelection,
            through_model(DrawParticipant, "items"),
            DrawParticipant,
            DrawTask,
            ConflictOfInterest,
            through_model(EnforcementAction, "items"),
            through_model(EnforcementAction, "officers"),
            EnforcementAction,
            through_model(Visit, "departments"),
            through_model(Visit, "officers"),
            through_model(Visit, "items"),
            VisitRating,
            VisitRefusal,
            Visit,
            VisitRuleVersion,
            through_model(InspectionItem, "applicable_tags"),
            InspectionItem,
            Inspector,
            through_model(Enterprise, "risk_tags"),
            Enterprise,
            RiskTag,
            Department,
            Park,
            Community,
            Street,
        ]
    )


MAIN_MODELS = (
    Street,
    Community,
    Park,
    Department,
    Inspector,
    RiskTag,
    InspectionItem,
    Enterprise,
    EnforcementAction,
    Visit,
    DrawTask,
    ConflictOfInterest,
    PointsTableVersion,
    MonitoringAlert,
    CreditCommitment,
    EnterpriseGrade,
    MonthlyPlan,
    PlannedInspection,
    JointVisit,
    ParkDay,
)


def demo_existing_counts() -> dict[str, int]:
    """Rows already in the tables the demo fills (by Chinese table name), and demo accounts."""
    counts = {str(m._meta.verbose_name): m.objects.count() for m in MAIN_MODELS}
    counts["演示账号"] = User.objects.filter(username__in=DEMO_USERNAMES).count()
    return counts


def demo_is_empty() -> bool:
    return not any(demo_existing_counts().values())


def _foreign_references() -> list[str]:
    """Rows outside the demo's tables that point at demo rows and would block deleting them."""
    own = set(demo_models())
    found = []
    for model in demo_models():
        for rel in model._meta.related_objects:
            if rel.many_to_many:
                through = rel.through
                if through in own:
                    continue
                n = through.objects.count()
                label = f"{through._meta.label}"
            else:
                if rel.related_model in own:
                    continue
                n = rel.related_model._base_manager.filter(
                    **{f"{rel.field.name}__isnull": False}
                ).count()
                label = f"{rel.related_model._meta.verbose_name}（{rel.related_model._meta.label}.{rel.field.name}）"
            if n:
                found.append(f"{label} {n} 条")
    return found


def _release_demo_accounts() -> None:
    """Demo rows that hold on to an account (an override's second approver) let go of it, so
    the accounts can be deleted; the rows themselves go a moment later."""
    for model in demo_models():
        for f in model._meta.concrete_fields:
            if (
                f.is_relation
                and f.related_model is User
                and f.remote_field.on_delete is PROTECT
                and f.null
            ):
                model._base_manager.exclude(**{f.name: None}).update(**{f.name: None})


@transaction.atomic
def demo_reset(*, actor: Any) -> dict[str, int]:
    """Delete the demo accounts and every row of the tables the demo fills; audit events stay."""
    before = demo_existing_counts()
    _release_demo_accounts()
    # The enterprise's side is demo rows only, some naming the accounts that wrote them for
    # good (a statement's requester): they go before the accounts.
    delete_all([m._meta.db_table for m in portal_models()])
    User.objects.filter(username__in=DEMO_USERNAMES).delete()
    blockers = _foreign_references()
    if blockers:
        raise DemoError(
            "以下数据引用了街道、部门、企业等演示表中的记录，重置会破坏它们："
            + "；".join(blockers)
            + "。请先删除或改挂这些数据再重置。"
        )
    Department.objects.update(parent=None)
    delete_all([m._meta.db_table for m in demo_models()])
    audit_record(actor=actor, verb="demo.reset", object_type="demo", payload={"deleted": before})
    return before
