"""Credit and risk grading (信用分级分类): versioned points tables, grades, and the records
an enterprise can commit to, object to or repair."""

from django.conf import settings
from django.db import models

from wurao.credit.choices import CommitmentStatus, Grade, PositiveKind, RecordSource, ReviewStatus


class PointsTableVersion(models.Model):
    """One version of the points table (see points.py). A new version never rewrites past grades."""

    version = models.PositiveIntegerField("版本号", unique=True)
    effective_from = models.DateField("生效日期")
    table = models.JSONField("计分表")
    note = models.TextField("修订说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="制定人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "信用计分表版本"
        verbose_name_plural = "信用计分表版本"
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"第 {self.version} 版（{self.effective_from} 起）"


class PointsTableDraft(models.Model):
    """A proposed points table that grades nobody: a calibration's proposal (with its report),
    until a person adopts it through the table-version workflow, which publishes a version."""

    table = models.JSONField("计分表")
    note = models.TextField("说明", blank=True)
    based_on = models.ForeignKey(
        PointsTableVersion,
        verbose_name="依据版本",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drafts",
    )
    train_from = models.DateField("训练期起", null=True, blank=True)
    train_to = models.DateField("训练期止", null=True, blank=True)
    test_from = models.DateField("检验期起", null=True, blank=True)
    test_to = models.DateField("检验期止", null=True, blank=True)
    # The fit (calibrate.Calibration.to_json) and both tables' backtests on the test period.
    report = models.JSONField("校准报告", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "信用计分表草案"
        verbose_name_plural = "信用计分表草案"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"草案 {self.pk}（{self.created_at:%Y-%m-%d}）"


class EnterpriseGrade(models.Model):
    """An enterprise's current grade, and which table version made it."""

    enterprise = models.OneToOneField(
        "registry.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="grade"
    )
    grade = models.CharField("等级", max_length=1, choices=Grade.choices, db_index=True)
    score = models.FloatField("信用分")
    table_version = models.ForeignKey(
        PointsTableVersion, verbose_name="计分表版本", on_delete=models.PROTECT
    )
    as_of = models.DateField("评价基准日")
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = "企业信用等级"
        verbose_name_plural = "企业信用等级"

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.grade}"


class GradeChange(models.Model):
    """A change of grade at a regrade: "who moved to D today and why"."""

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="grade_changes",
    )
    previous_grade = models.CharField("原等级", max_length=1, choices=Grade.choices, blank=True)
    grade = models.CharField("新等级", max_length=1, choices=Grade.choices)
    previous_score = models.FloatField("原信用分", null=True, blank=True)
    score = models.FloatField("信用分")
    table_version = models.ForeignKey(
        PointsTableVersion, verbose_name="计分表版本", on_delete=models.PROTECT
    )
    as_of = models.DateField("评价基准日", db_index=True)
    changed_at = models.DateTimeField("变更时间", auto_now_add=True)
    reasons = models.JSONField("主要原因", default=list, blank=True)

    class Meta:
        verbose_name = "信用等级变动"
        verbose_name_plural = "信用等级变动"
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["grade", "as_of"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.previous_grade or '—'} → {self.grade}"


class MonitoringAlert(models.Model):
    """A non-site monitoring alert (非现场监管预警), e.g. from online emission monitoring."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="企业", on_delete=models.CASCADE
    )
    department = models.ForeignKey(
        "registry.Department", verbose_name="预警部门", on_delete=models.PROTECT
    )
    source = models.CharField("监测来源", max_length=100)
    date = models.DateField("预警日期")
    severity = models.PositiveSmallIntegerField("预警级别", default=1)
    description = models.CharField("预警内容", max_length=300)
    external_id = models.CharField("来源编号", max_length=60, unique=True)

    class Meta:
        verbose_name = "非现场监测预警"
        verbose_name_plural = "非现场监测预警"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.source}"


class PositiveRecord(models.Model):
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="企业", on_delete=models.CASCADE
    )
    department = models.ForeignKey(
        "registry.Department", verbose_name="认定部门", on_delete=models.PROTECT
    )
    kind = models.CharField(
        "类别", max_length=10, choices=PositiveKind.choices, default=PositiveKind.AWARD
    )
    title = models.CharField("名称", max_length=200)
    date = models.DateField("日期")

    class Meta:
        verbose_name = "良好信用记录"
        verbose_name_plural = "良好信用记录"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title


class CommitmentItem(models.Model):
    """A commitment a department offers (信用承诺事项), e.g. for 容缺受理."""

    department = models.ForeignKey(
        "registry.Department", verbose_name="部门", on_delete=models.PROTECT
    )
    code = models.CharField("编码", max_length=40, unique=True)
    title = models.CharField("承诺事项", max_length=200)
    text = models.TextField("承诺内容")
    active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "信用承诺事项"
        verbose_name_plural = "信用承诺事项"
        ordering = ["department_id", "code"]

    def __str__(self) -> str:
        return self.title


class CreditCommitment(models.Model):
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    item = models.ForeignKey(CommitmentItem, verbose_name="承诺事项", on_delete=models.PROTECT)
    signed_on = models.DateField("承诺日期")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签署人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "履约状态", max_length=10, choices=CommitmentStatus.choices, default=CommitmentStatus.SIGNED
    )
    decided_on = models.DateField("认定日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="认定人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField("认定说明", blank=True)

    class Meta:
        verbose_name = "信用承诺"
        verbose_name_plural = "信用承诺"
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.item}"


class ReviewRequest(models.Model):
    """What an objection and a repair share: a record, evidence, a deadline and a reasoned decision."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="企业", on_delete=models.CASCADE
    )
    record_source = models.CharField("记录类别", max_length=12, choices=RecordSource.choices)
    record_id = models.PositiveBigIntegerField("记录编号")
    department = models.ForeignKey(
        "registry.Department", verbose_name="审核部门", on_delete=models.PROTECT
    )
    reason = models.TextField("理由")
    evidence = models.FileField("证明材料", upload_to="credit/evidence/%Y/%m/", blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.SUBMITTED
    )
    filed_at = models.DateTimeField("提交时间", auto_now_add=True)
    due_on = models.DateField("审核期限")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_reason = models.TextField("审核意见", blank=True)
    effective_from = models.DateField("生效日期（公示期满）", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-filed_at", "-id"]


class CreditObjection(ReviewRequest):
    """信用异议: the record is wrong; approval removes its effect."""

    class Meta(ReviewRequest.Meta):
        verbose_name = "信用异议"
        verbose_name_plural = "信用异议"

    def __str__(self) -> str:
        return f"异议 {self.pk}"


class CreditRepair(ReviewRequest):
    """信用修复: the record is right but corrected; approval ends its effect early."""

    class Meta(ReviewRequest.Meta):
        verbose_name = "信用修复"
        verbose_name_plural = "信用修复"

    def __str__(self) -> str:
        return f"修复 {self.pk}"
