"""What planning's rules find wrong, read without writing anything: a planned inspection
put to the plan's rules, a day put to a joint visit's. The services refuse with these
errors; the plan page shows them all at once for a form with a field it could not read."""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import dateformat, timezone
from django.utils.translation import gettext, pgettext

from wurao.planning.choices import EntryStatus, JointVisitStatus, PlanOrigin, PlanStatus, SlotKind
from wurao.planning.models import (
    DepartmentCapacity,
    EnterpriseSlot,
    MonthlyPlan,
    PlannedInspection,
)
from wurao.registry.workdays import (
    is_working_day,
    month_end,
    month_start,
    special_days,
    working_days,
)


def plan_deadline(month: date) -> date:
    """Plans for a month are locked after this day of the month before (PLAN_DEADLINE_DAY)."""
    return (month_start(month) - timedelta(days=1)).replace(day=settings.PLAN_DEADLINE_DAY)


def plan_locked(*, department, month: date) -> bool:
    """Whether the department's plan for the month is locked, or would be once created."""
    plan = MonthlyPlan.objects.filter(department=department, month=month_start(month)).first()
    if plan is not None:
        return plan.status == PlanStatus.LOCKED
    return timezone.localdate() > plan_deadline(month)


# ---------------------------------------------------------------- a planned inspection


def plan_entry_check(
    *,
    department,
    month: date,
    enterprise,
    items,
    earliest,
    latest,
    hours,
    origin,
    campaign,
    draw_task,
    late_reason: str = "",
) -> dict[str, str]:
    """Everything wrong with adding this inspection to the department's plan for the month,
    by field (empty when it may be added): the items of the department's list, a window of
    working days in the month, the hours, its origin (a published campaign, a draw task), no
    second entry on the enterprise, and a reason once the plan is locked (补报)."""
    items = list(items)
    errors = _entry_errors(
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
    )
    if not (late_reason or "").strip() and plan_locked(department=department, month=month):
        errors["late_reason"] = gettext("%(month)s计划已于报送截止后锁定，补报须说明理由") % {
            "month": dateformat.format(month_start(month), pgettext("date format", "Y年m月"))
        }
    return errors


def _entry_errors(
    *,
    department,
    month: date,
    enterprise,
    items,
    earliest,
    latest,
    hours,
    origin,
    campaign,
    draw_task,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    first, last = month_start(month), month_end(month)
    if not items:
        errors["items"] = gettext("请从本部门的检查事项清单中选择检查事项（清单之外无事项）")
    foreign = [i.code for i in items if i.department_id != department.pk or not i.active]
    if foreign:
        errors["items"] = gettext(
            "检查事项 %(items)s 不在“%(department)s”公布的有效检查事项清单内"
        ) % {"items": "、".join(foreign), "department": department.name}
    if earliest is None or latest is None:
        errors["earliest"] = gettext("请填写最早和最晚日期")
    elif earliest > latest:
        errors["latest"] = gettext("最晚日期不能早于最早日期")
    elif earliest < first or latest > last:
        errors["earliest"] = gettext("检查窗口须在 %(month)s 之内（%(first)s 至 %(last)s）") % {
            "month": dateformat.format(first, pgettext("date format", "Y年m月")),
            "first": first,
            "last": last,
        }
    elif not [d for d in working_days(first) if earliest <= d <= latest]:
        errors["latest"] = gettext("检查窗口内没有工作日")
    if hours is None or not (Decimal("0.5") <= Decimal(hours) <= Decimal("8")):
        errors["hours"] = gettext("预计工时须在 0.5 到 8 小时之间")
    if origin not in PlanOrigin.values:
        errors["origin"] = gettext("请选择计划来源")
    elif origin == PlanOrigin.CAMPAIGN:
        if campaign is None:
            errors["campaign"] = gettext("专项检查须关联已批准并公布的专项（国办发〔2024〕54号）")
        elif campaign.department_id != department.pk:
            errors["campaign"] = gettext("只能关联本部门组织的专项检查")
        elif campaign.published_at is None:
            errors["campaign"] = gettext("专项“%(title)s”尚未公布，不能安排检查") % {
                "title": campaign.title
            }
        elif earliest and latest and (earliest < campaign.starts_on or latest > campaign.ends_on):
            errors["campaign"] = gettext("检查窗口须在专项期限 %(starts)s 至 %(ends)s 之内") % {
                "starts": campaign.starts_on,
                "ends": campaign.ends_on,
            }
    elif origin == PlanOrigin.RANDOM_TASK and draw_task is None:
        errors["draw_task"] = gettext("双随机任务的检查须关联抽查任务")
    if enterprise is None:
        errors["enterprise"] = gettext("请填写企业的统一社会信用代码（须为企业库中的企业）")
    elif not errors.get("enterprise"):
        duplicate = PlannedInspection.objects.filter(
            plan__department=department,
            plan__month=first,
            enterprise=enterprise,
            status=EntryStatus.ACTIVE,
        ).exists()
        if duplicate:
            errors["enterprise"] = gettext(
                "本月计划中已有对“%(enterprise)s”的检查，请合并事项而不是重复计划"
            ) % {"enterprise": enterprise.name}
    return errors


# ---------------------------------------------------------------- a day for a joint visit


def department_daily_hours(department_id: int) -> float:
    """The department's inspection hours a day (teams × hours per team), or the default."""
    row = DepartmentCapacity.objects.filter(department_id=department_id).first()
    if row:
        return float(row.teams * row.hours_per_team)
    return float(settings.PLANNING_DEFAULT_TEAMS * settings.PLANNING_DEFAULT_TEAM_HOURS)


def day_problems(
    entries: list[PlannedInspection], day: date, *, enterprise, moving_from=()
) -> list[str]:
    """Why these inspections cannot go in on `day` together (empty if they can): working day,
    each window, the enterprise's blackout days, the limit of departments per visit and each
    department's capacity that day, counting what is already scheduled."""
    problems = []
    if not is_working_day(day):
        holiday = next((s.name for s in special_days(day, day) if not s.is_workday), "")
        problems.append(
            gettext("%(day)s 是法定节假日（%(name)s）") % {"day": day, "name": holiday}
            if holiday
            else gettext("%(day)s 不是工作日") % {"day": day}
        )
    for e in entries:
        if not (e.earliest <= day <= e.latest):
            problems.append(
                gettext("%(department)s的检查窗口为 %(earliest)s 至 %(latest)s，不含 %(day)s")
                % {
                    "department": e.plan.department.name,
                    "earliest": e.earliest,
                    "latest": e.latest,
                    "day": day,
                }
            )
    if EnterpriseSlot.objects.filter(
        enterprise=enterprise, date=day, kind=SlotKind.BLACKOUT
    ).exists():
        problems.append(gettext("企业已申报 %(day)s 不便接受检查") % {"day": day})
    departments = {e.plan.department_id: e.plan.department for e in entries}
    limits = settings.JOINT_VISIT_DEPARTMENT_LIMITS
    limit = int(limits.get(enterprise.size_class or "", limits[""]))
    if len(departments) > limit:
        problems.append(
            gettext("该企业规模一次入企最多 %(limit)s 个部门，此次有 %(count)s 个")
            % {"limit": limit, "count": len(departments)}
        )
    ids = [e.pk for e in entries] + list(moving_from)
    for department_id, department in departments.items():
        booked = (
            PlannedInspection.objects.filter(
                plan__department_id=department_id,
                joint_visit__date=day,
                status=EntryStatus.ACTIVE,
            )
            .exclude(joint_visit__status=JointVisitStatus.CANCELLED)
            .exclude(pk__in=ids)
            .aggregate(h=Sum("hours"))["h"]
            or 0
        )
        need = sum(float(e.hours) for e in entries if e.plan.department_id == department_id)
        capacity = department_daily_hours(department_id)
        if float(booked) + need > capacity + 1e-9:
            problems.append(
                gettext(
                    "%(department)s %(day)s 已安排 %(booked)s 小时，再加 %(need)s 小时超过每日能力 "
                    "%(capacity)s 小时"
                )
                % {
                    "department": department.name,
                    "day": day,
                    "booked": f"{float(booked):g}",
                    "need": f"{need:g}",
                    "capacity": f"{capacity:g}",
                }
            )
    return problems
