"""Writes on plans, campaigns and the month's schedule. Each is one atomic function that
records an audit event, after the policy's rule (wurao.accounts.policy.planning). What a
planned inspection is refused for is read in selectors_checks.py. The coordination of proposed
visits (move, split, merge, confirm) is in services_coordination.py; park days in
services_park_days.py."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from wurao.accounts.policy import require
from wurao.accounts.scope import Scope, scope_for
from wurao.audit.services import audit_record
from wurao.planning import scheduler
from wurao.planning.choices import EntryStatus, JointVisitStatus, PlanOrigin, PlanStatus, SlotKind
from wurao.planning.models import (
    Campaign,
    DepartmentCapacity,
    EnterpriseSlot,
    JointVisit,
    MonthlyPlan,
    PlannedInspection,
    ScheduleRun,
)
from wurao.planning.selectors_checks import plan_deadline, plan_entry_check
from wurao.registry.choices import Level
from wurao.registry.workdays import month_end, month_start, working_days
from wurao.sampling import selectors as sampling_selectors
from wurao.visits import selectors as visit_selectors

LEVEL_RANK = {Level.CITY: 0, Level.DISTRICT: 1, Level.STREET: 2, Level.COMMUNITY: 3}


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


@transaction.atomic
def plan_get_or_create(*, actor, department, month: date) -> MonthlyPlan:
    plan, created = MonthlyPlan.objects.get_or_create(
        department=department, month=month_start(month)
    )
    if created:
        if timezone.localdate() > plan_deadline(plan.month):
            plan.status = PlanStatus.LOCKED
            plan.locked_at = timezone.now()
            plan.save(update_fields=["status", "locked_at"])
        audit_record(
            actor=actor,
            verb="plan.create",
            obj=plan,
            payload={"department": department.code, "month": plan.month.isoformat()},
        )
    return plan


@transaction.atomic
def plan_entry_add(
    *,
    actor,
    department,
    month: date,
    enterprise,
    items,
    earliest: date,
    latest: date,
    hours: Decimal = Decimal(2),
    origin: str = PlanOrigin.ROUTINE,
    campaign: Campaign | None = None,
    draw_task=None,
    late_reason: str = "",
) -> PlannedInspection:
    """Add one planned inspection to the department's plan for the month. After the plan is
    locked, an addition needs a reason (补报), which the justice bureau sees."""
    require(actor, "planning.plan", department)
    items = list(items)
    if draw_task is not None and not _draws_for(department, draw_task):
        # The form offers only the department's own tasks; another's, named in a body, would
        # put an inspection of that task in this department's plan.
        raise ValidationError(
            {
                "draw_task": gettext("抽查任务 %(code)s 不是%(department)s牵头或参与的任务")
                % {"code": draw_task.code, "department": department.name}
            }
        )
    errors = plan_entry_check(
        department=department,
        month=month,
        enterprise=enterprise,
        items=items,
        earliest=earliest,
        latest=latest,
        hours=hours,
        origin=origin,
        campaign=campaign,
        draw_task=draw_task,
        late_reason=late_reason,
    )
    if errors:
        raise ValidationError(errors)
    plan = plan_get_or_create(actor=actor, department=department, month=month)
    entry = PlannedInspection.objects.create(
        plan=plan,
        enterprise=enterprise,
        earliest=earliest,
        latest=latest,
        hours=Decimal(hours),
        origin=origin,
        campaign=campaign if origin == PlanOrigin.CAMPAIGN else None,
        draw_task=draw_task if origin == PlanOrigin.RANDOM_TASK else None,
        late_reason=late_reason.strip() if plan.status == PlanStatus.LOCKED else "",
        created_by=_user(actor),
    )
    entry.items.set(items)
    audit_record(
        actor=actor,
        verb="plan.entry_add",
        obj=entry,
        payload={
            "department": department.code,
            "month": plan.month.isoformat(),
            "enterprise": enterprise.credit_code,
            "items": sorted(i.code for i in items),
            "window": [earliest.isoformat(), latest.isoformat()],
            "hours": str(hours),
            "origin": origin,
            "late_reason": entry.late_reason,
        },
    )
    return entry


def _draws_for(department, draw_task) -> bool:
    """The draw task is one the department leads or takes part in (the tasks it sees)."""
    own = Scope(department_id=department.pk)
    return sampling_selectors.draw_task_list(scope=own).filter(pk=draw_task.pk).exists()


@transaction.atomic
def plan_entry_withdraw(*, actor, entry: PlannedInspection, reason: str) -> PlannedInspection:
    require(actor, "planning.plan", entry.plan.department)
    if entry.status == EntryStatus.WITHDRAWN:
        raise ValidationError({"__all__": gettext("该计划检查已撤回")})
    if entry.joint_visit_id and entry.joint_visit.status == JointVisitStatus.CONFIRMED:
        raise ValidationError(
            {"__all__": gettext("已确认联合入企的检查不能撤回，请联系街道协调员")}
        )
    if not reason.strip():
        raise ValidationError({"reason": gettext("请说明撤回理由")})
    entry.status = EntryStatus.WITHDRAWN
    entry.status_note = reason.strip()[:300]
    entry.joint_visit = None
    entry.save(update_fields=["status", "status_note", "joint_visit"])
    audit_record(
        actor=actor, verb="plan.entry_withdraw", obj=entry, payload={"reason": entry.status_note}
    )
    return entry


@transaction.atomic
def plan_submit(*, actor, plan: MonthlyPlan) -> MonthlyPlan:
    require(actor, "planning.plan", plan.department)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(
            {
                "__all__": gettext("计划为“%(status)s”，无需再报送")
                % {"status": plan.get_status_display()}
            }
        )
    if not plan.entries.filter(status=EntryStatus.ACTIVE).exists():
        raise ValidationError({"__all__": gettext("计划中没有检查，不能报送")})
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["status", "submitted_at"])
    audit_record(
        actor=actor, verb="plan.submit", obj=plan, payload={"month": plan.month.isoformat()}
    )
    return plan


@transaction.atomic
def plans_lock(*, actor, month: date) -> int:
    """Lock every plan of the month (after the deadline; also the nightly job)."""
    plans = MonthlyPlan.objects.filter(month=month_start(month)).exclude(status=PlanStatus.LOCKED)
    ids = list(plans.values_list("pk", flat=True))
    if not ids:
        return 0
    plans.update(status=PlanStatus.LOCKED, locked_at=timezone.now())
    audit_record(
        actor=actor,
        verb="plan.lock",
        object_type="planning.monthlyplan",
        payload={"month": month_start(month).isoformat(), "plans": ids},
    )
    return len(ids)


@transaction.atomic
def campaign_register(
    *,
    actor,
    department,
    title: str,
    scope: str,
    starts_on: date,
    ends_on: date,
    approver: str,
    document_no: str,
    approved_on: date,
) -> Campaign:
    """Record a special campaign with its approval; it may be planned once published."""
    require(actor, "planning.plan", department)
    errors = {}
    for field, value, label in (
        ("title", title, gettext_noop("专项名称")),
        ("scope", scope, gettext_noop("检查范围与内容")),
        ("approver", approver, gettext_noop("批准机关或负责人")),
        ("document_no", document_no, gettext_noop("批准文号")),
    ):
        if not (value or "").strip():
            errors[field] = gettext("请填写%(label)s") % {"label": gettext(label)}
    if starts_on and ends_on and starts_on > ends_on:
        errors["ends_on"] = gettext("结束日期不能早于开始日期")
    if approved_on and starts_on and approved_on > starts_on:
        errors["approved_on"] = gettext("专项须在开始前批准")
    if errors:
        raise ValidationError(errors)
    campaign = Campaign.objects.create(
        department=department,
        title=title.strip(),
        scope=scope.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        approver=approver.strip(),
        document_no=document_no.strip(),
        approved_on=approved_on,
        created_by=_user(actor),
    )
    audit_record(
        actor=actor,
        verb="campaign.register",
        obj=campaign,
        payload={
            "title": campaign.title,
            "document_no": campaign.document_no,
            "department": department.code,
        },
    )
    return campaign


@transaction.atomic
def campaign_publish(*, actor, campaign: Campaign) -> Campaign:
    require(actor, "planning.plan", campaign.department)
    if campaign.published_at:
        raise ValidationError({"__all__": gettext("该专项已公布")})
    campaign.published_at = timezone.now()
    campaign.save(update_fields=["published_at"])
    audit_record(
        actor=actor, verb="campaign.publish", obj=campaign, payload={"title": campaign.title}
    )
    return campaign


@transaction.atomic
def duplicates_flag(*, actor, month: date) -> int:
    """Flag the lower level's entry where two levels plan the same matter on the same
    enterprise in the month: 同一检查事项经由其中一级执法机构检查的，原则上不进行重复检查."""
    entries = list(
        PlannedInspection.objects.filter(plan__month=month_start(month), status=EntryStatus.ACTIVE)
        .select_related("plan__department", "enterprise")
        .prefetch_related("items__department")
    )
    by_enterprise: dict[int, list[PlannedInspection]] = {}
    for e in entries:
        by_enterprise.setdefault(e.enterprise_id, []).append(e)
    flagged = []
    for group in by_enterprise.values():
        if len(group) < 2:
            continue
        matters = {e.pk: {visit_selectors.matter_key(i) for i in e.items.all()} for e in group}
        for low in group:
            for high in group:
                low_rank = LEVEL_RANK[low.plan.department.level]
                high_rank = LEVEL_RANK[high.plan.department.level]
                shared = matters[low.pk] & matters[high.pk]
                if high_rank < low_rank and shared and low.status == EntryStatus.ACTIVE:
                    low.status = EntryStatus.DUPLICATE
                    low.status_note = (
                        f"与{high.plan.department.name}（{high.plan.department.get_level_display()}）"
                        f"同月计划的事项重复：{'；'.join(sorted(shared))}，建议撤回"
                    )[:300]
                    low.save(update_fields=["status", "status_note"])
                    flagged.append(low.pk)
    audit_record(
        actor=actor,
        verb="plan.duplicates_flag",
        object_type="planning.plannedinspection",
        payload={"month": month_start(month).isoformat(), "flagged": flagged},
    )
    return len(flagged)


def _size_limit(size_class: str) -> int:
    limits = settings.JOINT_VISIT_DEPARTMENT_LIMITS
    return int(limits.get(size_class or "", limits[""]))


@transaction.atomic
def schedule_run(
    *,
    actor,
    month: date,
    street=None,
    time_limit: float = 20.0,
    deterministic: bool = False,
    seed: int = 0,
) -> ScheduleRun:
    """Schedule the month's active planned inspections into visits: a street coordinator its
    street's, the justice bureau the whole district's. Confirmed visits, and other streets'
    proposals, stay as they are (their hours are taken from the departments' capacity); the
    proposals not yet confirmed in the scheduled area are replaced."""
    user = _user(actor)
    if user:
        require(user, "planning.schedule")
        if scope_for(user).street_id:  # a coordinator schedules its own street only
            street = user.street
    first = month_start(month)
    days = working_days(first)
    if not days:
        raise ValidationError({"month": gettext("该月没有工作日")})
    index = {d: i for i, d in enumerate(days)}
    in_area = {"enterprise__street": street} if street else {}
    JointVisit.objects.filter(
        month=first, status=JointVisitStatus.PROPOSED, **({"street": street} if street else {})
    ).delete()
    booked_hours: dict[tuple[int, int], float] = {}
    for e in (
        PlannedInspection.objects.filter(plan__month=first, status=EntryStatus.ACTIVE)
        .exclude(joint_visit=None)
        .exclude(joint_visit__status=JointVisitStatus.CANCELLED)
        .select_related("plan", "joint_visit")
    ):
        key = (e.plan.department_id, index.get(e.joint_visit.date, -1))
        booked_hours[key] = booked_hours.get(key, 0.0) + float(e.hours)
    entries = list(
        PlannedInspection.objects.filter(
            plan__month=first, status=EntryStatus.ACTIVE, joint_visit__isnull=True, **in_area
        ).select_related("plan", "enterprise")
    )
    tasks = []
    for e in entries:
        window = [index[d] for d in days if e.earliest <= d <= e.latest]
        earliest, latest = (window[0], window[-1]) if window else (len(days), len(days) - 1)
        tasks.append(
            scheduler.Task(
                e.pk, e.enterprise_id, e.plan.department_id, earliest, latest, float(e.hours)
            )
        )
    departments = {e.plan.department_id for e in entries}
    capacity = {
        c.department_id: float(c.teams * c.hours_per_team)
        for c in DepartmentCapacity.objects.filter(department_id__in=departments)
    }
    default_capacity = float(settings.PLANNING_DEFAULT_TEAMS * settings.PLANNING_DEFAULT_TEAM_HOURS)
    capacity = {d: capacity.get(d, default_capacity) for d in departments}
    capacity_on = {
        (d, day): capacity[d] - hours for (d, day), hours in booked_hours.items() if d in capacity
    }
    enterprises = {e.enterprise_id: e.enterprise for e in entries}
    blackout: dict[int, set[int]] = {}
    requested: dict[int, set[int]] = {}
    for slot in EnterpriseSlot.objects.filter(
        enterprise_id__in=enterprises, date__gte=first, date__lte=month_end(first)
    ):
        if slot.date in index:
            target = blackout if slot.kind == SlotKind.BLACKOUT else requested
            target.setdefault(slot.enterprise_id, set()).add(index[slot.date])
    problem = scheduler.Problem(
        tasks=tasks,
        days=len(days),
        capacity=capacity,
        capacity_on=capacity_on,
        limit={pk: _size_limit(ent.size_class) for pk, ent in enterprises.items()},
        blackout={k: frozenset(v) for k, v in blackout.items()},
        requested={k: frozenset(v) for k, v in requested.items()},
    )
    bound = scheduler.lower_bound(problem)
    first_pass = scheduler.greedy(problem)
    result = scheduler.solve(problem, time_limit=time_limit, deterministic=deterministic, seed=seed)
    by_id = {e.pk: e for e in entries}
    run = ScheduleRun.objects.create(
        month=first,
        street=street,
        created_by=_user(actor),
        seed=seed,
        deterministic=deterministic,
        time_limit=time_limit,
        method=result.method,
        status=result.status,
        planned=len(tasks),
        separate_visits=len(tasks),
        lower_bound=bound,
        greedy_visits=first_pass.visit_count(problem),
        visits=result.visit_count(problem),
        department_days=result.department_days(problem),
        seconds=round(result.seconds, 2),
        unplaced=[
            {
                "entry": u.task,
                "enterprise": by_id[u.task].enterprise.name,
                "department": by_id[u.task].plan.department_id,
                "reason": str(u.reason),
                "label": u.label,
            }
            for u in result.unplaced
        ],
    )
    # In bulk: a district's month is thousands of visits, two queries each otherwise.
    groups = list(scheduler.group_visits(problem, result.day_of).items())
    visits = JointVisit.objects.bulk_create(
        [
            JointVisit(
                run=run,
                month=first,
                enterprise_id=enterprise_id,
                street_id=enterprises[enterprise_id].street_id,
                date=days[day],
            )
            for (enterprise_id, day), _ in groups
        ],
        batch_size=500,
    )
    placed = []
    for visit, (_, task_ids) in zip(visits, groups, strict=True):
        for task_id in task_ids:
            by_id[task_id].joint_visit = visit
            placed.append(by_id[task_id])
    PlannedInspection.objects.bulk_update(placed, ["joint_visit"], batch_size=500)
    audit_record(
        actor=actor,
        verb="schedule.run",
        obj=run,
        payload={
            "month": first.isoformat(),
            "street": street.code if street else "",
            "planned": run.planned,
            "visits": run.visits,
            "lower_bound": bound,
            "method": run.method,
            "unplaced": [u.task for u in result.unplaced],
            "seed": seed,
            "deterministic": deterministic,
        },
    )
    return run


@transaction.atomic
def capacity_set(*, actor, department, teams: int, hours_per_team) -> DepartmentCapacity:
    """A department's daily inspection capacity (teams × hours per team), which the scheduler
    never exceeds. Set by the department's own admin."""
    require(actor, "planning.capacity_set", department)
    errors = {}
    if teams is None or not (1 <= int(teams) <= 50):
        errors["teams"] = gettext("检查组数须在 1 到 50 之间")
    try:
        hours = Decimal(str(hours_per_team)) if hours_per_team is not None else None
    except ArithmeticError:
        hours = None
    if hours is None or not (Decimal(1) <= hours <= Decimal(12)):
        errors["hours_per_team"] = gettext("每组每日工时须在 1 到 12 小时之间")
    elif hours != hours.quantize(Decimal("0.1")):
        errors["hours_per_team"] = gettext("每组每日工时最多保留一位小数")
    if errors:
        raise ValidationError(errors)
    capacity, _ = DepartmentCapacity.objects.get_or_create(department=department)
    before = {"teams": capacity.teams, "hours_per_team": str(capacity.hours_per_team)}
    capacity.teams = int(teams)
    capacity.hours_per_team = hours
    capacity.save(update_fields=["teams", "hours_per_team"])
    audit_record(
        actor=actor,
        verb="plan.capacity_set",
        obj=capacity,
        payload={
            "department": department.code,
            "before": before,
            "teams": capacity.teams,
            "hours_per_team": str(hours),
        },
    )
    return capacity
