"""The street coordinator's month (排期统筹), one proposed or confirmed joint visit, and the
departments' assignments; the enterprise's portal (its joint visits and its days) is in
views_portal.

Who may do what (wurao.accounts.policy.planning): a street coordinator sees and adjusts the
visits in its street, the justice bureau all streets; a department sees the visits it takes
part in, read-only; an enterprise its own, read-only (it asks for another slot in the
portal). A visit outside a user's scope looks exactly like a missing one (404).
"""

import functools
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_POST

from wurao.accounts.policy import SIGNED_IN, allows, policy, require
from wurao.accounts.scope import Scope, scope_for
from wurao.common.jobs import SessionJobs
from wurao.common.pagination import page_range, paginate
from wurao.common.periods import latest_until
from wurao.planning import selectors, services, services_coordination
from wurao.planning.choices import JointVisitStatus
from wurao.planning.forms_coordination import (
    MergeForm,
    MoveForm,
    ScheduleRunForm,
    SplitForm,
    default_month,
    month_or_default,
    parse_month,
)
from wurao.planning.models import JointVisit
from wurao.planning.tasks import SCHEDULE_TIME_LIMIT, UNEXPECTED, schedule_run_job
from wurao.registry import selectors as registry_selectors
from wurao.registry.workdays import (
    month_end,
    month_start,
    next_month,
    special_days,
    year_covered,
)
from wurao.visits.services import VisitRefused

JOBS = "planning_schedule_jobs"  # session: huey task id -> the run the user started
_JOBS = SessionJobs(JOBS, UNEXPECTED)
SHOWN = 50  # overlaps and duplicates listed on the page; the rest are counted
VISITS_PER_PAGE = 100


def _month_param(month) -> str:
    return f"{month:%Y-%m}"


def _prev_month(month):
    return month_start(month - timedelta(days=1))


# ---------------------------------------------------------------- who may do what


def _coordinates(user, visit: JointVisit) -> bool:
    return allows(user, "planning.joint_visit_coordinate", visit)


def _visible_visit(user, pk: int) -> JointVisit:
    scope = scope_for(user)
    if scope.sees_nothing:
        raise PermissionDenied
    try:
        return selectors.joint_visit_detail(scope=scope, pk=pk)
    except JointVisit.DoesNotExist:
        raise Http404 from None


def _visit_row(visit: JointVisit) -> dict:
    inspections = list(visit.inspections.all())
    return {
        "visit": visit,
        "departments": sorted({e.plan.department.name for e in inspections}),
        "items": [i for e in inspections for i in e.items.all()],
    }


# ---------------------------------------------------------------- the month (排期统筹)


def _schedule_scope(request, scope: Scope):
    """The justice bureau may narrow the page to one street."""
    street = None
    if scope.sees_all and (chosen := request.GET.get("street", "").strip()).isdecimal():
        street = registry_selectors.street_list().filter(pk=int(chosen)).first()
        if street is not None:
            scope = Scope(street_id=street.pk)
    return scope, street


def _job_for_month(request, month) -> dict | None:
    """The latest job for the month not yet reported on this page."""
    for task_id, job in reversed(list(_JOBS.all(request).items())):
        if job["month"] == _month_param(month) and not job.get("shown"):
            resolved = _JOBS.resolve(request, task_id)
            if resolved and resolved.get("outcome") is not None:
                _JOBS.update(request, task_id, shown=True)
            return resolved
    return None


def _month_shown(request, scope: Scope) -> tuple[date, str]:
    """The month asked for; else the month being planned (next month) when it holds planned
    inspections the viewer may see, else the latest month before it that does (early in a
    month nothing is filed for the next one yet); with which default was taken."""
    if asked := parse_month(request.GET.get("month")):
        return asked, ""
    planned = default_month()
    latest = latest_until(
        selectors.entry_list(scope=scope, month=None), until=planned, field="plan__month"
    )
    if latest is None or month_start(latest) == planned:
        return planned, "planned"
    return month_start(latest), "latest"


def _schedule_context(request, *, run_form=None) -> dict:
    base = scope_for(request.user)  # a coordinator's street, or the bureau's district
    scope, street = _schedule_scope(request, base)
    month, month_default = _month_shown(request, scope)
    overlaps = selectors.overlaps(scope=scope, month=month)
    duplicates = selectors.duplicate_list(scope=scope, month=month)
    run = selectors.schedule_runs(month=month, scope=base).first()
    unplaced, unplaced_elsewhere = selectors.run_unplaced(scope=scope, run=run) if run else ([], 0)
    visits = (
        selectors.joint_visit_list(scope=scope, month=month)
        .exclude(status=JointVisitStatus.CANCELLED)
        .prefetch_related("inspections__items")
        .order_by("date", "enterprise__name", "id")
    )
    page = paginate(request, visits, per_page=VISITS_PER_PAGE)
    rows = [_visit_row(v) for v in page.object_list]
    return {
        "month": month,
        "month_default": month_default,
        "month_param": _month_param(month),
        "prev_month": _month_param(_prev_month(month)),
        "next_month": _month_param(next_month(month)),
        # Days off in the week and weekend days worked, or a warning that they are not known.
        "holidays_known": year_covered(month.year),
        "special_days": special_days(month_start(month), month_end(month)),
        "street": street,
        "streets": registry_selectors.street_list() if base.sees_all else None,
        "scope": scope,
        "overlaps": overlaps[:SHOWN],
        "overlaps_total": len(overlaps),
        "duplicates": list(duplicates[:SHOWN]),
        "duplicates_total": duplicates.count(),
        "run": run,
        "gap_percent": run.gap * 100 if run else None,
        "unplaced": unplaced,
        "unplaced_elsewhere": unplaced_elsewhere,
        "rows": rows,
        "page_obj": page,
        "page_range": page_range(page),
        "proposed": visits.filter(status=JointVisitStatus.PROPOSED).count(),
        "confirmed": visits.filter(status=JointVisitStatus.CONFIRMED).count(),
        "change_requests": visits.filter(change_requested=True).count(),
        # The next run starts from the last one's settings, so a rerun repeats it.
        "run_form": run_form
        or ScheduleRunForm(
            initial={"seed": run.seed, "deterministic": run.deterministic} if run else {"seed": 0}
        ),
        "job": _job_for_month(request, month),
        "time_limit": SCHEDULE_TIME_LIMIT,
    }


@policy("planning.schedule")
def schedule(request):
    return render(request, "planning/schedule_month.html", _schedule_context(request))


def _schedule_url(month, street_id: str = "") -> str:
    url = f"{reverse('planning_coordination:schedule')}?month={_month_param(month)}"
    return f"{url}&street={street_id}" if street_id.isdecimal() else url


@policy("planning.schedule")
@require_POST
def schedule_run(request):
    """Start the scheduler for the month as a job; the page polls it until it is done."""
    month = month_or_default(request.POST.get("month"))
    form = ScheduleRunForm(request.POST)
    if not form.is_valid():
        request.GET = request.GET.copy()
        request.GET["month"] = _month_param(month)
        context = _schedule_context(request, run_form=form)
        return render(request, "planning/schedule_month.html", context)
    result = schedule_run_job(
        request.user.pk,
        month.isoformat(),
        form.cleaned_data["deterministic"],
        form.cleaned_data["seed"],
    )
    _JOBS.keep(request, result.id, {"month": _month_param(month)})
    return redirect(_schedule_url(month, request.POST.get("street", "")))


@policy("planning.schedule")
def schedule_job(request, task_id: str):
    """The running job's status for the page's polling; once done, the page reloads."""
    job = _JOBS.resolve(request, task_id)
    if job is None:
        raise Http404
    month = month_or_default(job["month"])
    if job.get("outcome") is not None:
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return redirect(_schedule_url(month))
    return render(
        request,
        "planning/schedule_job.html",
        {"job": job, "time_limit": SCHEDULE_TIME_LIMIT, "month_param": _month_param(month)},
    )


@policy("planning.schedule")
@require_POST
def duplicates_check(request):
    """Flag the lower level's entry where two levels plan the same matter (重复检查)."""
    month = month_or_default(request.POST.get("month"))
    flagged = services.duplicates_flag(actor=request.user, month=month)
    if flagged:
        messages.warning(
            request,
            gettext("发现 %(count)s 条跨层级重复的计划检查，已标记为“重复，待撤回”。")
            % {"count": flagged},
        )
    else:
        messages.success(
            request,
            gettext("%(month)s的计划没有发现新的跨层级重复事项。")
            % {"month": dateformat.format(month, pgettext("date format", "Y年m月"))},
        )
    return redirect(_schedule_url(month, request.POST.get("street", "")))


# ---------------------------------------------------------------- one joint visit


def _problems(error: ValidationError) -> list[str]:
    return error.messages


def _refusal(refused: VisitRefused) -> list[dict]:
    return [v.as_json() for v in refused.violations]


def _detail_context(request, visit: JointVisit, **state) -> dict:
    user = request.user
    coordinates = _coordinates(user, visit)
    proposed = visit.status == JointVisitStatus.PROPOSED
    adjustable = coordinates and proposed
    inspections = list(visit.inspections.all())
    context = {
        "visit": visit,
        "inspections": inspections,
        "departments": sorted({e.plan.department.name for e in inspections}),
        "hours": sum(float(e.hours) for e in inspections),
        "coordinates": coordinates,
        "adjustable": adjustable,
        "errors": state.get("errors") or [],
        "refusal": state.get("refusal"),
        "action": state.get("action", ""),
    }
    if adjustable:
        candidates = (
            selectors.joint_visit_list(scope=Scope(sees_all=True), month=visit.month)
            .filter(enterprise_id=visit.enterprise_id, status=JointVisitStatus.PROPOSED)
            .exclude(pk=visit.pk)
        )
        context.update(
            move_form=state.get("move") or MoveForm(initial={"date": visit.date}),
            split_form=state.get("split")
            or SplitForm(inspections=selectors.joint_visit_inspections(visit=visit)),
            merge_form=state.get("merge") or MergeForm(candidates=candidates),
            can_split=len(inspections) > 1,
            can_merge=candidates.exists(),
        )
    return context


def _detail_page(request, visit: JointVisit, **state):
    return render(
        request, "planning/jointvisit_detail.html", _detail_context(request, visit, **state)
    )


@policy(SIGNED_IN)
def visit_detail(request, pk: int):
    return _detail_page(request, _visible_visit(request.user, pk))


def _coordinating(view):
    """A coordinator's change to one visit, called with the visit. A visit that is gone when
    the change is sent (a new schedule run replaced the month's proposals, or it was merged
    into another) is answered with a page that says so: a 404, as for a visit out of the
    user's scope, which must look the same. One taken away while the change is made is
    answered with the month's schedule and the reason, never a server error."""

    @functools.wraps(view)
    def wrapped(request, pk: int):
        try:
            visit = _visible_visit(request.user, pk)
        except Http404:
            return render(request, "planning/jointvisit_gone.html", status=404)
        require(request.user, "planning.joint_visit_coordinate", visit)
        try:
            return view(request, visit)
        except services_coordination.JointVisitReplaced as replaced:
            messages.warning(request, str(replaced))
            url = reverse("planning_coordination:schedule")
            return redirect(f"{url}?month={_month_param(replaced.month)}")

    return wrapped


@policy("planning.joint_visit_coordinate")
@require_POST
@_coordinating
def visit_move(request, visit: JointVisit):
    form = MoveForm(request.POST)
    if form.is_valid():
        day = form.cleaned_data["date"]
        try:
            services_coordination.joint_visit_move(actor=request.user, visit=visit, day=day)
        except ValidationError as error:
            return _detail_page(request, visit, move=form, errors=_problems(error), action="move")
        messages.success(request, gettext("已改到 %(day)s。") % {"day": f"{day:%Y-%m-%d}"})
        return redirect("planning_coordination:visit", pk=visit.pk)
    return _detail_page(request, visit, move=form, action="move")


@policy("planning.joint_visit_coordinate")
@require_POST
@_coordinating
def visit_split(request, visit: JointVisit):
    form = SplitForm(request.POST, inspections=selectors.joint_visit_inspections(visit=visit))
    if form.is_valid():
        try:
            other = services_coordination.joint_visit_split(
                actor=request.user,
                visit=visit,
                entries=list(form.cleaned_data["entries"]),
                day=form.cleaned_data["date"],
            )
        except ValidationError as error:
            return _detail_page(request, visit, split=form, errors=_problems(error), action="split")
        messages.success(
            request,
            gettext("已分出一次入企，安排在 %(day)s。") % {"day": f"{other.date:%Y-%m-%d}"},
        )
        return redirect("planning_coordination:visit", pk=other.pk)
    return _detail_page(request, visit, split=form, action="split")


@policy("planning.joint_visit_coordinate")
@require_POST
@_coordinating
def visit_merge(request, visit: JointVisit):
    candidates = selectors.joint_visit_list(scope=Scope(sees_all=True), month=visit.month).filter(
        enterprise_id=visit.enterprise_id, status=JointVisitStatus.PROPOSED
    )
    form = MergeForm(request.POST, candidates=candidates.exclude(pk=visit.pk))
    if form.is_valid():
        try:
            services_coordination.joint_visit_merge(
                actor=request.user, visit=visit, other=form.cleaned_data["other"]
            )
        except ValidationError as error:
            return _detail_page(request, visit, merge=form, errors=_problems(error), action="merge")
        messages.success(
            request, gettext("已合并为 %(day)s 的一次入企。") % {"day": f"{visit.date:%Y-%m-%d}"}
        )
        return redirect("planning_coordination:visit", pk=visit.pk)
    return _detail_page(request, visit, merge=form, action="merge")


@policy("planning.joint_visit_coordinate")
@require_POST
@_coordinating
def visit_confirm(request, visit: JointVisit):
    """Confirm: the visit is registered as one Visit with its code, under the visit rules."""
    try:
        confirmed = services_coordination.joint_visit_confirm(actor=request.user, visit=visit)
    except VisitRefused as refused:
        return _detail_page(request, visit, refusal=_refusal(refused), action="confirm")
    except ValidationError as error:
        return _detail_page(request, visit, errors=_problems(error), action="confirm")
    messages.success(
        request,
        gettext("已确认联合入企，入企码 %(code)s；企业已可在门户看到日期、部门和一表通查表。")
        % {"code": confirmed.visit.code_display},
    )
    return redirect("planning_coordination:visit", pk=visit.pk)


# ---------------------------------------------------------------- the departments' assignments


@policy("planning.assignments")
def assignments(request):
    scope = scope_for(request.user)  # the department's own
    month, month_default = _month_shown(request, scope)
    page = paginate(request, selectors.assignment_list(scope=scope, month=month))
    rows = []
    for entry in page.object_list:
        visit = entry.joint_visit
        others = (
            sorted(
                {
                    e.plan.department.name
                    for e in visit.active_inspections
                    if e.plan.department_id != scope.department_id
                }
            )
            if visit
            else []
        )
        rows.append({"entry": entry, "visit": visit, "others": others})
    context = {
        "month": month,
        "month_default": month_default,
        "month_param": _month_param(month),
        "prev_month": _month_param(_prev_month(month)),
        "next_month": _month_param(next_month(month)),
        "rows": rows,
        "page_obj": page,
        "page_range": page_range(page),
        "department": request.user.department,
    }
    return render(request, "planning/assignments_list.html", context)
