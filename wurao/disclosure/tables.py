"""A published table and its three forms: the page, JSON and CSV, built from the same rows so
that they cannot disagree (every public table is machine-readable next to its page).

A table is its columns (a key for JSON, a label for people) and its rows (plain dicts). The CSV
goes through wurao.common.spreadsheet (formula-safe cells: a campaign's title or an item's name
is text typed by a department) and starts with a byte-order mark, so that Excel and WPS read
the Chinese as UTF-8.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wurao.common.spreadsheet import csv_row

FORMATS = ("json", "csv")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False


@dataclass
class Table:
    name: str  # the file name of its downloads, without extension
    title: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    # Said once for the whole table (the year, "as of today", the legal basis).
    meta: dict = field(default_factory=dict)

    def cells(self, row: dict) -> list[Any]:
        return [row.get(c.key) for c in self.columns]

    @property
    def body(self) -> list[list[Any]]:
        """The rows as lists of cells in column order (what the page shows)."""
        return [self.cells(r) for r in self.rows]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def table_json(table: Table) -> dict:
    return {
        "title": str(table.title),
        **{k: _plain(v) for k, v in table.meta.items()},
        "columns": [{"key": c.key, "label": str(c.label)} for c in table.columns],
        "rows": [{c.key: _plain(r.get(c.key)) for c in table.columns} for r in table.rows],
    }


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(csv_row(str(c.label) for c in table.columns))
    for row in table.rows:
        writer.writerow(csv_row(_plain(v) if v is not None else "" for v in table.cells(row)))
    return out.getvalue()


def wanted_format(request: HttpRequest) -> str | None:
    value = request.GET.get("format", "")
    return value if value in FORMATS else None


def table_response(
    request: HttpRequest, table: Table, template: str, context: dict | None = None
) -> HttpResponse:
    """The page, or with ?format=json / ?format=csv the same table as a download."""
    fmt = wanted_format(request)
    if fmt == "json":
        response = HttpResponse(
            json.dumps(table_json(table), ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
    elif fmt == "csv":
        response = HttpResponse("\ufeff" + table_csv(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{table.name}.csv"'
    else:
        return render(request, template, {"table": table, **(context or {})})
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response
