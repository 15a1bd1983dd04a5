"""Double-random draw tasks (双随机、一公开), verifiable per docs/random-draw-v1.md."""

from django.conf import settings
from django.db import models

from wurao.sampling.choices import DEFAULT_WEIGHTS, ResultCategory, SizeMode, TaskStatus


def default_weights() -> dict[str, str]:
    return dict(DEFAULT_WEIGHTS)


class DrawTask(models.Model):
    code = models.CharField("任务编号", max_length=40, unique=True)
    title = models.CharField("任务名称", max_length=200)
    status = models.CharField(
        "状态", max_length=12, choices=TaskStatus.choices, default=TaskStatus.DRAFT
    )
    lead_department = models.ForeignKey(
        "registry.Department",
        verbose_name="牵头部门",
        on_delete=models.PROTECT,
        related_name="led_draws",
    )
    scope = models.JSONField("抽查范围（筛选条件）", default=dict, blank=True)
    size_mode = models.CharField(
        "抽取方式", max_length=8, choices=SizeMode.choices, default=SizeMode.TOTAL
    )
    size_value = models.DecimalField("抽取总数或比例", max_digits=12, decimal_places=4)
    weights = models.JSONField("各等级权重", default=default_weights)
    grade_table = models.CharField("所用等级表", max_length=80, default="unrated")
    window_start = models.DateField("计划检查开始")
    window_end = models.DateField("计划检查结束")

    # Fixed at commit: published before the draw.
    server_seed = models.CharField("服务器种子（抽取后公开）", max_length=64, blank=True)
    commitment = models.CharField("承诺值", max_length=64, blank=True)
    snapshot_digest = models.CharField("候选快照摘要", max_length=64, blank=True)
    snapshot = models.BinaryField("候选快照（压缩）", null=True, blank=True, editable=False)
    candidate_count = models.PositiveIntegerField("候选企业数", default=0)
    total = models.PositiveIntegerField("抽取总数", null=True, blank=True)
    quotas = models.JSONField("各等级配额", default=dict, blank=True)
    committed_at = models.DateTimeField("承诺时间", null=True, blank=True)

    # Fixed at the draw.
    external_entropy = models.CharField("外部随机数", max_length=200, blank=True)
    observer = models.CharField("监督见证人", max_length=100, blank=True)
    result_digest = models.CharField("结果摘要", max_length=64, blank=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "双随机抽查任务"
        verbose_name_plural = "双随机抽查任务"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_joint(self) -> bool:
        return self.participants.count() > 1


class DrawParticipant(models.Model):
    """One department in a task: its items, team size and inspector roster (spec §6, one run each)."""

    task = models.ForeignKey(
        DrawTask, verbose_name="任务", on_delete=models.CASCADE, related_name="participants"
    )
    department = models.ForeignKey(
        "registry.Department", verbose_name="部门", on_delete=models.PROTECT
    )
    items = models.ManyToManyField("catalogue.InspectionItem", verbose_name="检查事项")
    team_size = models.PositiveSmallIntegerField("每组人数", default=2)
    team_size_reason = models.CharField("少于2人的理由", max_length=200, blank=True)
    roster = models.JSONField("执法人员名单（执法证号）", default=list, blank=True)
    exclusions = models.JSONField("回避名单", default=dict, blank=True)

    class Meta:
        verbose_name = "参与部门"
        verbose_name_plural = "参与部门"
        ordering = ["task", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "department"], name="draw_participant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.department}"


class DrawSelection(models.Model):
    task = models.ForeignKey(
        DrawTask, verbose_name="任务", on_delete=models.CASCADE, related_name="selections"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="企业", on_delete=models.PROTECT
    )
    stratum = models.CharField("等级", max_length=4)

    class Meta:
        verbose_name = "抽中企业"
        verbose_name_plural = "抽中企业"
        ordering = ["task", "enterprise__credit_code"]
        constraints = [
            models.UniqueConstraint(fields=["task", "enterprise"], name="draw_selection_unique")
        ]

    def __str__(self) -> str:
        return f"{self.task_id}:{self.enterprise_id}"


class DrawTeamMember(models.Model):
    selection = models.ForeignKey(
        DrawSelection, verbose_name="抽中企业", on_delete=models.CASCADE, related_name="team"
    )
    participant = models.ForeignKey(DrawParticipant, verbose_name="部门", on_delete=models.CASCADE)
    inspector = models.ForeignKey(
        "registry.Inspector", verbose_name="执法人员", on_delete=models.PROTECT
    )
    rank = models.PositiveSmallIntegerField("排序")

    class Meta:
        verbose_name = "检查组成员"
        verbose_name_plural = "检查组成员"
        ordering = ["selection", "participant", "rank"]

    def __str__(self) -> str:
        return f"{self.selection_id}:{self.inspector_id}"


class DrawResult(models.Model):
    """The result one department recorded for one drawn enterprise; it becomes an EnforcementAction."""

    selection = models.ForeignKey(
        DrawSelection, verbose_name="抽中企业", on_delete=models.CASCADE, related_name="results"
    )
    participant = models.ForeignKey(DrawParticipant, verbose_name="部门", on_delete=models.CASCADE)
    category = models.CharField("检查结果", max_length=16, choices=ResultCategory.choices)
    note = models.TextField("情况说明", blank=True)
    inspected_on = models.DateField("检查日期")
    action = models.OneToOneField(
        "enforcement.EnforcementAction",
        verbose_name="执法记录",
        on_delete=models.PROTECT,
        related_name="draw_result",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "抽查结果"
        verbose_name_plural = "抽查结果"
        constraints = [
            models.UniqueConstraint(fields=["selection", "participant"], name="draw_result_unique")
        ]

    def __str__(self) -> str:
        return self.get_category_display()


class ConflictOfInterest(models.Model):
    """A declared conflict: this officer must not inspect this enterprise (回避)."""

    inspector = models.ForeignKey(
        "registry.Inspector", verbose_name="执法人员", on_delete=models.CASCADE
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="企业", on_delete=models.CASCADE
    )
    reason = models.CharField("回避事由", max_length=200)
    declared_at = models.DateTimeField("申报时间", auto_now_add=True)

    class Meta:
        verbose_name = "利益冲突回避申报"
        verbose_name_plural = "利益冲突回避申报"
        constraints = [
            models.UniqueConstraint(fields=["inspector", "enterprise"], name="conflict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.inspector} ↔ {self.enterprise}"
