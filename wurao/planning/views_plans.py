"""The departments' plan pages: the monthly plan (entries, adding, withdrawing, submitting),
special campaigns and the department's daily capacity; the plan import is views_plans_import.

Who may do what (wurao.accounts.policy.planning): a department admin or inspector plans for
their own department ("planning.plan"); the justice bureau reads every department's plans and
campaigns but writes none ("planning.plans_read", "planning.plans_review"); streets and
enterprises have their own pages (the street coordination, the enterprise's joint visits). An
entry of another department looks exactly like a missing one.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_POST

from wurao.accounts.policy import allows, policy
from wurao.accounts.scope import Scope, scope_for
from wurao.catalogue import selectors as catalogue_selectors
from wurao.planning import selectors, selectors_checks, services
from wurao.planning.choices import EntryStatus, PlanStatus
from wurao.planning.forms_plans import (
    CampaignForm,
    CapacityForm,
    EntryForm,
    WithdrawForm,
    month_default,
    month_label,
    month_parse,
)
from wurao.planning.models import PlannedInspection
from wurao.registry import selectors as registry_selectors
from wurao.registry.workdays import month_start, next_month, working_days
from wurao.sampling import selectors as sampling_selectors
from wurao.sampling.choices import TaskStatus

# ---------------------------------------------------------------- months and links


def month_of(request, source=None) -> date:
    return month_parse((source or request.GET).get("month")) or month_default()


def plans_url(month: date, department_id: int | None = None) -> str:
    url = f"{reverse('planning_plans:plans')}?month={month_label(month)}"
    return f"{url}&department={department_id}" if department_id else url


# ---------------------------------------------------------------- the plan


def _entry_form(user, month: date, data=None) -> EntryForm:
    department = user.department
    own = Scope(department_id=department.pk)
    return EntryForm(
        data,
        initial={"month": month_label(month)},
        enterprises=registry_selectors.enterprise_list(scope=scope_for(user)),
        items=catalogue_selectors.item_list(filters={"department": department.pk}).order_by("code"),
        campaigns=selectors.campaign_list_for(scope=own)
        .exclude(published_at=None)
        .order_by("-starts_on"),
        draw_tasks=sampling_selectors.draw_task_list(scope=own).exclude(
            status__in=[TaskStatus.DRAFT, TaskStatus.CLOSED]
        ),
    )


def _plan_page(
    request, month: date, *, department=None, entry_form=None, withdraw=None, month_note=""
):
    """The plan of one department for the month; for the bureau without a department chosen,
    every department's plan for the month."""
    user = request.user
    scope = scope_for(user)
    writable = allows(user, "planning.plan")
    reviews = allows(user, "planning.plans_review")
    if writable:
        department = user.department
    deadline = selectors_checks.plan_deadline(month)
    context = {
        "month": month,
        "month_value": month_label(month),
        "previous_month": month_label(month_start(month_start(month) - timedelta(days=1))),
        "next_month": month_label(next_month(month)),
        "deadline": deadline,
        "past_deadline": timezone.localdate() > deadline,
        "writable": writable,
        "reviews": reviews,
        "department": department,
        "departments": registry_selectors.department_list(enforcement_only=True) if reviews else [],
        "working_days": len(working_days(month)),
        "month_default": month_note,
    }
    if department is None:
        context["plans"] = selectors.plan_list(scope=scope, month=month).order_by(
            "department__level", "department__code"
        )
        return render(request, "planning/plans_overview.html", context)
    plan = selectors.plan_for(department_id=department.pk, month=month)
    entries = list(
        selectors.entry_list(scope=scope, month=month, filters={"department": department.pk})
        .select_related("joint_visit__visit", "draw_task")
        .order_by("status", "earliest", "pk")
    )
    withdraw = withdraw or {}
    rows = [
        {
            "entry": e,
            "withdraw_form": withdraw.get(e.pk) or WithdrawForm(prefix=f"w{e.pk}"),
            "may_withdraw": writable and e.status != EntryStatus.WITHDRAWN,
        }
        for e in entries
    ]
    locked = plan.status == PlanStatus.LOCKED if plan else context["past_deadline"]
    if writable and entry_form is None:
        entry_form = _entry_form(user, month)
    context.update(
        {
            "plan": plan,
            "rows": rows,
            "locked": locked,
            "counts": {
                status: sum(1 for e in entries if e.status == status)
                for status in EntryStatus.values
            },
            "hours": sum(e.hours for e in entries if e.status != EntryStatus.WITHDRAWN),
            "entry_form": entry_form,
            "may_submit": writable
            and (plan is None or plan.status == PlanStatus.DRAFT)
            and not locked,
            "open_form": bool(entry_form and entry_form.is_bound) or not entries,
        }
    )
    return render(request, "planning/plans_month.html", context)


@policy("planning.plans_read")
def plans(request):
    month, month_shown = month_of(request), ""
    department = None
    files = allows(request.user, "planning.plan")
    if not files and (pk := request.GET.get("department", "")).isdecimal():
        department = registry_selectors.department_list().filter(pk=int(pk)).first()
        if department is None:
            raise Http404
    if "month" not in request.GET and not files:
        # A reviewer files nothing: it opens on the latest month with plans, not on an empty
        # next month early in the month.
        latest = selectors.plan_month_latest(
            scope=scope_for(request.user), until=month, department=department
        )
        month, month_shown = (latest, "latest") if latest and latest < month else (month, "")
    return _plan_page(request, month, department=department, month_note=month_shown)


@policy("planning.plan")
@require_POST
def entry_add(request):
    department = request.user.department
    month = month_of(request, request.POST)
    form = _entry_form(request.user, month, request.POST)
    if not form.is_valid():
        # A field the form could not read: the rest is still put to the plan's rules, so
        # that the page shows everything wrong at once rather than one field per submit.
        errors = selectors_checks.plan_entry_check(
            department=department, **form.entry_arguments(month)
        )
        if errors:
            form.add_service_error(ValidationError(errors), keep_own=True)
    else:
        try:
            entry = services.plan_entry_add(
                actor=request.user, department=department, **form.entry_arguments(month)
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            late = gettext("（锁定后补报，理由已记录）") if entry.late_reason else ""
            day_format = pgettext("date format", "m月d日")
            messages.success(
                request,
                gettext("已加入%(month)s计划：%(enterprise)s，%(earliest)s至%(latest)s%(late)s。")
                % {
                    "month": dateformat.format(month, pgettext("date format", "Y年m月")),
                    "enterprise": entry.enterprise.name,
                    "earliest": dateformat.format(entry.earliest, day_format),
                    "latest": dateformat.format(entry.latest, day_format),
                    "late": late,
                },
            )
            return redirect(f"{plans_url(month)}#entries")
    return _plan_page(request, month, entry_form=form)


def _own_entry(user, pk: int) -> PlannedInspection:
    try:
        return selectors.entry_get(scope=scope_for(user), pk=pk)
    except PlannedInspection.DoesNotExist:
        raise Http404 from None


@policy("planning.plan")
@require_POST
def entry_withdraw(request, pk: int):
    entry = _own_entry(request.user, pk)
    month = entry.plan.month
    form = WithdrawForm(request.POST, prefix=f"w{entry.pk}")
    if form.is_valid():
        try:
            services.plan_entry_withdraw(
                actor=request.user, entry=entry, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                gettext("已撤回对%(enterprise)s的计划检查。")
                % {"enterprise": entry.enterprise.name},
            )
            return redirect(f"{plans_url(month)}#entries")
    return _plan_page(request, month, withdraw={entry.pk: form})


@policy("planning.plan")
@require_POST
def plan_submit(request):
    department = request.user.department
    month = month_of(request, request.POST)
    plan = selectors.plan_for(department_id=department.pk, month=month)
    try:
        if plan is None:
            raise ValidationError({"__all__": "计划中没有检查，不能报送"})
        services.plan_submit(actor=request.user, plan=plan)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(
            request,
            gettext(
                "%(month)s检查计划已报送；截止日（%(deadline)s）后锁定，此后新增须说明补报理由。"
            )
            % {
                "month": dateformat.format(month, pgettext("date format", "Y年m月")),
                "deadline": selectors_checks.plan_deadline(month),
            },
        )
    return redirect(plans_url(month))


# ---------------------------------------------------------------- campaigns


def _campaign_page(request, *, form=None, status=200):
    scope = scope_for(request.user)
    writable = allows(request.user, "planning.plan")
    if writable and form is None:
        form = CampaignForm()
    return render(
        request,
        "planning/campaigns_list.html",
        {
            "campaigns": selectors.campaign_list_for(scope=scope).order_by("-starts_on", "-pk"),
            "form": form if writable else None,
            "writable": writable,
            "open_form": bool(form and form.is_bound),
        },
        status=status,
    )


@policy("planning.plans_read")
def campaigns(request):
    return _campaign_page(request)


@policy("planning.plan")
@require_POST
def campaign_new(request):
    department = request.user.department
    form = CampaignForm(request.POST)
    if form.is_valid():
        try:
            campaign = services.campaign_register(
                actor=request.user, department=department, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                gettext("已登记专项“%(title)s”（%(document)s）。公布后才能安排检查。")
                % {"title": campaign.title, "document": campaign.document_no},
            )
            return redirect("planning_plans:campaigns")
    return _campaign_page(request, form=form)


@policy("planning.plan")
@require_POST
def campaign_publish(request, pk: int):
    department = request.user.department
    campaign = (
        selectors.campaign_list_for(scope=Scope(department_id=department.pk)).filter(pk=pk).first()
    )
    if campaign is None:
        raise Http404
    try:
        services.campaign_publish(actor=request.user, campaign=campaign)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(
            request,
            gettext("专项“%(title)s”已向社会公布，可在计划中安排该专项的检查。")
            % {"title": campaign.title},
        )
    return redirect("planning_plans:campaigns")


# ---------------------------------------------------------------- capacity


@policy("planning.capacity_set")
def capacity(request):
    department = request.user.department
    current = selectors.department_capacity(department_id=department.pk)
    teams = current.teams if current else settings.PLANNING_DEFAULT_TEAMS
    hours = current.hours_per_team if current else settings.PLANNING_DEFAULT_TEAM_HOURS
    if request.method == "POST":
        form = CapacityForm(request.POST)
        if form.is_valid():
            try:
                services.capacity_set(
                    actor=request.user, department=department, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                data = form.cleaned_data
                messages.success(
                    request,
                    gettext(
                        "已设置检查能力：%(teams)s 个检查组 × 每组每日 %(hours)s 小时，下次排期起生效。"
                    )
                    % {"teams": data["teams"], "hours": data["hours_per_team"]},
                )
                return redirect("planning_plans:capacity")
    else:
        form = CapacityForm(initial={"teams": teams, "hours_per_team": hours})
    return render(
        request,
        "planning/plans_capacity.html",
        {
            "form": form,
            "department": department,
            "current": current,
            "teams": teams,
            "hours": hours,
            "daily": teams * hours,
        },
    )
