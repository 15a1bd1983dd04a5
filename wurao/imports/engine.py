"""Reading and writing import files: CSV and XLSX, recognised by content, not by name.

Pure: no Django import. The engine knows nothing about enterprises; it maps a
file's header row onto the columns it is given and yields each data row as the
user sees it in Excel (the header is row 1, the first data row row 2).

Excel in China saves CSV as GBK, so text is tried as UTF-8 (with or without a
BOM) and then as GB18030, the superset of GBK that every GBK file decodes as.

Files are read as streams within limits (Limits): the file's size, an XLSX's declared
uncompressed size and compression ratio (checked before parsing: a zip bomb is refused in
milliseconds) and the number of data rows (refused as soon as the limit is passed).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wurao.common.spreadsheet import csv_row, xlsx_append
from wurao.imports.errors import FileErrorCode

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls / WPS .et (OLE2 compound file)
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # Excel's "Unicode 文本" export is UTF-16 with a BOM
XLSX_SUFFIXES = (".xlsx", ".xlsm")
# Government templates often put a title or a note above the header row.
HEADER_SEARCH_ROWS = 5
ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8（带 BOM）",
    "gb18030": "GBK/GB18030",
    "utf-16": "UTF-16",
}


MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What a file may be. The defaults admit the whole district (433,407 market entities:
    85 MB as UTF-8 CSV, 390 MB of sheet XML in an XLSX written with inline strings); the
    platform reads them from settings (WURAO_IMPORT_*)."""

    max_bytes: int = 200 * MB
    max_expanded_bytes: int = 600 * MB
    max_ratio: int = 100  # a whole district's sheet compresses 13.5:1; zip bombs 1000:1
    max_rows: int = 500_000


class ImportFileError(Exception):
    """The file as a whole cannot be imported; nothing is written."""

    def __init__(self, code: str, message: str, *, row: int = 0, column: str = "") -> None:
        super().__init__(message)
        self.code = str(code)
        self.message = message
        self.row = row
        self.column = column


@dataclass(frozen=True)
class Header:
    """One column the reader looks for: a key and the header texts that name it."""

    key: str
    names: tuple[str, ...]  # the Chinese template name first, then English aliases
    required: bool = False

    @property
    def label(self) -> str:
        return self.names[0]


@dataclass
class Table:
    """An opened file whose header row has been mapped; iterate it for (row number, values)."""

    format: str  # "csv" or "xlsx"
    encoding: str  # CSV only; "" for XLSX
    sheet: str  # XLSX only
    header_row: int
    columns: dict[str, int]  # header key -> 0-based column index
    unknown_headers: list[str]
    total_hint: int | None  # data rows, for a progress bar; may over-count blank rows
    _rows: Iterator[tuple[int, Sequence[Any]]] = field(repr=False)

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(self.columns)

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        try:
            for number, cells in self._rows:
                yield (
                    number,
                    {
                        key: (cells[i] if i < len(cells) else None)
                        for key, i in self.columns.items()
                    },
                )
        except csv.Error as exc:  # e.g. an unclosed quote swallowing the rest of the file
            raise ImportFileError(FileErrorCode.UNDECODABLE, f"CSV 格式错误：{exc}") from None


def read_table(
    source: bytes | str | Path,
    *,
    headers: Sequence[Header],
    filename: str = "",
    limits: Limits | None = None,
) -> Table:
    """Open a CSV or XLSX file and map its header row. Raises ImportFileError saying what is
    wrong, or which limit the file passes (the default Limits unless given)."""
    limits = limits or Limits()
    if isinstance(source, str | Path):
        path = Path(source)
        filename = filename or path.name
        try:
            size_check(path.stat().st_size, limits)
            data = path.read_bytes()
        except OSError as exc:
            raise ImportFileError(
                FileErrorCode.UNREADABLE, f"无法读取文件 {path}：{exc.strerror or exc}"
            ) from None
    else:
        data = bytes(source)
    size_check(len(data), limits)
    if not data.strip():
        raise ImportFileError(
            FileErrorCode.EMPTY_FILE, "文件为空：没有表头，也没有数据。请使用导入模板填写后再上传。"
        )
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data, headers, limits)
    if data.startswith(OLE_MAGIC):
        raise ImportFileError(
            FileErrorCode.LEGACY_XLS,
            "这是旧版 Excel 97-2003（.xls）或 WPS 表格文件，暂不支持。请在 Excel/WPS 中“另存为”.xlsx 或 CSV 后再导入。",
        )
    if filename.lower().endswith(XLSX_SUFFIXES):
        raise ImportFileError(
            FileErrorCode.NOT_XLSX,
            f"文件“{filename}”的扩展名是 .xlsx，但内容不是 Excel 工作簿（可能是改了扩展名的文本文件）。"
            "请在 Excel 中打开并另存为 .xlsx，或将扩展名改为 .csv。",
        )
    return _read_csv(data, headers, limits)


def size_check(size: int, limits: Limits) -> None:
    """Refuse a file larger than the limit before reading it."""
    if size > limits.max_bytes:
        raise ImportFileError(
            FileErrorCode.FILE_TOO_LARGE,
            f"文件过大（{size / MB:.0f} MB，上限 {limits.max_bytes // MB} MB），请拆分后再导入。",
        )


def zip_check(data: bytes, limits: Limits) -> None:
    """Refuse a zip bomb from the archive's directory, before anything is decompressed.

    zipfile stops reading a member at its declared size (and then fails its checksum),
    so the declared sizes bound what parsing the workbook could expand to."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a readable zip: openpyxl reports it as not a workbook
    expanded = sum(member.file_size for member in members)
    if expanded > limits.max_expanded_bytes:
        raise ImportFileError(
            FileErrorCode.EXPANDS_TOO_MUCH,
            f"文件解压后超过 {limits.max_expanded_bytes // MB} MB（上限；本文件解压后为 "
            f"{expanded / MB:,.0f} MB），请拆分后再导入。",
        )
    for member in members:
        # Tiny members (styles, themes) may compress far better than data and harm no one.
        if member.file_size > MB and member.file_size > limits.max_ratio * max(
            member.compress_size, 1
        ):
            raise ImportFileError(
                FileErrorCode.COMPRESSION_RATIO,
                f"文件中的 {member.filename} 解压后是压缩时的 "
                f"{member.file_size // max(member.compress_size, 1):,} 倍（上限 {limits.max_ratio} 倍），"
                "不像 Excel 保存的工作簿（可能是“压缩炸弹”），未导入。请在 Excel 中重新另存为 .xlsx 后再导入。",
            )


def decode_text(data: bytes) -> tuple[str, str]:
    """Return (text, encoding) for CSV bytes: UTF-16 by its BOM, else UTF-8 (BOM or not), else GB18030."""
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if encoding == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf"):
                encoding = "utf-8"
            return text, encoding
    raise ImportFileError(
        FileErrorCode.UNDECODABLE,
        "无法识别文件内容：既不是 Excel 工作簿（.xlsx），也不是 UTF-8 或 GBK 编码的 CSV 文本。请使用导入模板另存为 .xlsx 或 CSV。",
    )


def _text_encoding(data: bytes) -> str:
    """decode_text's choice of encoding, found without keeping a decoded copy of the file."""
    if data.startswith(UTF16_BOMS) or b"\x00" in data:
        return decode_text(data)[1]  # UTF-16 (or undecodable): rare, and small
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(data), MB):
                decoder.decode(data[start : start + MB])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf"):
            encoding = "utf-8"
        return encoding
    return decode_text(data)[1]  # raises UNDECODABLE


def _read_csv(data: bytes, headers: Sequence[Header], limits: Limits) -> Table:
    encoding = _text_encoding(data)
    # Decoded as it is read: the rows stream, and no second copy of the file is held.
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    first_line = stream.readline().lstrip("\ufeff")
    stream.seek(0)
    # Excel writes commas; its "文本文件（制表符分隔）" and UTF-16 exports use tabs.
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(_without_bom(stream), delimiter=delimiter)
    try:
        rows = enumerate(reader, start=1)
        table = _map_header(rows, headers, fmt="csv", encoding=encoding, sheet="", limits=limits)
    except csv.Error as exc:
        raise ImportFileError(FileErrorCode.UNDECODABLE, f"CSV 格式错误：{exc}") from None
    newline = b"\n"
    if encoding == "utf-16":
        newline = "\n".encode("utf-16-be" if data.startswith(b"\xfe\xff") else "utf-16-le")
    table.total_hint = max(data.count(newline) - table.header_row + 1, 0)
    return table


def _without_bom(lines: Iterable[str]) -> Iterator[str]:
    lines = iter(lines)
    first = next(lines, None)
    if first is not None:
        yield first.lstrip("\ufeff")
    yield from lines


def _read_xlsx(data: bytes, headers: Sequence[Header], limits: Limits) -> Table:
    from openpyxl import load_workbook

    zip_check(data, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (
        Exception
    ):  # a zip that is not a workbook (.docx, .zip, a broken file) fails in many ways
        raise ImportFileError(
            FileErrorCode.NOT_XLSX,
            "文件不是有效的 Excel 工作簿（.xlsx）：可能已损坏，或是其他压缩文件。请在 Excel 中重新另存为 .xlsx。",
        ) from None
    if not workbook.worksheets:
        raise ImportFileError(FileErrorCode.NO_DATA_ROWS, "Excel 工作簿中没有工作表。")
    # Templates may carry a "填表说明" sheet: use the first sheet whose header we recognise.
    chosen = workbook.worksheets[0]
    for sheet in workbook.worksheets:
        top = sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True)
        if any(_recognised(cells, headers) for cells in top):
            chosen = sheet
            break
    rows = enumerate(chosen.iter_rows(min_row=1, values_only=True), start=1)
    table = _map_header(rows, headers, fmt="xlsx", encoding="", sheet=chosen.title, limits=limits)
    max_row = chosen.max_row
    table.total_hint = (max_row - table.header_row) if max_row else None
    return table


def header_key(text: Any) -> str:
    """Normalise a header cell: no BOM, spaces, required-markers (*, （必填）) or case."""
    value = str(text or "").replace("\ufeff", "")
    value = re.sub(
        r"[（(]\s*(必填|选填|可选|非必填|required|optional)\s*[)）]\s*$",
        "",
        value.strip(),
        flags=re.I,
    )
    return re.sub(r"[\s\-_*＊]+", "", value).casefold()


def _header_index(headers: Sequence[Header]) -> dict[str, str]:
    return {header_key(name): header.key for header in headers for name in header.names}


def _recognised(cells: Sequence[Any], headers: Sequence[Header]) -> int:
    index = _header_index(headers)
    return sum(1 for cell in cells if header_key(cell) in index)


def _is_blank(cells: Iterable[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, as Excel names columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _map_header(
    rows: Iterator[tuple[int, Sequence[Any]]],
    headers: Sequence[Header],
    *,
    fmt: str,
    encoding: str,
    sheet: str,
    limits: Limits,
) -> Table:
    top: list[tuple[int, Sequence[Any]]] = []
    for number, cells in rows:
        if _is_blank(cells):
            if top:
                top.append((number, cells))
            continue
        top.append((number, cells))
        if len(top) >= HEADER_SEARCH_ROWS:
            break
    if not top:
        raise ImportFileError(
            FileErrorCode.EMPTY_FILE, "文件为空：没有表头，也没有数据。请使用导入模板填写后再上传。"
        )
    # The header is the first of the top rows naming at least two known columns (or the first row).
    position = next((i for i, (_, cells) in enumerate(top) if _recognised(cells, headers) >= 2), 0)
    header_row, header_cells = top[position]
    index = _header_index(headers)
    columns: dict[str, int] = {}
    unknown: list[str] = []
    for i, cell in enumerate(header_cells):
        key = index.get(header_key(cell))
        if key is None:
            if str(cell or "").strip():
                unknown.append(str(cell).strip())
            continue
        if key in columns:
            label = next(h.label for h in headers if h.key == key)
            raise ImportFileError(
                FileErrorCode.DUPLICATE_COLUMN,
                f"“{label}”列出现了两次（第 {column_letter(columns[key])} 列和第 {column_letter(i)} 列），请删除其中一列。",
                row=header_row,
                column=label,
            )
        columns[key] = i
    missing = [h.label for h in headers if h.required and h.key not in columns]
    if missing:
        raise ImportFileError(
            FileErrorCode.MISSING_COLUMNS,
            f"缺少必填列：{'、'.join(missing)}。请使用导入模板的表头（第 {header_row} 行被当作表头）。",
            row=header_row,
            column="、".join(missing),
        )
    rest = itertools.chain(top[position + 1 :], rows)
    data_rows = _counted(
        ((number, cells) for number, cells in rest if not _is_blank(cells)), limits.max_rows
    )
    first = next(data_rows, None)
    if first is None:
        raise ImportFileError(
            FileErrorCode.NO_DATA_ROWS,
            f"文件只有表头（第 {header_row} 行），没有数据行。",
            row=header_row,
        )
    return Table(
        format=fmt,
        encoding=encoding,
        sheet=sheet,
        header_row=header_row,
        columns=columns,
        unknown_headers=unknown,
        total_hint=None,
        _rows=itertools.chain([first], data_rows),
    )


def _counted(
    rows: Iterator[tuple[int, Sequence[Any]]], limit: int
) -> Iterator[tuple[int, Sequence[Any]]]:
    """The data rows, refusing the file at the first row past the limit (not after reading
    the rest of a file of twenty million rows)."""
    for count, (number, cells) in enumerate(rows, start=1):
        if count > limit:
            raise ImportFileError(
                FileErrorCode.TOO_MANY_ROWS,
                f"数据行超过 {limit:,} 行（上限），读到第 {number:,} 行时已停止读取。请拆分为多个文件分批导入。",
                row=number,
            )
        yield number, cells


def template_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """A CSV template in UTF-8 with a BOM, so that Excel opens the Chinese headers correctly;
    no cell is a formula (csv_row)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(csv_row(header))
    writer.writerows(csv_row(row) for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(
    header: Sequence[str], rows: Sequence[Sequence[Any]], *, required: Sequence[bool] = ()
) -> bytes:
    """An XLSX template: bold header (required columns in red), every column formatted as text
    so that Excel keeps credit codes' and badge numbers' digits; no cell is a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "导入数据"
    xlsx_append(sheet, header)
    for row in rows:
        xlsx_append(sheet, [str(v) if v is not None else None for v in row])
    for i, title in enumerate(header):
        is_required = bool(required[i]) if i < len(required) else False
        sheet.cell(row=1, column=i + 1).font = Font(
            bold=True, color="C00000" if is_required else None
        )
        letter = get_column_letter(i + 1)
        sheet.column_dimensions[letter].width = max(10, len(str(title)) * 2 + 4)
        sheet.column_dimensions[letter].number_format = "@"
        for cell in sheet[letter][1:]:
            cell.number_format = "@"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def encoding_label(encoding: str) -> str:
    return ENCODING_LABELS.get(encoding, encoding)
