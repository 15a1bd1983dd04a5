"""What the three import commands share: arguments, progress bar, error table, JSON report."""

from __future__ import annotations

import getpass
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from wurao.imports.services import ImportFileError, ImportReport, import_run, sha256_of

PRINTED_ERRORS = 500  # the JSON report always has them all


def display_width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(width - display_width(text), 0)


class ImportCommand(BaseCommand):
    target = ""  # enterprises, inspectors or items

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="CSV（UTF-8 或 GBK）或 XLSX 文件")
        parser.add_argument(
            "--commit", action="store_true", help="写入数据库；不加则只检查（试运行）"
        )
        parser.add_argument("--report", metavar="PATH.json", help="把检查报告写成 JSON 文件")

    def handle(
        self, *args: Any, path: str, commit: bool, report: str | None, **options: Any
    ) -> None:
        source = Path(path)
        actor = f"cli:{getpass.getuser()}"
        with tqdm(desc="检查", unit="行", disable=None, file=sys.stderr, leave=False) as bar:

            def progress(done: int, total: int | None) -> None:
                if total is not None and bar.total is None:
                    bar.total = total
                bar.update(done)

            try:
                result = import_run(
                    actor=actor, target=self.target, source=source, commit=commit, progress=progress
                )
            except ImportFileError as error:
                if report:
                    sha256 = sha256_of(source.read_bytes()) if source.is_file() else ""
                    rejected = ImportReport.rejected(
                        target=self.target, filename=source.name, sha256=sha256, error=error
                    )
                    self._write_report(report, rejected)
                raise CommandError(f"文件未导入：{error.message}") from None
        self._print(result)
        if report:
            self._write_report(report, result)

    def _write_report(self, path: str, report: ImportReport) -> None:
        Path(path).write_text(
            json.dumps(report.as_json(), ensure_ascii=False, indent=2), encoding="utf-8"
        )

    def _print(self, report: ImportReport) -> None:
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"注意：{warning}"))
        if report.errors:
            rows = [(str(e.row), e.column, e.message) for e in report.errors[:PRINTED_ERRORS]]
            widths = [max(display_width(r[i]) for r in [("行", "列", ""), *rows]) for i in range(2)]
            self.stdout.write(f"{pad('行', widths[0])}  {pad('列', widths[1])}  错误")
            self.stdout.write(f"{'-' * widths[0]}  {'-' * widths[1]}  {'-' * 20}")
            for row, column, message in rows:
                self.stdout.write(f"{pad(row, widths[0])}  {pad(column, widths[1])}  {message}")
            if len(report.errors) > PRINTED_ERRORS:
                more = len(report.errors) - PRINTED_ERRORS
                self.stdout.write(f"……另有 {more} 条错误未显示，请用 --report 导出完整报告。")
            self.stdout.write("")
        outcome = "" if report.committed else "导入后将"
        summary = (
            f"{report.label}：共 {report.rows} 行，有效 {report.valid} 行，有错 {report.invalid_rows} 行；"
            f"{outcome}新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}。"
        )
        if report.committed:
            self.stdout.write(self.style.SUCCESS(f"{summary}已导入有效行，有错的行未导入。"))
        else:
            self.stdout.write(
                self.style.WARNING(f"{summary}试运行，未写入数据库；确认无误后加 --commit 导入。")
            )
