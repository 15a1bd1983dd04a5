"""自查自纠: an enterprise's self-inspection against the catalogue items that apply to it, one
entry per item, and the street's park campaigns that invite a park's enterprises to run one.

The problems an enterprise records are its own findings, not enforcement findings: they are
never penalties and never a credit record. Only the completion counts in grading."""

from django.conf import settings
from django.db import models

from wurao.selfcheck.choices import EntryResult, InspectionStatus


class ParkCampaign(models.Model):
    """A street's invitation to the enterprises of one of its parks to self-inspect."""

    park = models.ForeignKey(
        "registry.Park", verbose_name="园区", on_delete=models.PROTECT, related_name="+"
    )
    street = models.ForeignKey(
        "registry.Street", verbose_name="街道", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("名称", max_length=200)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("截止日期")
    invited = models.ManyToManyField(
        "registry.Enterprise", verbose_name="受邀企业", related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "园区自查活动"
        verbose_name_plural = "园区自查活动"
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class SelfInspection(models.Model):
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="self_inspections",
    )
    campaign = models.ForeignKey(
        ParkCampaign,
        verbose_name="园区自查活动",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
    )
    title = models.CharField("名称", max_length=200)
    status = models.CharField(
        "状态",
        max_length=12,
        choices=InspectionStatus.choices,
        default=InspectionStatus.IN_PROGRESS,
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_on = models.DateField("开始日期")
    completed_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "企业自查"
        verbose_name_plural = "企业自查"
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["status", "completed_on"])]

    def __str__(self) -> str:
        return self.title


class SelfInspectionEntry(models.Model):
    """One catalogue item of a self-inspection and what the enterprise found."""

    inspection = models.ForeignKey(
        SelfInspection, verbose_name="自查", on_delete=models.CASCADE, related_name="entries"
    )
    item = models.ForeignKey(
        "catalogue.InspectionItem",
        verbose_name="检查事项",
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The item's department, kept here: a department sees the entries of its own items.
    department = models.ForeignKey(
        "registry.Department", verbose_name="部门", on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField("序号")
    result = models.CharField("结果", max_length=16, choices=EntryResult.choices, blank=True)
    note = models.TextField("说明", blank=True)
    fix_action = models.TextField("整改措施", blank=True)
    fixed_on = models.DateField("整改日期", null=True, blank=True)
    answered_at = models.DateTimeField("填写时间", null=True, blank=True)

    class Meta:
        verbose_name = "自查条目"
        verbose_name_plural = "自查条目"
        ordering = ["inspection_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "item"], name="selfcheck_entry_unique_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}#{self.position}"

    @property
    def open_problem(self) -> bool:
        return self.result == EntryResult.PROBLEM and not self.fixed_on


class EntryPhoto(models.Model):
    entry = models.ForeignKey(
        SelfInspectionEntry, verbose_name="条目", on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField("照片", upload_to="selfcheck/photos/%Y/%m/")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "自查照片"
        verbose_name_plural = "自查照片"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.entry_id}:{self.pk}"
