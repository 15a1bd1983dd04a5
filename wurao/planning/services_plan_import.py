"""Importing a department's monthly plan from XLSX or CSV.

The file is read by the imports engine and its cells by the imports cell parsers, so a plan
file is judged like any other import: every bad row reported with its row number, column and
a Chinese reason that says what would be right. Each row is then put to the plan's rules
(selectors_checks.plan_entry_check, the checks of services.plan_entry_add and of the page)
without writing anything, and the file's rows against each other. The plan is all or
nothing: only when confirmed and every row is valid are the rows written, through
plan_entry_add, in one transaction; otherwise nothing is stored, nor ever was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from wurao.accounts.policy import require
from wurao.accounts.scope import Scope
from wurao.audit.services import audit_record
from wurao.catalogue import selectors as catalogue_selectors
from wurao.imports.cells import (
    Invalid,
    Lookups,
    as_text,
    choice,
    choices_of,
    long_text,
    split_list,
)
from wurao.imports.cells import date as date_cell
from wurao.imports.cells import enterprise as enterprise_cell
from wurao.imports.engine import encoding_label, read_table, template_csv, template_xlsx
from wurao.imports.services import RowError, import_limits, lookups_load, sha256_of
from wurao.imports.specs import Column, Spec, describe, template_rows
from wurao.planning import selectors, services
from wurao.planning.choices import PlanOrigin
from wurao.planning.selectors_checks import plan_entry_check
from wurao.registry import selectors as registry_selectors
from wurao.registry.workdays import month_start
from wurao.sampling import selectors as sampling_selectors

SHOWN_ERRORS = 500


class PlanRowError(StrEnum):
    """Codes of a plan row's errors, beside the imports' own (RowErrorCode)."""

    UNKNOWN_ITEM = "unknown_item"
    UNKNOWN_CAMPAIGN = "unknown_campaign"
    UNKNOWN_DRAW_TASK = "unknown_draw_task"
    BAD_HOURS = "bad_hours"
    SAME_ENTERPRISE_IN_FILE = "same_enterprise_in_file"
    # The plan's own rules (services.plan_entry_add), by the field they are about.
    PLAN_RULE = "plan_rule"


# Which column a refusal of services.plan_entry_add is about, by the field it names.
SERVICE_COLUMNS = {
    "enterprise": "统一社会信用代码",
    "items": "检查事项编码",
    "earliest": "最早日期",
    "latest": "最晚日期",
    "hours": "预计工时",
    "origin": "来源",
    "campaign": "专项批准文号",
    "draw_task": "双随机任务编号",
    "late_reason": "补报理由",
}


def _items_parser(department) -> Any:
    own = {
        i.code.casefold(): i
        for i in catalogue_selectors.item_list(filters={"department": department.pk})
    }

    def parse(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> list | Invalid:
        codes = split_list(cell)
        unknown = [c for c in codes if c.casefold() not in own]
        if unknown:
            return Invalid(
                PlanRowError.UNKNOWN_ITEM,
                f"检查事项编码 {'、'.join(unknown)} 不在“{department.name}”公布的有效检查事项清单内"
                "（清单之外无事项）；多个编码用“、”或“;”分隔",
            )
        return [own[c.casefold()] for c in codes]

    return parse


def _campaign_parser(department) -> Any:
    campaigns = {}
    for c in selectors.campaign_list_for(scope=Scope(department_id=department.pk)).order_by(
        "starts_on"
    ):
        campaigns["".join(c.document_no.split())] = c  # the latest of a repeated number wins

    def parse(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> Any:
        number = "".join(as_text(cell).split())
        found = campaigns.get(number)
        if found is None:
            return Invalid(
                PlanRowError.UNKNOWN_CAMPAIGN,
                f"本部门没有批准文号为“{number}”的专项检查：请先在“专项检查”页登记其批准记录并公布",
            )
        return found

    return parse


def _draw_task_parser(department) -> Any:
    tasks = {
        t.code.casefold(): t
        for t in sampling_selectors.draw_task_list(scope=Scope(department_id=department.pk))
    }

    def parse(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> Any:
        code = as_text(cell)
        found = tasks.get(code.casefold())
        if found is None:
            return Invalid(
                PlanRowError.UNKNOWN_DRAW_TASK,
                f"本部门牵头或参加的双随机抽查任务中没有编号“{code}”",
            )
        return found

    return parse


def _hours(cell: Any, lookups: Lookups, row: Mapping[str, Any]) -> Decimal | Invalid:
    text = as_text(cell).removesuffix("小时").removesuffix("h").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        return Invalid(
            PlanRowError.BAD_HOURS, f"“{{column}}”应为数字（小时），如 2 或 1.5，实为“{text}”"
        )
    if value != value.quantize(Decimal("0.1")):
        return Invalid(PlanRowError.BAD_HOURS, f"“{{column}}”最多保留一位小数，实为“{text}”")
    return value


ORIGINS = choices_of(
    PlanOrigin, 日常="routine", 专项="campaign", 双随机="random_task", 复查="follow_up"
)


def plan_spec(department) -> Spec:
    """The plan template's columns; the item, campaign and draw-task columns are read against
    the department's own catalogue, campaigns and draw tasks."""
    items = catalogue_selectors.item_list(filters={"department": department.pk}).order_by("code")
    example_items = "、".join(items.values_list("code", flat=True)[:2]) or "YJ-001"
    return Spec(
        target="plans",
        label=_("检查计划"),
        key_column="credit_code",
        enterprise_column="credit_code",
        columns=(
            Column("统一社会信用代码", "credit_code", ("enterprise_id",), enterprise_cell, required=True,
                   aliases=("uscc", "信用代码"), example="91440300708461136T",
                   accepts=_("企业库中已有企业的 18 位代码（GB 32100 校验）；同一企业一月只列一行")),
            Column("检查事项编码", "items", ("items",), _items_parser(department), required=True,
                   aliases=("事项编码", "item_codes"), example=example_items,
                   accepts=_("本部门检查事项清单中的编码，多个用“、”或“;”分隔")),
            Column("最早日期", "earliest", ("earliest",), date_cell, required=True,
                   example="", accepts=_("YYYY-MM-DD、YYYY/M/D、YYYY年M月D日 或 Excel 日期；须在计划月份内")),
            Column("最晚日期", "latest", ("latest",), date_cell, required=True,
                   example="", accepts=_("同上；不早于最早日期，窗口内须有工作日")),
            Column("预计工时", "hours", ("hours",), _hours, default=Decimal(2),
                   aliases=("工时",), example="2", accepts=_("0.5 到 8 小时，最多一位小数；留空为 2")),
            Column("来源", "origin", ("origin",),
                   choice(ORIGINS, "日常检查、专项检查、双随机任务、整改复查"),
                   default=PlanOrigin.ROUTINE.value, example="日常检查",
                   accepts=_("日常检查 / 专项检查 / 双随机任务 / 整改复查；留空为日常检查")),
            Column("专项批准文号", "campaign", ("campaign",), _campaign_parser(department),
                   aliases=("批准文号",), example="",
                   accepts=_("来源为专项检查时必填：本部门已登记并公布的专项的批准文号")),
            Column("双随机任务编号", "draw_task", ("draw_task",), _draw_task_parser(department),
                   aliases=("抽查任务编号",), example="",
                   accepts=_("来源为双随机任务时必填：本部门牵头或参加的抽查任务编号")),
            Column("补报理由", "late_reason", ("late_reason",), long_text, default="",
                   example="", accepts=_("计划已锁定（过了报送截止日）时必填")),
        ),
    )  # fmt: skip


def plan_template(*, department, month: date, fmt: str) -> bytes:
    spec = plan_spec(department)
    header, examples, required = template_rows(spec)
    first = month_start(month)
    row = examples[0]
    row[header.index("最早日期")] = first.replace(day=3).isoformat()
    row[header.index("最晚日期")] = first.replace(day=20).isoformat()
    if fmt == "csv":
        return template_csv(header, [row])
    return template_xlsx(header, [row], required=required)


def plan_columns(department) -> list[dict[str, Any]]:
    return list(describe(plan_spec(department)))


@dataclass
class PlanImportReport:
    department: str
    month: date
    filename: str = ""
    sha256: str = ""
    format: str = ""
    encoding: str = ""
    rows: int = 0
    bad_rows: set[int] = field(default_factory=set)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    created: int = 0
    committed: bool = False

    @property
    def valid(self) -> int:
        return self.rows - len(self.bad_rows)

    @property
    def invalid_rows(self) -> int:
        return len(self.bad_rows)

    def add(self, row: int, column: str, code: str, message: str) -> None:
        self.errors.append(RowError(row, column, str(code), message))
        self.bad_rows.add(row)

    def as_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "valid": self.valid,
            "errors": [e.as_json() for e in self.errors],
            "created": self.created,
            "committed": self.committed,
            "department": self.department,
            "month": self.month.isoformat(),
            "file": {"name": self.filename, "sha256": self.sha256, "format": self.format},
            "warnings": self.warnings,
        }


def plan_import_run(
    *, actor, department, month: date, source: bytes, filename: str = "", commit: bool = False
) -> PlanImportReport:
    """Check every row of a plan file against the plan's rules without writing anything and,
    if `commit` and every row is valid, add them all through plan_entry_add in one
    transaction. Raises ImportFileError when the file itself is unusable."""
    month = month_start(month)
    spec = plan_spec(department)
    data = bytes(source)
    table = read_table(data, headers=spec.headers, filename=filename, limits=import_limits())
    report = PlanImportReport(
        department=department.name,
        month=month,
        filename=filename,
        sha256=sha256_of(data),
        format=table.format,
        encoding=encoding_label(table.encoding) if table.encoding else "",
    )
    if table.unknown_headers:
        report.warnings.append(f"以下列不在模板中，已忽略：{'、'.join(table.unknown_headers)}")
    rows = list(table)
    report.rows = len(rows)
    lookups = lookups_load(credit_codes=(raw.get("credit_code") for _, raw in rows))
    parsed: list[tuple[int, dict[str, Any]]] = []
    for number, raw in rows:
        values, cell_errors = spec.parse_row(raw, lookups)
        for column, invalid in cell_errors:
            report.add(number, column, invalid.code, invalid.message)
        parsed.append((number, values))
    if parsed:  # a check the service makes first, so a dry run is refused like a write
        require(actor, "planning.plan", department)

    enterprises = registry_selectors.enterprise_list(scope=Scope(sees_all=True)).in_bulk(
        {values["enterprise_id"] for _, values in parsed if "enterprise_id" in values}
    )
    entries = _rows_check(
        report, parsed, department=department, month=month, enterprises=enterprises
    )
    report.created = len(entries)
    if commit and entries and not report.bad_rows:
        _rows_write(report, entries, actor=actor, department=department, month=month)
    report.errors.sort(key=lambda e: e.row)
    if report.bad_rows:
        report.created = 0  # all or nothing: a file with errors stores no row
    return report


def _entry_of(values: dict[str, Any], enterprise) -> dict[str, Any]:
    """The arguments of plan_entry_add (and plan_entry_check) for one parsed row."""
    return {
        "enterprise": enterprise,
        "items": values.get("items", []),
        "earliest": values.get("earliest"),
        "latest": values.get("latest"),
        "hours": values.get("hours", Decimal(2)),
        "origin": values.get("origin", PlanOrigin.ROUTINE),
        "campaign": values.get("campaign"),
        "draw_task": values.get("draw_task"),
        "late_reason": values.get("late_reason", ""),
    }


def _rows_check(
    report: PlanImportReport,
    parsed: list[tuple[int, dict[str, Any]]],
    *,
    department,
    month: date,
    enterprises: Mapping[int, Any],
) -> list[tuple[int, dict[str, Any]]]:
    """Put each row to the plan's rules as plan_entry_add would, had the rows before it been
    added; the rows that pass, with their arguments for plan_entry_add.

    Of plan_entry_add's checks only one reads what an earlier row of the run would have
    written: no second active entry on an enterprise in the month. The file's own rows are
    checked against each other here instead (the same enterprise twice), so plan_entry_check
    need only see what is already stored. The plan the first row would create is locked
    exactly when plan_locked already answers so for a month without a plan (the deadline)."""
    first_row_of: dict[int, int] = {}
    passed: list[tuple[int, dict[str, Any]]] = []
    for number, values in parsed:
        enterprise_id = values.get("enterprise_id")
        if enterprise_id in first_row_of:
            report.add(
                number,
                "统一社会信用代码",
                PlanRowError.SAME_ENTERPRISE_IN_FILE,
                f"与第 {first_row_of[enterprise_id]} 行是同一企业：同月对同一企业的检查请合并为一行"
                "（多个事项编码用“、”分隔）",
            )
            continue
        if enterprise_id is not None:
            first_row_of[enterprise_id] = number
        # A row with a bad cell is still put to the plan's rules, so that the report names
        # everything wrong with it at once.
        entry = _entry_of(values, enterprises.get(enterprise_id))
        errors = plan_entry_check(department=department, month=month, **entry)
        if errors:
            _refusal_report(report, number, {name: [m] for name, m in errors.items()})
        else:
            passed.append((number, entry))
    return passed


def _rows_write(
    report: PlanImportReport,
    entries: list[tuple[int, dict[str, Any]]],
    *,
    actor,
    department,
    month: date,
) -> None:
    """Add the checked rows and record the import, all in one transaction. The service checks
    each row again; should it now refuse one (the plan changed since the check), nothing is
    kept and the refusal is reported on its row."""
    refused = 0
    try:
        with transaction.atomic():
            for number, entry in entries:
                refused = number  # the row a refusal would be about
                written = services.plan_entry_add(
                    actor=actor, department=department, month=month, **entry
                )
            audit_record(
                actor=actor,
                verb="plan.import",
                obj=written.plan,
                payload={
                    "department": department.code,
                    "month": month.isoformat(),
                    "filename": report.filename,
                    "sha256": report.sha256,
                    "rows": report.rows,
                    "created": report.created,
                },
            )
    except ValidationError as error:
        _refusal_report(report, refused, error.message_dict)
        return
    report.committed = True


def _refusal_report(report: PlanImportReport, number: int, errors: Mapping[str, list]) -> None:
    """The plan's rules' refusals of a row, by the column of the field each names."""
    reported = {e.column for e in report.errors if e.row == number}
    for name, messages in errors.items():
        column = SERVICE_COLUMNS.get(name, "")
        if column in reported:  # the cell itself is wrong and already reported
            continue
        for message in messages:
            report.add(number, column, PlanRowError.PLAN_RULE, message)
