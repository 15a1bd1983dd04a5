"""Importing enterprises, inspectors, inspection items and monitoring alerts from the
government templates.

import_run reads the file (engine), checks every row (specs), then hands the valid
rows to the owning app's upsert service, which writes them and one audit event.
A dry run (the default) does everything but write.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from wurao.accounts.policy import require
from wurao.accounts.scope import Scope
from wurao.audit.services import audit_record
from wurao.catalogue.services import item_upsert_many
from wurao.common.credit_code import CreditCodeError, credit_code_normalise
from wurao.credit.services import alert_upsert_many
from wurao.imports.cells import Lookups, as_text
from wurao.imports.engine import ImportFileError, encoding_label, read_table
from wurao.imports.errors import FileErrorCode, RowErrorCode
from wurao.imports.models import ImportJob
from wurao.imports.specs import SPECS, Spec
from wurao.registry import selectors as registry_selectors
from wurao.registry.services import UpsertResult, enterprise_upsert_many, inspector_upsert_many

__all__ = [
    "BACKGROUND_ROWS",
    "ImportFileError",
    "ImportReport",
    "RowError",
    "TARGETS",
    "import_job_create",
    "import_job_fail",
    "import_job_finish",
    "import_job_start",
    "import_run",
    "upload_path",
]

Upsert = Callable[..., UpsertResult]
UPSERTS: dict[str, Upsert] = {
    "enterprises": enterprise_upsert_many,
    "inspectors": inspector_upsert_many,
    "items": item_upsert_many,
    "alerts": alert_upsert_many,
}
TARGETS: dict[str, str] = {target: spec.label for target, spec in SPECS.items()}
PROGRESS_STEP = 1000
# A confirmed file with more data rows than this is written by a job, not in the request.
BACKGROUND_ROWS = 2000
LOOKUP_CHUNK = 900  # SQLite's default limit of bound parameters is 999


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    code: str
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


@dataclass
class ImportReport:
    target: str
    filename: str = ""
    sha256: str = ""
    format: str = ""
    encoding: str = ""
    rows: int = 0
    valid: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    committed: bool = False

    @property
    def invalid_rows(self) -> int:
        return self.rows - self.valid

    @property
    def label(self) -> str:
        return TARGETS.get(self.target, self.target)

    def as_json(self) -> dict[str, Any]:
        """The issue's report shape ({rows, valid, errors}), with the outcome alongside."""
        return {
            "rows": self.rows,
            "valid": self.valid,
            "errors": [e.as_json() for e in self.errors],
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "committed": self.committed,
            "target": self.target,
            "file": {
                "name": self.filename,
                "sha256": self.sha256,
                "format": self.format,
                "encoding": self.encoding,
            },
            "warnings": self.warnings,
        }

    @classmethod
    def rejected(
        cls, *, target: str, filename: str, sha256: str, error: ImportFileError
    ) -> ImportReport:
        """The report of a file refused as a whole: one error, nothing imported."""
        return cls(
            target=target,
            filename=filename,
            sha256=sha256,
            errors=[RowError(error.row, error.column, str(error.code), error.message)],
        )


def lookups_load(*, credit_codes: Iterable[Any] = ()) -> Lookups:
    """The reference data cells are matched against, in a handful of queries; of the
    enterprises, only those whose (valid) credit codes are given."""
    codes = set()
    for cell in credit_codes:
        with contextlib.suppress(CreditCodeError):  # the cell's parser reports it
            codes.add(credit_code_normalise(as_text(cell)))
    return Lookups.build(
        enterprises=_enterprise_ids(sorted(codes)),
        today=timezone.localdate(),
        streets=registry_selectors.street_list().values_list("pk", "code", "name"),
        communities=registry_selectors.community_list().values_list(
            "pk", "street_id", "code", "name"
        ),
        parks=registry_selectors.park_list().values_list("pk", "code", "name"),
        departments=registry_selectors.department_list().values_list(
            "pk", "code", "name", "is_enforcement"
        ),
        risk_tags=registry_selectors.risk_tag_list().values_list("pk", "code", "name"),
    )


def _enterprise_ids(codes: list[str]) -> list[tuple[int, str]]:
    everyone = Scope(sees_all=True)
    found: list[tuple[int, str]] = []
    for start in range(0, len(codes), LOOKUP_CHUNK):
        chunk = codes[start : start + LOOKUP_CHUNK]
        found += (
            registry_selectors.enterprise_list(scope=everyone)
            .filter(credit_code__in=chunk)
            .values_list("pk", "credit_code")
        )
    return found


def upload_path(sha256: str) -> Path:
    """Where a checked upload is kept until (and after) it is confirmed."""
    return Path(settings.MEDIA_ROOT) / "imports" / sha256


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def import_run(
    *,
    actor: Any,
    target: str,
    source: bytes | str | Path,
    filename: str = "",
    commit: bool = False,
    progress: Callable[[int, int | None], None] | None = None,
) -> ImportReport:
    """Check every row of an import file and, if `commit`, write the valid ones.

    Raises ImportFileError (nothing written) when the file itself is unusable: empty,
    not what its name says, undecodable, missing required columns or without data.
    `progress` is called with the rows read since its last call and the expected total.
    The actor is the bureau's (imports.run), or the platform (a command names itself).
    """
    require(actor, "imports.run")
    spec = SPECS[target]
    if isinstance(source, str | Path):
        path = Path(source)
        filename = filename or path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ImportFileError(
                FileErrorCode.UNREADABLE,
                gettext("无法读取文件 %(path)s：%(reason)s")
                % {"path": path, "reason": exc.strerror or exc},
            ) from None
    else:
        data = bytes(source)
    table = read_table(data, headers=spec.headers, filename=filename)
    report = ImportReport(
        target=target,
        filename=filename,
        sha256=sha256_of(data),
        format=table.format,
        encoding=encoding_label(table.encoding) if table.encoding else "",
    )
    if table.unknown_headers:
        report.warnings.append(
            gettext("以下列不在模板中，已忽略：%(headers)s")
            % {"headers": "、".join(table.unknown_headers)}
        )

    rows = list(table)
    lookups = lookups_load(
        credit_codes=(raw.get(spec.enterprise_column) for _, raw in rows)
        if spec.enterprise_column
        else ()
    )
    parsed: list[tuple[int, dict[str, Any]]] = []
    bad_rows: set[int] = set()
    for number, raw in rows:
        values, cell_errors = spec.parse_row(raw, lookups)
        parsed.append((number, values))
        for column, invalid in cell_errors:
            report.errors.append(RowError(number, column, str(invalid.code), invalid.message))
            bad_rows.add(number)
        if progress and len(parsed) % PROGRESS_STEP == 0:
            progress(PROGRESS_STEP, table.total_hint)
    if progress:
        progress(len(parsed) % PROGRESS_STEP, table.total_hint)

    for number, error in _duplicates(spec, parsed):
        report.errors.append(error)
        bad_rows.add(number)
    report.errors.sort(key=lambda e: e.row)
    report.rows = len(parsed)
    valid_rows = [values for number, values in parsed if number not in bad_rows]
    report.valid = len(valid_rows)

    key_field = spec.column(spec.key_column).fields[0]
    fields = spec.fields_for(table.keys) - {key_field}
    result = UPSERTS[target](
        actor=actor,
        rows=valid_rows,
        fields=fields,
        source={
            "filename": filename,
            "sha256": report.sha256,
            "rows_in_file": report.rows,
            "rows_rejected": report.invalid_rows,
        },
        dry_run=not commit,
    )
    report.created, report.updated, report.unchanged = (
        len(result.created),
        len(result.updated),
        result.unchanged,
    )
    report.committed = commit
    return report


def _duplicates(
    spec: Spec, parsed: Sequence[tuple[int, Mapping[str, Any]]]
) -> list[tuple[int, RowError]]:
    """Every row whose key appears more than once in the file: none of them is imported,
    since the file does not say which one is right."""
    column = spec.column(spec.key_column)
    key_field = column.fields[0]
    rows_by_key: dict[str, list[int]] = defaultdict(list)
    for number, values in parsed:
        if key_field in values:
            rows_by_key[values[key_field]].append(number)
    errors = []
    for key, numbers in rows_by_key.items():
        if len(numbers) < 2:
            continue
        where = "、".join(str(n) for n in numbers)
        for number in numbers:
            message = gettext(
                "%(column)s“%(key)s”在文件中重复出现（第 %(rows)s 行），这些行均未导入；请只保留正确的一行"
            ) % {"column": column.header, "key": key, "rows": where}
            errors.append(
                (
                    number,
                    RowError(number, column.header, str(RowErrorCode.DUPLICATE_IN_FILE), message),
                )
            )
    return errors


# Background commits of large files: the job's every change of state is an audit event.


def _job_audit(job: ImportJob, *, actor: Any, verb: str, **payload: Any) -> None:
    audit_record(
        actor=actor,
        verb=verb,
        obj=job,
        payload={"target": job.target, "filename": job.filename, "sha256": job.sha256, **payload},
    )


def import_job_create(
    *, actor: Any, target: str, sha256: str, filename: str, rows: int = 0
) -> ImportJob:
    """Record a confirmed upload to be written in the background and queue its job."""
    from wurao.imports.tasks import import_commit_job  # tasks imports this module

    require(actor, "imports.run")
    with transaction.atomic():
        job = ImportJob.objects.create(
            target=target, sha256=sha256, filename=filename, rows=rows, requested_by=actor
        )
        _job_audit(job, actor=actor, verb="import_job.queue", rows=rows)
    # Enqueued after the job row is committed, so the worker always finds it.
    import_commit_job(job.pk)
    return job


def import_job_start(job: ImportJob) -> ImportJob:
    with transaction.atomic():
        job.status = ImportJob.Status.RUNNING
        job.started_at = timezone.now()
        job.error = ""
        job.save(update_fields=["status", "started_at", "error"])
        _job_audit(job, actor=job.requested_by, verb="import_job.start")
    return job


def import_job_finish(job: ImportJob, report: ImportReport) -> ImportJob:
    with transaction.atomic():
        job.status = ImportJob.Status.DONE
        job.report = report.as_json()
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "report", "finished_at"])
        _job_audit(
            job,
            actor=job.requested_by,
            verb="import_job.finish",
            rows=report.rows,
            valid=report.valid,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
        )
    return job


def import_job_fail(job: ImportJob, message: str) -> ImportJob:
    with transaction.atomic():
        job.status = ImportJob.Status.FAILED
        job.error = message
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        _job_audit(job, actor=job.requested_by, verb="import_job.fail", error=message)
    return job
