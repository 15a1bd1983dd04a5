"""Build import files in memory, as Excel and WPS would save them."""

import csv
import io

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
