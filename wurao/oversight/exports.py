"""XLSX downloads of the dashboard's tables: the same rows the page shows, one sheet each,
written through wurao/common/spreadsheet.py (text never becomes a formula)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from wurao.common.spreadsheet import xlsx_append

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_LIMIT = 100_000  # rows of one download (the records, the alerts)


def xlsx_bytes(headers: Sequence[Any], rows: Iterable[Sequence[Any]], *, title: str = "") -> bytes:
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = (title or "数据")[:31]
    xlsx_append(sheet, [str(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        xlsx_append(sheet, [str(v) if _is_lazy(v) else v for v in row])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _is_lazy(value: Any) -> bool:
    # gettext_lazy proxies (choice labels) are not str to openpyxl.
    return type(value).__name__ == "__proxy__"


def xlsx_response(
    filename: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """A download of one table: `filename` without extension (Chinese is fine, RFC 5987)."""
    name = f"{filename}.xlsx"
    response = HttpResponse(xlsx_bytes(headers, rows, title=filename), content_type=XLSX)
    ascii_name = "".join(c if c.isascii() and c.isalnum() or c in "-_." else "_" for c in name)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    return response
