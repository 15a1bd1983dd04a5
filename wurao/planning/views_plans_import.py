"""The plan import: a department's planned inspections for a month from an XLSX or CSV
file, checked row by row first (a preview), then taken in one go once confirmed; and the
file's template with the department's item codes. Only those who file the department's plan
("planning.plan") may use it."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import dateformat
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_POST

from wurao.accounts.policy import policy
from wurao.imports.engine import ImportFileError
from wurao.imports.services import upload_path
from wurao.planning import services_plan_import as import_plans
from wurao.planning.forms_plans import PlanImportForm, month_default, month_label, month_parse
from wurao.planning.views_plans import month_of, plans_url

PENDING = "planning_import_pending"  # session: sha256 -> {month, filename, department}
PENDING_KEPT = 5
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


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


@policy("planning.plan")
def plan_import(request):
    department = request.user.department
    if request.method != "POST":
        month = month_of(request)
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


@policy("planning.plan")
@require_POST
def plan_import_confirm(request):
    department = request.user.department
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
    return redirect(f"{plans_url(month)}#entries")


@policy("planning.plan")
def plan_import_template(request, fmt: str):
    department = request.user.department
    month = month_of(request)
    body = import_plans.plan_template(department=department, month=month, fmt=fmt)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(
        True, f"检查计划导入模板-{department.code}-{month_label(month)}.{fmt}"
    )
    return response
