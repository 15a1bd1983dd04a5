"""wurao standards_import FILE... --department CODE --kind KIND --title ... --effective-from DATE

Imports laws, regulations and standards from .txt, .docx or .pdf files, one version per file,
with a report per file. A dry run unless --commit (nothing is stored, the report says what
would be). Each file is imported alone: a bad one stores nothing and harms nothing stored."""

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wurao.registry.models import Department
from wurao.standards.choices import DocumentKind
from wurao.standards.services import ImportRequest, files_import


class Command(BaseCommand):
    help = "导入执法标准与政策（.txt/.docx/.pdf，可多个文件）；不加 --commit 只检查（试运行）。"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="文件路径")
        parser.add_argument("--department", default="", help="执法部门代码（不填：通用法律）")
        parser.add_argument("--kind", required=True, choices=DocumentKind.values)
        parser.add_argument("--title", default="", help="名称（仅单个文件；多个文件取各自第一行）")
        parser.add_argument("--designation", default="", help="文号或标准号（仅单个文件）")
        parser.add_argument("--issuer", default="")
        parser.add_argument("--label", default="", help="版本说明，如“2021年修订”")
        parser.add_argument("--topics", default="", help="主题，以逗号分隔")
        parser.add_argument("--effective-from", required=True, help="施行日期 YYYY-MM-DD")
        parser.add_argument("--commit", action="store_true", help="真正写入（默认只试运行）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出报告")

    def handle(self, *args, **opts):
        try:
            effective_from = datetime.date.fromisoformat(opts["effective_from"])
        except ValueError:
            raise CommandError("--effective-from 应为 YYYY-MM-DD，如 2021-09-01") from None
        department = None
        if opts["department"]:
            department = Department.objects.filter(code=opts["department"]).first()
            if department is None:
                raise CommandError(f"没有代码为 {opts['department']} 的部门")
        missing = [name for name in opts["files"] if not Path(name).is_file()]
        if missing:
            raise CommandError("找不到文件：" + "、".join(missing))
        files = [(Path(name).name, Path(name).read_bytes()) for name in opts["files"]]
        topics = [t.strip() for t in opts["topics"].replace("，", ",").split(",") if t.strip()]
        reports = files_import(
            actor="standards_import",
            files=files,
            request=ImportRequest(
                kind=opts["kind"],
                effective_from=effective_from,
                department=department,
                title=opts["title"],
                designation=opts["designation"],
                issuer=opts["issuer"],
                label=opts["label"],
                topics=topics,
            ),
            commit=opts["commit"],
        )
        if opts["json"]:
            self.stdout.write(json.dumps([r.__dict__ for r in reports], ensure_ascii=False))
        else:
            for r in reports:
                state = "OK" if r.ok else "FAILED"
                self.stdout.write(f"{state} {r.name}: 《{r.title}》 {r.articles} articles")
                for problem in r.problems:
                    self.stdout.write(f"    {problem}")
            mode = "committed" if opts["commit"] else "dry run: nothing stored (add --commit)"
            self.stdout.write(mode)
        if not all(r.ok for r in reports):
            raise CommandError("有文件未能导入，见上方报告")
