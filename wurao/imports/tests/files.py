"""Build import files in memory, as Excel and WPS would save them."""

import csv
import io
import struct
import zipfile
import zlib

import openpyxl

ENTERPRISE_HEADER = [
    "统一社会信用代码",
    "名称",
    "类型",
    "街道",
    "社区",
    "风险标签",
    "成立日期",
    "规上",
]


def csv_bytes(rows, *, encoding="utf-8"):
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bomb(header, row, *, expanded_mb):
    """A real workbook whose sheet repeats `row` until its XML is `expanded_mb` MB, in a few
    MB on disk (1 GB in 4 MB, as the zip bomb of the finding): every member decompresses to
    exactly what the archive declares. Built as bombs are, fast: one block of rows is
    deflated once and its bytes repeated (a full flush makes each copy stand alone)."""
    template = zipfile.ZipFile(io.BytesIO(xlsx_bytes([header])))
    members = []
    for member in template.infolist():
        data = template.read(member)
        if member.filename == "xl/worksheets/sheet1.xml":
            members.append((member.filename, *_sheet_bomb(header, row, expanded_mb)))
        else:
            deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
            members.append(
                (
                    member.filename,
                    deflate.compress(data) + deflate.flush(),
                    zlib.crc32(data),
                    len(data),
                )
            )
    return _zip(members)


def _cells(values):
    return "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in values)


def _sheet_bomb(header, row, expanded_mb):
    head = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData><row>{_cells(header)}</row>"
    ).encode()
    line = f"<row>{_cells(row)}</row>".encode()
    block = line * (1024 * 1024 // len(line))
    tail = b"</sheetData></worksheet>"
    copies = expanded_mb * 1024 * 1024 // len(block) + 1
    pieces = []
    for data, mode in (
        (head, zlib.Z_FULL_FLUSH),
        (block, zlib.Z_FULL_FLUSH),
        (tail, zlib.Z_FINISH),
    ):
        deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
        pieces.append(deflate.compress(data) + deflate.flush(mode))
    crc = zlib.crc32(head)
    for _ in range(copies):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    compressed = pieces[0] + pieces[1] * copies + pieces[2]
    return compressed, crc, len(head) + len(block) * copies + len(tail)


def _zip(members):
    """A zip archive of (name, deflated bytes, crc32, size) members."""
    out = io.BytesIO()
    directory = []
    for name, data, crc, size in members:
        encoded = name.encode()
        offset = out.tell()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0
            )
        )
        out.write(encoded + data)
        directory.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    out.write(b"".join(directory))
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), out.tell() - start, start, 0
        )
    )
    return out.getvalue()
