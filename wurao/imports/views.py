"""The justice bureau's import page: choose what to import and a file, read the dry run,
confirm. The upload is kept under MEDIA_ROOT/imports/<sha256>, so the confirmation
imports exactly the bytes that were checked, and the audit event's hash finds the file.
A large upload is checked by a job, and a large confirmed import written by one; the job's
page follows it."""

import hashlib
import json
import os
import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from wurao.accounts.policy import policy
from wurao.imports.engine import MB, template_csv, template_xlsx
from wurao.imports.forms import UploadForm
from wurao.imports.models import ImportJob
from wurao.imports.services import (
    BACKGROUND_ROWS,
    TARGETS,
    ImportFileError,
    ImportReport,
    import_limits,
    import_run,
    upload_path,
)
from wurao.imports.services_jobs import import_job_create
from wurao.imports.specs import SPECS, describe, template_rows

# session: sha256 -> {target, filename, rows} of checked, unconfirmed uploads
PENDING = "imports_pending"
RESULT = "imports_result"  # session: the last confirmed import's report
PENDING_KEPT = 5
SHOWN_ERRORS = 500
MISSING_UPLOAD = gettext_noop("检查过的文件已不在服务器上（可能已被清理），请重新上传文件。")
# A larger upload is checked by a job: a whole district's file takes minutes, past the server's
# timeout (config/gunicorn.conf.py); 2 MB is some 10,000 CSV rows, checked in seconds.
INLINE_CHECK_BYTES = 2 * MB
# What a multipart body may add to the file it carries (boundaries, the other fields).
ENVELOPE_BYTES = 64 * 1024
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _store(data: bytes, sha256: str) -> None:
    path = upload_path(sha256)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _store_upload(upload_file) -> str:
    """Keep an upload chunk by chunk, never whole in memory; returns its SHA-256."""
    digest = hashlib.sha256()
    folder = upload_path(sha256="upload").parent
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, delete=False) as kept:
        for chunk in upload_file.chunks():
            digest.update(chunk)
            kept.write(chunk)
    sha256 = digest.hexdigest()
    os.replace(kept.name, upload_path(sha256))
    return sha256


def _declared_too_large(request) -> bool:
    """A body larger than the file limit allows, refused before a byte of it is read."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return declared > import_limits().max_bytes + ENVELOPE_BYTES


def _templates():
    return [
        {"target": t, "label": label, "columns": describe(SPECS[t])} for t, label in TARGETS.items()
    ]


@policy("imports.run")
@csrf_exempt  # the size goes first, before the body is read; _upload checks the CSRF token
def upload(request):
    if request.method == "POST" and _declared_too_large(request):
        limit = import_limits().max_bytes // MB
        form = UploadForm(data={"target": request.GET.get("target", "enterprises")})
        form.is_valid()
        form.errors["file"] = form.error_class(
            [
                gettext("文件过大（上限 %(limit)d MB），未上传。请拆分后分批上传。")
                % {"limit": limit}
            ]
        )
        return render(
            request, "imports/upload.html", {"form": form, "templates": _templates()}, status=413
        )
    return _upload(request)


@csrf_protect
def _upload(request):
    if request.method != "POST":
        form = UploadForm(initial={"target": request.GET.get("target", "enterprises")})
        return render(request, "imports/upload.html", {"form": form, "templates": _templates()})
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "imports/upload.html", {"form": form, "templates": _templates()})
    target = form.cleaned_data["target"]
    upload_file = form.cleaned_data["file"]
    if upload_file.size > INLINE_CHECK_BYTES:
        job = import_job_create(
            actor=request.user,
            target=target,
            sha256=_store_upload(upload_file),
            filename=upload_file.name,
            kind=ImportJob.Kind.CHECK,
        )
        return redirect("imports:job", pk=job.pk)
    data = upload_file.read()
    try:
        report = import_run(
            actor=request.user, target=target, source=data, filename=upload_file.name
        )
    except ImportFileError as error:
        form.add_error("file", error.message)
        return render(request, "imports/upload.html", {"form": form, "templates": _templates()})
    _store(data, report.sha256)
    return _preview(request, report)


def _preview(request, report: ImportReport):
    """The dry run's page; the upload waits in the session for its confirmation."""
    pending = request.session.get(PENDING, {})
    pending.pop(report.sha256, None)
    pending[report.sha256] = {
        "target": report.target,
        "filename": report.filename,
        "rows": report.rows,
    }
    request.session[PENDING] = dict(list(pending.items())[-PENDING_KEPT:])
    return render(
        request,
        "imports/preview.html",
        {"report": report, "errors": report.errors[:SHOWN_ERRORS], "shown": SHOWN_ERRORS},
    )


def _pending(request, sha256: str) -> dict | None:
    entry = request.session.get(PENDING, {}).get(sha256)
    if entry is None or not upload_path(sha256).is_file():
        return None
    return entry


@policy("imports.run")
@require_POST
def commit(request):
    sha256 = request.POST.get("sha256", "")
    entry = _pending(request, sha256)
    if entry is None or request.POST.get("target") != entry["target"]:
        messages.error(
            request, gettext("没有找到待确认的上传（可能已确认过或已过期），请重新上传文件。")
        )
        return redirect("imports:upload")
    if entry.get("rows", 0) > BACKGROUND_ROWS:
        job = import_job_create(
            actor=request.user,
            target=entry["target"],
            sha256=sha256,
            filename=entry["filename"],
            rows=entry["rows"],
        )
        _forget_pending(request, sha256)
        return redirect("imports:job", pk=job.pk)
    try:
        report = import_run(
            actor=request.user,
            target=entry["target"],
            source=upload_path(sha256),
            filename=entry["filename"],
            commit=True,
        )
    except (
        ImportFileError
    ) as error:  # the stored file was checked a moment ago; only tampering gets here
        messages.error(request, gettext("文件未导入：%(reason)s") % {"reason": error.message})
        return redirect("imports:upload")
    _forget_pending(request, sha256)
    request.session[RESULT] = _summary(report.as_json())
    return redirect("imports:result")


def _forget_pending(request, sha256: str) -> None:
    pending = request.session[PENDING]
    pending.pop(sha256, None)
    request.session[PENDING] = pending


def _summary(report: dict) -> dict:
    """A confirmed import's report as the result page shows it: the errors cut to SHOWN_ERRORS."""
    summary = dict(report)
    summary["errors_total"] = len(summary["errors"])
    summary["errors"] = summary["errors"][:SHOWN_ERRORS]
    return summary


@policy("imports.run")
def result(request):
    summary = request.session.get(RESULT)
    if summary is None:
        return redirect("imports:upload")
    return render(
        request,
        "imports/result.html",
        {"summary": summary, "label": TARGETS.get(summary["target"], ""), "shown": SHOWN_ERRORS},
    )


@policy("imports.run")
def job_status(request, pk: int):
    """A background check or import: queued or running (the page polls every 2 s), then its
    result: a check's is the dry run, to confirm as any other. Any justice user may follow
    it, as any of them may import (imports.run)."""
    job = get_object_or_404(ImportJob.objects.select_related("requested_by"), pk=pk)
    if job.kind == ImportJob.Kind.CHECK and job.status == ImportJob.Status.DONE:
        if request.headers.get("HX-Request"):  # the polling part: reload as the whole page
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        if not upload_path(job.sha256).is_file():
            messages.error(request, gettext(MISSING_UPLOAD))
            return redirect(f"{reverse('imports:upload')}?target={job.target}")
        return _preview(request, ImportReport.from_json(job.report))
    context = {
        "job": job,
        "label": TARGETS.get(job.target, ""),
        "summary": _summary(job.report) if job.report else None,
        "shown": SHOWN_ERRORS,
    }
    if request.headers.get("HX-Request"):
        return render(request, "imports/_job.html", context)
    return render(request, "imports/job.html", context)


@policy("imports.run")
def report_download(request, sha256: str):
    """The full dry-run report of a checked upload, for error lists longer than the page shows."""
    entry = _pending(request, sha256)
    if entry is None:
        raise PermissionDenied
    checked = (
        ImportJob.objects.filter(
            kind=ImportJob.Kind.CHECK,
            status=ImportJob.Status.DONE,
            sha256=sha256,
            target=entry["target"],
        )
        .order_by("-pk")
        .first()
    )
    if checked is not None:  # a large file's check: not run again in the request
        return _report_response(checked.report, sha256)
    try:
        report = import_run(
            actor=request.user,
            target=entry["target"],
            source=upload_path(sha256),
            filename=entry["filename"],
        )
    except ImportFileError as error:
        report = ImportReport.rejected(
            target=entry["target"], filename=entry["filename"], sha256=sha256, error=error
        )
    return _report_response(report.as_json(), sha256)


def _report_response(report: dict, sha256: str) -> HttpResponse:
    body = json.dumps(report, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, gettext("导入检查报告-%(digest)s.json") % {"digest": sha256[:8]}
    )
    return response


@policy("imports.run")
def template_download(request, target: str, fmt: str):
    header, examples, required = template_rows(SPECS[target])
    body = (
        template_csv(header, examples)
        if fmt == "csv"
        else template_xlsx(header, examples, required=required)
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(
        True, gettext("%(label)s导入模板.%(format)s") % {"label": TARGETS[target], "format": fmt}
    )
    return response
