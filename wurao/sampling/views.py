"""Department pages of the double-random draws: the task list, a new task, and one task's lifecycle.

Who may do what is declared in wurao.accounts.policy.sampling: the department admins of the
lead department create, commit, draw and close; any officer of a participating department
records that department's results; the justice bureau reads everything. A task outside a
user's scope looks exactly like a missing one.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from wurao.accounts.policy import allows, policy, require
from wurao.accounts.scope import Scope, scope_for
from wurao.common.pagination import page_range, paginate
from wurao.common.rendering import render_page_or_partial
from wurao.registry import selectors as registry_selectors
from wurao.sampling import selectors, services, services_draft, services_results
from wurao.sampling.choices import GRADE_STRATA, TaskStatus
from wurao.sampling.forms import (
    GRADE_LABELS,
    DrawForm,
    DrawScopeForm,
    DrawTaskFilterForm,
    DrawTaskForm,
    ResultForm,
)
from wurao.sampling.models import DrawSelection, DrawTask

SELECTIONS_PER_PAGE = 100

# How the lifecycle services name the fields of a refusal, for a message on the task page.
FIELD_LABELS = {
    "scope": _("抽查范围"),
    "size_value": _("抽取总数或比例"),
    "participants": _("参与部门"),
    "team_size": _("每组执法人员数"),
    "observer": _("监督见证人"),
    "external_entropy": _("外部随机数"),
}


# ---------------------------------------------------------------- who may do what


# The pages name "sampling.browse" (or "sampling.create"); a task's own rule is checked once
# the task is found, so that a task out of scope stays a 404 whoever asks.


def _visible_task(user, pk: int) -> DrawTask:
    try:
        task = selectors.draw_task_list(scope=scope_for(user)).get(pk=pk)
    except DrawTask.DoesNotExist:
        raise Http404 from None
    return selectors.draw_task_detail(task=task)


def _participant_of(user, task: DrawTask):
    """The participant whose results this user records, if any."""
    if not allows(user, "sampling.record_results", task):
        return None
    return next((p for p in task.participants.all() if p.department_id == user.department_id), None)


def _refusal_messages(request, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            label = FIELD_LABELS.get(field)
            for message in errors:
                messages.error(
                    request,
                    gettext("%(field)s：%(message)s") % {"field": label, "message": message}
                    if label
                    else message,
                )
    else:
        for message in error.messages:
            messages.error(request, message)


# ---------------------------------------------------------------- shared display


def quota_rows(task: DrawTask) -> list[dict]:
    return [
        {
            "stratum": label,
            "label": GRADE_LABELS[label],
            "weight": task.weights.get(label, "1"),
            "quota": task.quotas.get(label, 0),
        }
        for label in GRADE_STRATA
    ]


def _step_state(i: int, now: int, *, closed: bool) -> str:
    if i < now or (i == now and closed):
        return "done"
    return "current" if i == now else "todo"


def lifecycle_steps(task: DrawTask) -> list[dict]:
    order = list(TaskStatus)
    now = order.index(TaskStatus(task.status))
    return [
        {
            "label": status.label,
            "state": _step_state(i, now, closed=task.status == TaskStatus.CLOSED),
        }
        for i, status in enumerate(order)
    ]


def scope_rows(scope: dict) -> list[tuple[str, str]]:
    """The task's scope in words: each filter given, by name."""
    form = DrawScopeForm()
    rows = []
    for name in ("streets", "communities", "parks", "industry_sections", "kinds", "size_classes"):
        if values := scope.get(name):
            field = form.fields[name]
            if hasattr(field, "queryset"):
                labels = [
                    field.label_from_instance(o) for o in field.queryset.filter(pk__in=values)
                ]
            else:
                names = dict(field.choices)
                labels = [str(names.get(v, v)) for v in values]
            rows.append((str(field.label), "、".join(labels)))
    if tags := scope.get("risk_tags"):
        names = dict(registry_selectors.risk_tag_list().values_list("code", "name"))
        rows.append((gettext("风险标签"), "、".join(names.get(code, code) for code in tags)))
    if scope.get("above_scale"):
        rows.append((gettext("规上企业"), gettext("仅规上企业")))
    return rows


def roster_rows(participants) -> list[dict]:
    """Each department's frozen roster as (badge, name), and how many exclusions it carries."""
    badges = {badge for p in participants for badge in p.roster}
    names = dict(
        registry_selectors.inspector_list(scope=Scope(sees_all=True))
        .filter(badge_no__in=badges)
        .values_list("badge_no", "name")
    )
    return [
        {
            "participant": p,
            "members": [(badge, names.get(badge, "")) for badge in p.roster],
            "exclusions": sum(len(b) for b in p.exclusions.values()),
        }
        for p in participants
    ]


def _result_day(task: DrawTask) -> datetime.date:
    today = datetime.date.today()
    return min(max(today, task.window_start), task.window_end)


def selection_rows(
    selections, participants, *, task=None, mine=None, editable=False, forms=None
) -> list:
    """Per drawn enterprise, one cell per department: its team, its result, or the form for it."""
    forms = forms or {}
    initial = {"inspected_on": _result_day(task)} if task is not None else {}
    rows = []
    for selection in selections:
        teams: dict[int, list] = {}
        for member in sorted(selection.team.all(), key=lambda m: m.rank):
            teams.setdefault(member.participant_id, []).append(member.inspector)
        results = {r.participant_id: r for r in selection.results.all()}
        cells = []
        for participant in participants:
            result = results.get(participant.pk)
            form = None
            if editable and mine is not None and participant.pk == mine.pk and result is None:
                form = forms.get(selection.pk) or ResultForm(
                    auto_id=f"id_r{selection.pk}_%s", initial=initial
                )
            cells.append(
                {
                    "participant": participant,
                    "team": teams.get(participant.pk, []),
                    "result": result,
                    "form": form,
                }
            )
        rows.append({"selection": selection, "cells": cells})
    return rows


def _progress_context(task: DrawTask) -> dict:
    recorded, expected = selectors.draw_result_progress(task=task)
    return {
        "recorded": recorded,
        "expected": expected,
        "complete": expected and recorded >= expected,
    }


def _detail_context(request, task: DrawTask, *, draw_form=None) -> dict:
    user = request.user
    participants = list(task.participants.all())
    mine = _participant_of(user, task)
    context = {
        "task": task,
        "participants": participants,
        "can_run": allows(user, "sampling.run", task),
        "my_participant": mine,
        "quota_rows": quota_rows(task),
        "scope_rows": scope_rows(task.scope),
        "steps": lifecycle_steps(task),
    }
    if task.status == TaskStatus.DRAFT:
        try:
            context["preview"] = services.draw_task_preview(task=task)
        except ValidationError as error:
            context["preview_errors"] = error.messages
        else:
            context["preview_rows"] = preview_rows(context["preview"], task.weights)
        preview = context.get("preview")
        context["grade_basis"] = selectors.draw_task_grade_basis(
            task=task, sizes=preview.sizes if preview else None
        )
    else:
        context["grade_basis"] = selectors.draw_task_grade_basis(task=task)
        context["rosters"] = roster_rows(participants)
    if task.status == TaskStatus.COMMITTED:
        context["draw_form"] = draw_form or DrawForm()
    if task.status in (TaskStatus.DRAWN, TaskStatus.IN_PROGRESS, TaskStatus.CLOSED):
        page = paginate(
            request, selectors.draw_selection_list(task=task), per_page=SELECTIONS_PER_PAGE
        )
        editable = task.status in (TaskStatus.DRAWN, TaskStatus.IN_PROGRESS)
        context.update(
            page_obj=page,
            page_range=page_range(page),
            rows=selection_rows(
                page.object_list, participants, task=task, mine=mine, editable=editable
            ),
            **_progress_context(task),
        )
    return context


def preview_rows(preview, weights: dict) -> list[dict]:
    return [
        {
            **row,
            "label": GRADE_LABELS[row["stratum"]],
            "weight": weights.get(row["stratum"], "1"),
            "ratio_percent": 100 * row["ratio"],
        }
        for row in preview.rows
    ]


# ---------------------------------------------------------------- pages


@policy("sampling.browse")
def task_list(request):
    scope = scope_for(request.user)
    form = DrawTaskFilterForm(request.GET or None)
    page = paginate(request, selectors.draw_task_list(scope=scope, filters=form.filters()))
    context = {
        "form": form,
        "page_obj": page,
        "page_range": page_range(page),
        "scope": scope,
        "can_create": allows(request.user, "sampling.create"),
    }
    return render_page_or_partial(
        request, "sampling/task_list.html", "sampling/_task_results.html", context
    )


@policy("sampling.create")
def task_create(request):
    department = request.user.department
    form = DrawTaskForm(request.POST or None, lead_department=department)
    if request.method == "POST" and form.is_valid():
        try:
            # Refuse a size the scope cannot give before anything is saved.
            services.draw_scope_preview(**form.preview_kwargs())
            task = services_draft.draw_task_create(actor=request.user, **form.create_kwargs())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                gettext("已创建抽查任务 %(code)s。请核对配额后“承诺并公开”，之后方可抽取。")
                % {"code": task.code},
            )
            return redirect("sampling:task-detail", pk=task.pk)
    return render(
        request,
        "sampling/task_form.html",
        {"form": form, "item_groups": form.item_groups(), "department": department},
    )


@policy("sampling.create")
@require_GET
def task_create_items(request):
    """The item checkbox groups, one per department chosen (htmx)."""
    form = DrawTaskForm(request.GET, lead_department=request.user.department)
    return render(request, "sampling/_items.html", {"item_groups": form.item_groups()})


@policy("sampling.create")
@require_POST
def task_create_preview(request):
    """Candidates, quotas and ratio per grade for the form as it stands, nothing saved (htmx)."""
    form = DrawScopeForm(request.POST)
    context: dict = {"form": form}
    if form.is_valid():
        try:
            preview = services.draw_scope_preview(**form.preview_kwargs())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            context["preview"] = preview
            context["preview_rows"] = preview_rows(preview, form.weights())
    return render(request, "sampling/_preview.html", context)


@policy("sampling.browse")
def task_detail(request, pk: int):
    task = _visible_task(request.user, pk)
    return render(request, "sampling/task_detail.html", _detail_context(request, task))


@policy("sampling.browse")
@require_POST
def task_commit(request, pk: int):
    task = _visible_task(request.user, pk)
    require(request.user, "sampling.run", task)
    try:
        task = services.draw_task_commit(actor=request.user, task=task)
    except ValidationError as error:
        _refusal_messages(request, error)
    else:
        messages.success(
            request,
            gettext("已承诺并公开：承诺值 %(commitment)s… 与候选快照摘要已发布，候选范围不再改变。")
            % {"commitment": task.commitment[:16]},
        )
    return redirect("sampling:task-detail", pk=pk)


@policy("sampling.browse")
@require_POST
def task_draw(request, pk: int):
    task = _visible_task(request.user, pk)
    require(request.user, "sampling.run", task)
    form = DrawForm(request.POST)
    if form.is_valid():
        try:
            task = services.draw_task_draw(actor=request.user, task=task, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                gettext("抽取完成：抽中 %(count)s 家企业，结果包已公开，任何人可核验。")
                % {"count": task.selections.count()},
            )
            return redirect("sampling:task-detail", pk=pk)
    if form.non_field_errors() and not any(form[name].errors for name in form.fields):
        # The task moved on (drawn by someone else a moment ago): say so on the task page.
        for message in form.non_field_errors():
            messages.error(request, message)
        return redirect("sampling:task-detail", pk=pk)
    return render(
        request, "sampling/task_detail.html", _detail_context(request, task, draw_form=form)
    )


@policy("sampling.browse")
@require_POST
def result_record(request, pk: int, selection_pk: int):
    task = _visible_task(request.user, pk)
    require(request.user, "sampling.record_results", task)
    participant = _participant_of(request.user, task)
    try:
        selection = selectors.draw_selection_list(task=task).get(pk=selection_pk)
    except DrawSelection.DoesNotExist:
        raise Http404 from None
    form = ResultForm(request.POST, auto_id=f"id_r{selection.pk}_%s")
    if form.is_valid():
        try:
            services_results.draw_result_record(
                actor=request.user,
                selection=selection,
                participant=participant,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_service_error(error)
    recorded = not form.errors
    if not request.htmx:
        if recorded:
            messages.success(
                request,
                gettext("已录入 %(enterprise)s 的检查结果")
                % {"enterprise": selection.enterprise.name},
            )
        else:
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for message in errors:
                    messages.error(
                        request, f"{selection.enterprise.name} · {label}：{message}".rstrip("：")
                    )
        url = reverse("sampling:task-detail", kwargs={"pk": pk})
        return redirect(f"{url}#sel-{selection.pk}")
    # htmx: the row again (with its errors, or the new result) and the progress card out of band.
    task = selectors.draw_task_detail(task=task)
    selection = selectors.draw_selection_list(task=task).get(pk=selection_pk)
    participants = list(task.participants.all())
    row = selection_rows(
        [selection],
        participants,
        task=task,
        mine=participant,
        editable=task.status in (TaskStatus.DRAWN, TaskStatus.IN_PROGRESS),
        forms={} if recorded else {selection.pk: form},
    )[0]
    context = {
        "task": task,
        "row": row,
        "participants": participants,
        "can_run": allows(request.user, "sampling.run", task),
        "oob": True,
        **_progress_context(task),
    }
    return render(request, "sampling/_result_response.html", context)


@policy("sampling.browse")
@require_POST
def task_close(request, pk: int):
    task = _visible_task(request.user, pk)
    require(request.user, "sampling.run", task)
    try:
        services.draw_task_close(actor=request.user, task=task)
    except ValidationError as error:
        _refusal_messages(request, error)
    else:
        messages.success(request, gettext("任务已办结，检查结果已在公示页面公开。"))
    return redirect("sampling:task-detail", pk=pk)
