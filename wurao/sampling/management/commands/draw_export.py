"""`wurao draw_export TASK --out PATH`: write a task's published bundle (spec wurao-draw-v1 §7)."""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wurao.sampling.choices import TaskStatus
from wurao.sampling.models import DrawTask
from wurao.sampling.services import draw_task_bundle


def task_find(reference: str) -> DrawTask:
    """A task by its code (CC-2026-YJGL-0001) or, failing that, by its numeric id."""
    task = DrawTask.objects.filter(code=reference.strip()).first()
    if task is None and reference.strip().isdigit():
        task = DrawTask.objects.filter(pk=int(reference)).first()
    if task is None:
        raise CommandError(
            f"找不到任务“{reference}”：请给出任务编号（如 CC-2026-YJGL-0001）或数字 id"
        )
    return task


class Command(BaseCommand):
    help = (
        "导出双随机抽查任务的公示结果包（JSON，UTF-8）；草稿尚未承诺，不能导出。"
        " / Write a draw task's published bundle as UTF-8 JSON; drafts are refused."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("task", help="任务编号（如 CC-2026-YJGL-0001）或 id")
        parser.add_argument("--out", required=True, help="输出文件路径；“-” 表示标准输出")

    def handle(self, *args: Any, task: str, out: str, **options: Any) -> None:
        found = task_find(task)
        if found.status == TaskStatus.DRAFT:
            raise CommandError(
                f"任务 {found.code} 仍是草稿，尚未承诺：候选快照、配额和承诺值都还没有确定，"
                "没有可公示的结果包。请先承诺（commit）再导出。"
            )
        try:
            bundle = draw_task_bundle(task=found)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        text = json.dumps(bundle, ensure_ascii=False, indent=2) + "\n"
        if out == "-":
            self.stdout.write(text, ending="")
            return
        path = Path(out)
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"无法写入 {path}：{error.strerror}") from None
        drawn = "server_seed" in bundle
        note = (
            "可用 wurao draw_verify 核验"
            if drawn
            else "尚未抽取：只含承诺值、候选快照和配额，抽取后再导出即可核验"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"已导出任务 {found.code}（{found.get_status_display()}）的结果包到 {path}，"
                f"候选 {len(bundle['candidates']):,} 家；{note}。"
            )
        )
