"""自查自纠 pages: the enterprise's self-inspections (start, answer item by item on a phone,
complete) and everyone else's read of them, each scoped by the selectors (out of scope: 404).
The street's park rates and campaigns are in views_parks.py."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from wurao.accounts.policy import policy
from wurao.accounts.scope import scope_for
from wurao.audit.services import audit_read
from wurao.common.pagination import page_range, paginate
from wurao.common.rendering import render_page_or_partial
from wurao.registry import selectors as registry_selectors
from wurao.registry.models import Enterprise
from wurao.selfcheck import selectors, services
from wurao.selfcheck.choices import EntryResult, InspectionStatus
from wurao.selfcheck.forms import EntryForm, FilterForm, StartForm
from wurao.selfcheck.models import EntryPhoto, SelfInspection, SelfInspectionEntry


def _inspection(request, pk: int) -> SelfInspection:
    try:
        return selectors.inspection_get(scope=scope_for(request.user), pk=pk)
    except SelfInspection.DoesNotExist:
        raise Http404 from None


def _entry(request, inspection: SelfInspection, pk: int) -> SelfInspectionEntry:
    try:
        return selectors.entry_get(scope=scope_for(request.user), inspection=inspection, pk=pk)
    except SelfInspectionEntry.DoesNotExist:
        raise Http404 from None


def _own_enterprise(request) -> Enterprise:
    scope = scope_for(request.user)
    try:
        return registry_selectors.enterprise_get(scope=scope, pk=scope.enterprise_id or 0)
    except Enterprise.DoesNotExist:
        raise Http404 from None


# ---------------------------------------------------------------- lists


@policy("selfcheck.browse")
def inspection_list(request):
    scope = scope_for(request.user)
    form = FilterForm(request.GET or None)
    page = paginate(request, selectors.inspection_list(scope=scope, filters=form.filters()))
    context = {
        "form": form,
        "page_obj": page,
        "page_range": page_range(page),
        "scope": scope,
        "sees_answers": selectors.sees_answers(scope),
    }
    if scope.enterprise_id:
        today = timezone.localdate()
        context["in_progress"] = selectors.inspection_in_progress(enterprise_id=scope.enterprise_id)
        context["campaign"] = selectors.campaign_open_for(
            enterprise_id=scope.enterprise_id, on=today
        )
    return render_page_or_partial(
        request, "selfcheck/inspection_list.html", "selfcheck/_inspection_results.html", context
    )


@policy("selfcheck.run")
def inspection_new(request):
    enterprise = _own_enterprise(request)
    items = selectors.items_applicable(enterprise=enterprise)
    departments: dict[int, tuple[str, int]] = {}
    for item in items:
        name, count = departments.get(item.department_id, (item.department.name, 0))
        departments[item.department_id] = (name, count + 1)
    form = StartForm(
        request.POST if request.method == "POST" else None,
        departments=[
            (pk, gettext("%(name)s（%(n)s 项）") % {"name": name, "n": n})
            for pk, (name, n) in departments.items()
        ],
    )
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_start(
                actor=request.user, enterprise=enterprise, department_ids=form.department_ids()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                gettext("自查已开始：共 %(n)s 个事项，逐项填写即可。")
                % {"n": inspection.entries.count()},
            )
            return redirect("selfcheck:inspection-detail", pk=inspection.pk)
    return render(
        request,
        "selfcheck/inspection_new.html",
        {"form": form, "enterprise": enterprise, "item_count": len(items)},
    )


# ---------------------------------------------------------------- one self-inspection


def _progress(entries) -> dict:
    total = len(entries)
    answered = sum(1 for e in entries if e.result)
    return {
        "total": total,
        "answered": answered,
        "percent": round(100 * answered / total) if total else 0,
        "problems": sum(1 for e in entries if e.result == EntryResult.PROBLEM),
        "open": sum(1 for e in entries if e.open_problem),
    }


@policy("selfcheck.browse")
def inspection_detail(request, pk: int):
    scope = scope_for(request.user)
    inspection = _inspection(request, pk)
    entries = list(selectors.entry_list(scope=scope, inspection=inspection))
    own = scope.enterprise_id == inspection.enterprise_id
    audit_read(request, "read.selfcheck", inspection)
    return render(
        request,
        "selfcheck/inspection_detail.html",
        {
            "inspection": inspection,
            "entries": entries,
            "progress": _progress(entries),
            "own": own,
            "running": own and inspection.status == InspectionStatus.IN_PROGRESS,
            "sees_answers": selectors.sees_answers(scope),
            "department_only": bool(scope.department_id),
            "next_entry": next((e for e in entries if not e.result), None),
        },
    )


@policy("selfcheck.browse")
def entry_detail(request, pk: int, entry: int):
    """One item on a phone: its legal basis and check points, the answer, the fix and photos.
    The enterprise edits it; a department or the bureau reads it."""
    scope = scope_for(request.user)
    inspection = _inspection(request, pk)
    the_entry = _entry(request, inspection, entry)
    own = scope.enterprise_id == inspection.enterprise_id
    form = None
    if own:
        form = EntryForm(
            initial={
                "result": the_entry.result,
                "note": the_entry.note,
                "fix_action": the_entry.fix_action,
                "fixed_on": the_entry.fixed_on,
            }
        )
    return _entry_page(request, inspection, the_entry, form=form, own=own)


def _entry_page(request, inspection, entry, *, form, own: bool, status: int = 200):
    entries = list(
        selectors.entry_list(scope=scope_for(request.user), inspection=inspection)
        .select_related(None)
        .prefetch_related(None)
        .only("pk", "position", "result", "fixed_on")
    )
    index = next(i for i, e in enumerate(entries) if e.pk == entry.pk)
    completed = inspection.status == InspectionStatus.COMPLETED
    return render(
        request,
        "selfcheck/entry_detail.html",
        {
            "inspection": inspection,
            "entry": entry,
            "form": form,
            "own": own,
            "completed": completed,
            # After completion only a problem's fix and photos may be added.
            "editable": own and (not completed or entry.result == EntryResult.PROBLEM),
            "check_points": [p.strip() for p in entry.item.check_points.splitlines() if p.strip()],
            "progress": _progress(entries),
            "number": index + 1,
            "previous": entries[index - 1] if index else None,
            "following": entries[index + 1] if index + 1 < len(entries) else None,
        },
        status=status,
    )


@policy("selfcheck.run")
@require_POST
def entry_record(request, pk: int, entry: int):
    inspection = _inspection(request, pk)
    the_entry = _entry(request, inspection, entry)
    if scope_for(request.user).enterprise_id != inspection.enterprise_id:
        raise Http404
    form = EntryForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.entry_record(
                actor=request.user,
                entry=the_entry,
                result=data["result"],
                note=data["note"],
                fix_action=data["fix_action"],
                fixed_on=data["fixed_on"],
                photos=data["photos"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            # On to the next unanswered item; when there is none, back to the checklist.
            following = inspection.entries.filter(result="", position__gt=the_entry.position)
            following = following.first() or inspection.entries.filter(result="").first()
            if following and inspection.status == InspectionStatus.IN_PROGRESS:
                return redirect("selfcheck:entry-detail", pk=inspection.pk, entry=following.pk)
            messages.success(request, gettext("已保存。"))
            return redirect("selfcheck:inspection-detail", pk=inspection.pk)
    the_entry.refresh_from_db()
    return _entry_page(request, inspection, the_entry, form=form, own=True, status=400)


@policy("selfcheck.run")
@require_POST
def inspection_complete(request, pk: int):
    inspection = _inspection(request, pk)
    if scope_for(request.user).enterprise_id != inspection.enterprise_id:
        raise Http404
    try:
        services.inspection_complete(actor=request.user, inspection=inspection)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            gettext(
                "自查已完成。相关部门可以看到本次自查；发现的问题是企业自己的发现，不作为处罚依据。"
            ),
        )
    return redirect("selfcheck:inspection-detail", pk=inspection.pk)


@policy("selfcheck.browse")
def photo(request, pk: int):
    """A photo, served only to whoever may see its entry (never from MEDIA_URL)."""
    scope = scope_for(request.user)
    try:
        the_photo = EntryPhoto.objects.select_related("entry").get(pk=pk)
        inspection = selectors.inspection_get(scope=scope, pk=the_photo.entry.inspection_id)
        selectors.entry_get(scope=scope, inspection=inspection, pk=the_photo.entry_id)
    except (EntryPhoto.DoesNotExist, SelfInspection.DoesNotExist, SelfInspectionEntry.DoesNotExist):
        raise Http404 from None
    try:
        handle = the_photo.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    audit_read(request, "read.selfcheck_photo", inspection)
    return FileResponse(handle, filename=Path(the_photo.image.name).name)
