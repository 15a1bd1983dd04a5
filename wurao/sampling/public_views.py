"""Public disclosure of the draws (一公开), open to anyone without signing in.

From its commitment on, a task shows its commitment, snapshot digest and quotas; after the draw,
the selected enterprises, the teams and the bundle; a visitor re-runs the whole draw in their own
browser. The server seed is never shown before the draw: the bundle service leaves it out.
"""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wurao.accounts.policy import PUBLIC, policy
from wurao.common.pagination import page_range, paginate
from wurao.common.ratelimit import rate_limited
from wurao.sampling import selectors, services
from wurao.sampling.choices import TaskStatus
from wurao.sampling.models import DrawTask
from wurao.sampling.views import (
    SELECTIONS_PER_PAGE,
    quota_rows,
    roster_rows,
    scope_rows,
    selection_rows,
)

DRAWN = (TaskStatus.DRAWN, TaskStatus.IN_PROGRESS, TaskStatus.CLOSED)


def _public_task(code: str) -> DrawTask:
    try:
        task = selectors.draw_task_public_list().get(code=code)
    except DrawTask.DoesNotExist:
        raise Http404 from None
    return selectors.draw_task_detail(task=task)


@policy(PUBLIC)
@rate_limited("public")
@require_GET
def task_list(request):
    page = paginate(request, selectors.draw_task_public_list())
    return render(
        request,
        "sampling/public/task_list.html",
        {"page_obj": page, "page_range": page_range(page)},
    )


@policy(PUBLIC)
@rate_limited("public")
@require_GET
def task_detail(request, code: str):
    task = _public_task(code)
    participants = list(task.participants.all())
    context = {
        "task": task,
        "drawn": task.status in DRAWN,
        # Results are published when the task closes (一公开), not one by one while it runs.
        "results_pending": task.status != TaskStatus.CLOSED,
        "participants": participants,
        "rosters": roster_rows(participants),
        "quota_rows": quota_rows(task),
        "scope_rows": scope_rows(task.scope),
        "grade_basis": selectors.draw_task_grade_basis(task=task),
    }
    if task.status in DRAWN:
        page = paginate(
            request, selectors.draw_selection_list(task=task), per_page=SELECTIONS_PER_PAGE
        )
        context.update(
            page_obj=page,
            page_range=page_range(page),
            rows=selection_rows(page.object_list, participants),
        )
    return render(request, "sampling/public/task_detail.html", context)


@policy(PUBLIC)
@rate_limited("public")
@require_GET
def task_bundle(request, code: str):
    bundle = services.draw_task_bundle(task=_public_task(code))
    response = HttpResponse(
        json.dumps(bundle, ensure_ascii=False, separators=(",", ":")),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{code}.json"'
    return response


@policy(PUBLIC)
@rate_limited("public")
@require_GET
def task_verify(request, code: str):
    task = _public_task(code)
    return render(
        request, "sampling/public/verify.html", {"task": task, "drawn": task.status in DRAWN}
    )


@policy(PUBLIC)
@rate_limited("public")
@require_GET
def verify(request):
    """Verify any bundle: from a file or pasted, nothing is sent to the server."""
    return render(request, "sampling/public/verify.html", {"task": None})
