"""Importing enterprises, inspectors, inspection items and monitoring alerts from the
government templates.

import_run reads the file (engine), checks every row (specs), then hands the valid
rows to the owning app's upsert service, which writes them and one audit event.
A dry run (the default) does everything but write.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
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
from wurao.catalogue.services import item_upsert_many
from wurao.common.credit_code import CreditCodeError, credit_code_normalise
from wurao.credit.services import alert_upsert_many
from wurao.imports.cells import Lookups, as_text
from wurao.imports.engine import (
    MB,
    ImportFileError,
    Limits,
    encoding_label,
    read_table,
    size_check,
)
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
    "import_limits",
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
# Rows parsed per look-up of the enterprises they name: the file streams through, and only
# the parsed values are kept.
PARSE_CHUNK = LOOKUP_CHUNK


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
    def from_json(cls, data: Mapping[str, Any]) -> ImportReport:
        """A report kept as JSON (a background check's), to show as a dry run is shown."""
        file = data.get("file", {})
        return cls(
            target=data["target"],
            filename=file.get("name", ""),
            sha256=file.get("sha256", ""),
            format=file.get("format", ""),
            encoding=file.get("encoding", ""),
            rows=data["rows"],
            valid=data["valid"],
            errors=[
                RowError(e["row"], e["column"], e["code"], e["message"]) for e in data["errors"]
            ],
            warnings=list(data.get("warnings", [])),
            created=data.get("created", 0),
            updated=data.get("updated", 0),
            unchanged=data.get("unchanged", 0),
            committed=data.get("committed", False),
        )

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
    return Lookups.build(
        enterprises=[(pk, code) for code, pk in _enterprise_ids(_valid_codes(credit_codes))],
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


def _with_enterprises(lookups: Lookups, credit_codes: Iterable[Any]) -> Lookups:
    """The reference data with the enterprises of these (valid) credit codes."""
    return dataclasses.replace(
        lookups, enterprises=dict(_enterprise_ids(_valid_codes(credit_codes)))
    )


def _valid_codes(cells: Iterable[Any]) -> list[str]:
    codes = set()
    for cell in cells:
        with contextlib.suppress(CreditCodeError):  # the cell's parser reports it
            codes.add(credit_code_normalise(as_text(cell)))
    return sorted(codes)


def _enterprise_ids(codes: list[str]) -> list[tuple[str, int]]:
    everyone = Scope(sees_all=True)
    found: list[tuple[str, int]] = []
    for start in range(0, len(codes), LOOKUP_CHUNK):
        chunk = codes[start : start + LOOKUP_CHUNK]
        found += (
            registry_selectors.enterprise_list(scope=everyone)
            .filter(credit_code__in=chunk)
            .values_list("credit_code", "pk")
        )
    return found


def upload_path(sha256: str) -> Path:
    """Where a checked upload is kept until (and after) it is confirmed."""
    return Path(settings.MEDIA_ROOT) / "imports" / sha256


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def import_limits() -> Limits:
    """What an import file may be (settings WURAO_IMPORT_*; docs/import-templates.md)."""
    return Limits(
        max_bytes=settings.WURAO_IMPORT_MAX_FILE_MB * MB,
        max_expanded_bytes=settings.WURAO_IMPORT_MAX_EXPANDED_MB * MB,
        max_ratio=settings.WURAO_IMPORT_MAX_RATIO,
        max_rows=settings.WURAO_IMPORT_MAX_ROWS,
    )


def import_run(
    *,
    actor: Any,
    target: str,
    source: bytes | str | Path,
    filename: str = "",
    commit: bool = False,
    progress: Callable[[int, int | None], None] | None = None,
    job: ImportJob | None = None,
) -> ImportReport:
    """Check every row of an import file and, if `commit`, write the valid ones.

    Raises ImportFileError (nothing written) when the file itself is unusable: empty,
    not what its name says, undecodable, missing required columns or without data, or
    past a limit (import_limits). `progress` is called with the rows read since its last
    call and the expected total. A `job` is finished with the report in the transaction
    that writes the rows, so that a job is done exactly when its rows are written.
    The actor is the bureau's (imports.run), or the platform (a command names itself).
    """
    require(actor, "imports.run")
    spec = SPECS[target]
    limits = import_limits()
    if isinstance(source, str | Path):
        path = Path(source)
        filename = filename or path.name
        try:
            size_check(path.stat().st_size, limits)  # before reading it
            data = path.read_bytes()
        except OSError as exc:
            raise ImportFileError(
                FileErrorCode.UNREADABLE,
                gettext("无法读取文件 %(path)s：%(reason)s")
                % {"path": path, "reason": exc.strerror or exc},
            ) from None
    else:
        data = bytes(source)
    table = read_table(data, headers=spec.headers, filename=filename, limits=limits)
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

    reference = lookups_load()
    rows = iter(table)
    parsed: list[tuple[int, dict[str, Any]]] = []
    bad_rows: set[int] = set()
    while chunk := list(itertools.islice(rows, PARSE_CHUNK)):
        lookups = reference
        if spec.enterprise_column:
            lookups = _with_enterprises(
                reference, (raw.get(spec.enterprise_column) for _, raw in chunk)
            )
        for number, raw in chunk:
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
    with transaction.atomic():
        if job is not None:
            from wurao.imports.services_jobs import import_job_claim  # it imports this module

            import_job_claim(job)
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
        if job is not None:
            from wurao.imports.services_jobs import import_job_finish

            import_job_finish(job, report)
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
