"""The departments' plan pages: the monthly plan (entries, adding, withdrawing, submitting),
the plan import, special campaigns and the department's daily capacity.

Who may do what: a department admin or inspector plans for their own department; the justice
bureau reads every department's plans and campaigns but writes none; streets and enterprises
have their own pages (the street coordination, the enterprise's joint visits). An entry of
another department looks exactly like a missing one.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_POST

from wurao.accounts.choices import Role
from wurao.accounts.scope import Scope, scope_for
from wurao.catalogue import selectors as catalogue_selectors
from wurao.imports.engine import ImportFileError
from wurao.imports.services import upload_path
from wurao.planning import import_plans, selectors, services
from wurao.planning.choices import EntryStatus, PlanStatus
from wurao.planning.forms_plans import (
    CampaignForm,
    CapacityForm,
    EntryForm,
    PlanImportForm,
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

PENDING = "planning_import_pending"  # session: sha256 -> {month, filename, department}
PENDING_KEPT = 5
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# ---------------------------------------------------------------- who may do what


def _plans(user) -> bool:
    return user.role in (Role.DEPT_ADMIN, Role.INSPECTOR) and bool(user.department_id)


def _reviews(user) -> bool:
    return user.is_superuser or user.role == Role.JUSTICE


def _reader_scope(user) -> Scope:
    """Plans are for departments (their own) and the justice bureau (all, read-only)."""
    if not (_plans(user) or _reviews(user)):
        raise PermissionDenied
    return scope_for(user)


def _planner_department(user):
    if not _plans(user):
        raise PermissionDenied
    return user.department


def _month_of(request, source=None) -> date:
    return month_parse((source or request.GET).get("month")) or month_default()


def _plans_url(month: date, department_id: int | None = None) -> str:
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
    scope = _reader_scope(user)
    writable = _plans(user)
    if writable:
        department = user.department
    deadline = services.plan_deadline(month)
    context = {
        "month": month,
        "month_value": month_label(month),
        "previous_month": month_label(month_start(month_start(month) - timedelta(days=1))),
        "next_month": month_label(next_month(month)),
        "deadline": deadline,
        "past_deadline": timezone.localdate() > deadline,
        "writable": writable,
        "reviews": _reviews(user),
        "department": department,
        "departments": registry_selectors.department_list(enforcement_only=True)
        if _reviews(user)
        else [],
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


@login_required
def plans(request):
    month, month_shown = _month_of(request), ""
    department = None
    if not _plans(request.user) and (pk := request.GET.get("department", "")).isdecimal():
        _reader_scope(request.user)
        department = registry_selectors.department_list().filter(pk=int(pk)).first()
        if department is None:
            raise Http404
    if "month" not in request.GET and not _plans(request.user):
        # A reviewer files nothing: it opens on the latest month with plans, not on an empty
        # next month early in the month.
        latest = selectors.plan_month_latest(
            scope=_reader_scope(request.user), until=month, department=department
        )
        month, month_shown = (latest, "latest") if latest and latest < month else (month, "")
    return _plan_page(request, month, department=department, month_note=month_shown)


@login_required
@require_POST
def entry_add(request):
    department = _planner_department(request.user)
    month = _month_of(request, request.POST)
    form = _entry_form(request.user, month, request.POST)
    if not form.is_valid():
        _rules_dry_run(request.user, department, month, form)
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
            return redirect(f"{_plans_url(month)}#entries")
    return _plan_page(request, month, entry_form=form)


class _DryRun(Exception):
    pass


def _rules_dry_run(user, department, month: date, form: EntryForm) -> None:
    """A form with a field unreadable is still put to the plan's rules, nothing kept, so that
    the page shows everything wrong at once rather than one field per submit."""
    try:
        with transaction.atomic():
            services.plan_entry_add(
                actor=user, department=department, **form.entry_arguments(month)
            )
            raise _DryRun
    except ValidationError as error:
        form.add_service_error(error, keep_own=True)
    except _DryRun:
        pass


def _own_entry(user, pk: int) -> PlannedInspection:
    try:
        return selectors.entry_get(scope=scope_for(user), pk=pk)
    except PlannedInspection.DoesNotExist:
        raise Http404 from None


@login_required
@require_POST
def entry_withdraw(request, pk: int):
    _planner_department(request.user)
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
            return redirect(f"{_plans_url(month)}#entries")
    return _plan_page(request, month, withdraw={entry.pk: form})


@login_required
@require_POST
def plan_submit(request):
    department = _planner_department(request.user)
    month = _month_of(request, request.POST)
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
                "deadline": services.plan_deadline(month),
            },
        )
    return redirect(_plans_url(month))


# ---------------------------------------------------------------- import


def _import_page(request, form, *, status=200):
    department = request.user.department
    return render(
        request,
        "planning/plans_import.html",
        {
            "form": form,
            "department": department,
            "columns": import_plans.plan_columns(department),
            "month_value": form["month"].value() or month_label(month_default()),
        },
        status=status,
    )


def _store(data: bytes, sha256: str) -> None:
    path = upload_path(sha256)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _preview(request, report):
    return render(
        request,
        "planning/plans_import_check.html",
        {
            "report": report,
            "errors": [e.as_json() for e in report.errors[: import_plans.SHOWN_ERRORS]],
            "shown": import_plans.SHOWN_ERRORS,
            "month_value": month_label(report.month),
        },
    )


@login_required
def plan_import(request):
    department = _planner_department(request.user)
    if request.method != "POST":
        month = _month_of(request)
        return _import_page(request, PlanImportForm(initial={"month": month_label(month)}))
    form = PlanImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, form)
    month = form.cleaned_data["month"]
    upload = form.cleaned_data["file"]
    data = upload.read()
    try:
        report = import_plans.plan_import_run(
            actor=request.user,
            department=department,
            month=month,
            source=data,
            filename=upload.name,
        )
    except ImportFileError as error:
        form.add_error("file", error.message)
        return _import_page(request, form)
    _store(data, report.sha256)
    pending = request.session.get(PENDING, {})
    pending.pop(report.sha256, None)
    pending[report.sha256] = {
        "month": month_label(month),
        "filename": upload.name,
        "department": department.pk,
    }
    request.session[PENDING] = dict(list(pending.items())[-PENDING_KEPT:])
    return _preview(request, report)


@login_required
@require_POST
def plan_import_confirm(request):
    department = _planner_department(request.user)
    sha256 = request.POST.get("sha256", "")
    entry = request.session.get(PENDING, {}).get(sha256)
    if entry is None or entry["department"] != department.pk or not upload_path(sha256).is_file():
        messages.error(request, "没有找到待确认的上传（可能已确认过或已过期），请重新上传文件。")
        return redirect("planning_plans:import")
    month = month_parse(entry["month"])
    try:
        report = import_plans.plan_import_run(
            actor=request.user,
            department=department,
            month=month,
            source=upload_path(sha256).read_bytes(),
            filename=entry["filename"],
            commit=True,
        )
    except ImportFileError as error:  # the stored file was checked a moment ago
        messages.error(request, gettext("文件未导入：%(reason)s") % {"reason": error.message})
        return redirect("planning_plans:import")
    if not report.committed:
        # The plan changed since the check (an entry added on the page, the plan locked).
        return _preview(request, report)
    pending = request.session[PENDING]
    pending.pop(sha256, None)
    request.session[PENDING] = pending
    messages.success(
        request,
        gettext(
            "已从“%(filename)s”导入 %(count)s 条计划检查到%(month)s计划，本次导入已记入审计日志。"
        )
        % {
            "filename": report.filename,
            "count": report.created,
            "month": dateformat.format(month, pgettext("date format", "Y年m月")),
        },
    )
    return redirect(f"{_plans_url(month)}#entries")


@login_required
def plan_import_template(request, fmt: str):
    department = _planner_department(request.user)
    month = _month_of(request)
    body = import_plans.plan_template(department=department, month=month, fmt=fmt)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(
        True, f"检查计划导入模板-{department.code}-{month_label(month)}.{fmt}"
    )
    return response


# ---------------------------------------------------------------- campaigns


def _campaign_page(request, *, form=None, status=200):
    scope = _reader_scope(request.user)
    writable = _plans(request.user)
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


@login_required
def campaigns(request):
    return _campaign_page(request)


@login_required
@require_POST
def campaign_new(request):
    department = _planner_department(request.user)
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


@login_required
@require_POST
def campaign_publish(request, pk: int):
    department = _planner_department(request.user)
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


def _capacity_department(user):
    if not (user.role == Role.DEPT_ADMIN and user.department_id):
        raise PermissionDenied
    return user.department


@login_required
def capacity(request):
    department = _capacity_department(request.user)
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
