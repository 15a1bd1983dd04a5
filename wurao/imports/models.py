"""An import too large to check or write inside the web request runs as a job (tasks.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One background check or commit of an upload, kept under MEDIA_ROOT/imports/<sha256>.

    A running job beats (heartbeat_at) while it reads; the reaper (services_jobs) finds
    jobs whose worker stopped beating and queues them again or fails them."""

    class Kind(models.TextChoices):
        CHECK = "check", _("检查")
        COMMIT = "commit", _("导入")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField("任务", max_length=8, choices=Kind.choices, default=Kind.COMMIT)
    target = models.CharField("导入内容", max_length=32)
    filename = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("文件 SHA-256", max_length=64)
    rows = models.PositiveIntegerField("数据行", default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    report = models.JSONField("导入报告", null=True, blank=True)
    error = models.TextField("错误信息", blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("已开始次数", default=0)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    worker = models.CharField("处理进程", max_length=100, blank=True)
    processed = models.PositiveIntegerField("已处理行", default=0)

    class Meta:
        verbose_name = "后台导入任务"
        verbose_name_plural = "后台导入任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
