import getpass

from django.core.management.base import BaseCommand
from django.db import OperationalError
from django.utils import timezone

from wurao.imports.services_jobs import MAX_ATTEMPTS, import_jobs_reap, import_jobs_silent


class Command(BaseCommand):
    help = (
        "找出处理进程已停止的后台任务（心跳超过 WURAO_JOBS_STALE_SECONDS 秒未更新）："
        "第一次中断的重新排队，再次中断的标记为失败并说明原因；每分钟也会自动执行。"
        " / Requeue (once) or fail jobs whose worker stopped beating."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-seconds",
            type=int,
            metavar="N",
            help="心跳超过 N 秒未更新即视为中断（默认取设置 WURAO_JOBS_STALE_SECONDS）",
        )
        parser.add_argument("--dry-run", action="store_true", help="只列出中断的任务，不做处理")

    def handle(self, *args, stale_seconds: int | None, dry_run: bool, **options):
        if dry_run:
            silent = list(import_jobs_silent(stale_seconds=stale_seconds))
            for job in silent:
                action = "重新排队" if job.attempts < MAX_ATTEMPTS else "标记失败"
                self.stdout.write(f"{self._describe(job)}：将{action}")
            self.stdout.write(f"共 {len(silent)} 个中断的任务（试运行，未做处理）。")
            return
        try:
            outcomes = import_jobs_reap(
                actor=f"cli:{getpass.getuser()}", stale_seconds=stale_seconds
            )
        except OperationalError as error:  # SQLite: a long write holds the database
            self.stderr.write(f"数据库正忙（{error}），请稍后重试。")
            raise SystemExit(1) from None
        for job, outcome in outcomes:
            action = "已重新排队" if outcome == "requeued" else "已标记失败"
            self.stdout.write(f"{self._describe(job)}：{action}")
        self.stdout.write(f"共处理 {len(outcomes)} 个中断的任务。")

    def _describe(self, job) -> str:
        last = job.heartbeat_at or job.started_at
        when = timezone.localtime(last).strftime("%Y-%m-%d %H:%M:%S") if last else "—"
        return (
            f"任务 #{job.pk}（{job.get_kind_display()}{job.filename}，第 {job.attempts} 次，"
            f"处理进程 {job.worker or '—'}，最近心跳 {when}）"
        )
