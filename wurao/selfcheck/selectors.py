"""Reads of 自查自纠. Every list takes the reader's Scope: an enterprise sees itself, a
department the completed self-inspections that cover its items (their entries only), a street
its area (completion, not the answers), the bureau everything. Out of scope is a 404."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from wurao.accounts.scope import Scope
from wurao.catalogue.models import InspectionItem
from wurao.catalogue.selectors import item_list
from wurao.registry.choices import EnterpriseStatus
from wurao.registry.models import Enterprise, Park
from wurao.selfcheck.choices import EntryResult, InspectionStatus
from wurao.selfcheck.models import ParkCampaign, SelfInspection, SelfInspectionEntry

# The self-inspection rate counts the last twelve months (as the grading entry does).
RATE_WINDOW_DAYS = 365


def item_applies(item: InspectionItem, *, tags: set[str], section: str) -> bool:
    """An item applies when it names no tag and no industry, or one the enterprise has."""
    item_tags = {t.code for t in item.applicable_tags.all()}
    industries = set(item.applicable_industries or [])
    if not item_tags and not industries:
        return True
    return bool(item_tags & tags) or (bool(section) and section in industries)


def items_applicable(
    *, enterprise: Enterprise, department_ids: list[int] | None = None
) -> list[InspectionItem]:
    """The active catalogue items that apply to the enterprise, by department then code."""
    tags = {t.code for t in enterprise.risk_tags.all()}
    qs = item_list()
    if department_ids:
        qs = qs.filter(department_id__in=department_ids)
    return [
        i
        for i in qs.order_by("department__name", "code")
        if item_applies(i, tags=tags, section=enterprise.industry_section)
    ]


def inspection_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[SelfInspection]:
    qs = SelfInspection.objects.select_related("enterprise", "enterprise__park", "campaign")
    filters = filters or {}
    if scope.sees_all:
        pass
    elif scope.enterprise_id:
        qs = qs.filter(enterprise_id=scope.enterprise_id)
    elif scope.department_id:
        # A department sees a completed one once it covers one of its items; never one in progress.
        covers = SelfInspectionEntry.objects.filter(
            inspection=OuterRef("pk"), department_id=scope.department_id
        )
        qs = qs.filter(Exists(covers), status=InspectionStatus.COMPLETED)
    elif scope.street_id:
        qs = qs.filter(enterprise__street_id=scope.street_id)
    else:
        return qs.none()
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if park := filters.get("park"):
        qs = qs.filter(enterprise__park_id=park)
    if q := filters.get("q"):
        qs = qs.filter(Q(enterprise__name__contains=q) | Q(title__contains=q))
    # A department counts the entries of its own items only.
    own = Q(entries__department_id=scope.department_id) if scope.department_id else Q()
    # Meta.ordering is not applied to a grouped query: order it here.
    return qs.order_by("-started_on", "-pk").annotate(
        entry_total=Count("entries", filter=own, distinct=True),
        entry_answered=Count("entries", filter=own & ~Q(entries__result=""), distinct=True),
        problem_count=Count(
            "entries", filter=own & Q(entries__result=EntryResult.PROBLEM), distinct=True
        ),
        open_count=Count(
            "entries",
            filter=own & Q(entries__result=EntryResult.PROBLEM, entries__fixed_on__isnull=True),
            distinct=True,
        ),
    )


def inspection_get(*, scope: Scope, pk: int) -> SelfInspection:
    return inspection_list(scope=scope).get(pk=pk)


def sees_answers(scope: Scope) -> bool:
    """The answers are the enterprise's, its departments' (their items) and the bureau's."""
    return bool(scope.sees_all or scope.enterprise_id or scope.department_id)


def entry_list(*, scope: Scope, inspection: SelfInspection) -> QuerySet[SelfInspectionEntry]:
    qs = (
        SelfInspectionEntry.objects.filter(inspection=inspection)
        .select_related("item", "department")
        .prefetch_related("photos")
    )
    if scope.department_id and not scope.sees_all:
        return qs.filter(department_id=scope.department_id)
    return qs if sees_answers(scope) else qs.none()


def entry_get(*, scope: Scope, inspection: SelfInspection, pk: int) -> SelfInspectionEntry:
    return entry_list(scope=scope, inspection=inspection).get(pk=pk)


def inspection_in_progress(*, enterprise_id: int) -> SelfInspection | None:
    return (
        SelfInspection.objects.filter(
            enterprise_id=enterprise_id, status=InspectionStatus.IN_PROGRESS
        )
        .order_by("-pk")
        .first()
    )


def completed_for_grading(
    *, as_of: datetime.date, enterprise_ids: list[int] | None = None
) -> list[tuple[int, int, datetime.date]]:
    """(id, enterprise, day) of every self-inspection completed by `as_of`: what the credit
    engine reads (a completion, never the problems found)."""
    qs = SelfInspection.objects.filter(status=InspectionStatus.COMPLETED, completed_on__lte=as_of)
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=enterprise_ids)
    return list(qs.values_list("pk", "enterprise_id", "completed_on"))


# ---------------------------------------------------------------- parks and campaigns


def park_list(*, scope: Scope) -> QuerySet[Park]:
    qs = Park.objects.select_related("street").order_by("street__name", "name")
    if scope.sees_all:
        return qs
    if scope.street_id:
        return qs.filter(street_id=scope.street_id)
    return qs.none()


def park_get(*, scope: Scope, pk: int) -> Park:
    return park_list(scope=scope).get(pk=pk)


def park_rates(*, scope: Scope, as_of: datetime.date) -> list[dict]:
    """Each park's self-inspection rate: its live enterprises with a self-inspection completed
    in the last twelve months, over its live enterprises."""
    since = as_of - datetime.timedelta(days=RATE_WINDOW_DAYS)
    done = SelfInspection.objects.filter(
        enterprise=OuterRef("pk"),
        status=InspectionStatus.COMPLETED,
        completed_on__gt=since,
        completed_on__lte=as_of,
    )
    parks = list(park_list(scope=scope))
    counts = {
        row["park_id"]: row
        for row in Enterprise.objects.filter(
            park_id__in=[p.pk for p in parks], status=EnterpriseStatus.ACTIVE
        )
        .annotate(done=Exists(done))
        .values("park_id")
        .annotate(total=Count("pk"), completed=Count("pk", filter=Q(done=True)))
    }
    rows = []
    for park in parks:
        row = counts.get(park.pk, {"total": 0, "completed": 0})
        total, completed = row["total"], row["completed"]
        rows.append(
            {
                "park": park,
                "enterprises": total,
                "completed": completed,
                "rate": round(completed / total, 4) if total else None,
            }
        )
    return rows


def campaign_list(*, scope: Scope) -> QuerySet[ParkCampaign]:
    qs = ParkCampaign.objects.select_related("park", "street").annotate(
        invited_count=Count("invited", distinct=True)
    )
    if scope.sees_all:
        return qs
    if scope.street_id:
        return qs.filter(street_id=scope.street_id)
    if scope.enterprise_id:
        return qs.filter(invited=scope.enterprise_id)
    return qs.none()


def campaign_get(*, scope: Scope, pk: int) -> ParkCampaign:
    return campaign_list(scope=scope).get(pk=pk)


def campaign_progress(*, campaign: ParkCampaign) -> list[dict]:
    """Each invited enterprise and its self-inspection for the campaign (completed or not)."""
    runs = {
        i.enterprise_id: i for i in SelfInspection.objects.filter(campaign=campaign).order_by("pk")
    }
    return [
        {"enterprise": e, "inspection": runs.get(e.pk)} for e in campaign.invited.order_by("name")
    ]


def campaign_open_for(*, enterprise_id: int, on: datetime.date) -> ParkCampaign | None:
    """The open campaign that invited the enterprise and that it has not answered yet."""
    return (
        ParkCampaign.objects.filter(invited=enterprise_id, starts_on__lte=on, ends_on__gte=on)
        .exclude(inspections__enterprise_id=enterprise_id)
        .order_by("-starts_on")
        .first()
    )
