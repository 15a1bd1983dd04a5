"""Cells of the spreadsheets the platform writes (XLSX and CSV), safe from formula injection.

Text from users (an enterprise's name, an officer's finding) that starts with `=`, `+`, `-`,
`@`, a tab or a carriage return is taken by Excel and WPS as a formula: `=HYPERLINK(...)` in
an enterprise's name would become a live link in the consolidated form (OWASP, "CSV
Injection"). Every export writes its cells through here:

- XLSX: every text cell is stored as a string (never a formula), and text that looks like a
  formula also gets the quote prefix, so the spreadsheet shows it and editing keeps it text;
- CSV: there is no cell type, so such text gets a leading apostrophe, as OWASP recommends.

Numbers stay numbers, negative ones too; so does text that is only a number ("-12.5"), which
no spreadsheet runs. No Django here: the import engine's templates use it too.
"""

import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def formula_like(value: Any) -> bool:
    """Text a spreadsheet would read as a formula (or the start of one)."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not PLAIN_NUMBER.fullmatch(value)
    )


def csv_cell(value: Any) -> Any:
    """The value as a CSV cell: formula-like text behind an apostrophe, the rest unchanged."""
    return f"'{value}" if formula_like(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]


def xlsx_text(cell) -> None:
    """Keep an openpyxl cell's text as text: openpyxl makes a formula of any text that starts
    with "=", and Excel evaluates one typed after "+", "-" or "@"."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if formula_like(cell.value):
            cell.quotePrefix = True


def xlsx_write(cell, value: Any) -> None:
    """Set an openpyxl cell's value, text kept as text."""
    cell.value = value
    xlsx_text(cell)


def xlsx_append(sheet, values: Iterable[Any]) -> None:
    """`sheet.append(values)`, text kept as text."""
    values = list(values)
    sheet.append(values)
    row = sheet.max_row  # append made a cell of every value, None too: its row is the last
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            xlsx_text(sheet.cell(row=row, column=column))
