from django.conf import settings
from django.db import models

from wurao.enforcement.choices import ActionKind, Finding, Mode, OffsiteMethod, Origin, Severity
from wurao.registry.choices import Level


class EnforcementAction(models.Model):
    """One administrative action on one enterprise: the spine of 一企一档."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="actions"
    )
    department = models.ForeignKey(
        "registry.Department",
        verbose_name="执法部门",
        on_delete=models.PROTECT,
        related_name="actions",
    )
    # The level at the time of the action: a later reorganisation must not rewrite history.
    department_level = models.CharField("执法层级", max_length=10, choices=Level.choices)
    date = models.DateField("日期")
    kind = models.CharField("类别", max_length=12, choices=ActionKind.choices)
    origin = models.CharField("来源", max_length=20, choices=Origin.choices)
    items = models.ManyToManyField(
        "catalogue.InspectionItem", verbose_name="检查事项", blank=True, related_name="actions"
    )
    officers = models.ManyToManyField(
        "registry.Inspector", verbose_name="执法人员", blank=True, related_name="actions"
    )
    joint_ref = models.CharField(
        "联合检查编号",
        max_length=40,
        blank=True,
        db_index=True,
        help_text="同一次联合入企的各部门记录共用一个编号",
    )
    # The on-site visit during which the action was taken (入企登记); joint visits share one.
    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name="入企登记",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    mode = models.CharField(
        "检查方式",
        max_length=10,
        choices=Mode.choices,
        default=Mode.ON_SITE,
        # The demo and bench loaders insert actions in bulk SQL that predates the column.
        db_default=Mode.ON_SITE,
    )
    offsite_method = models.CharField(
        "非现场检查手段",
        max_length=12,
        choices=OffsiteMethod.choices,
        blank=True,
        default="",
        db_default="",
    )
    summary = models.TextField("情况摘要", blank=True)
    finding = models.CharField(
        "检查结果", max_length=10, choices=Finding.choices, default=Finding.NOT_RECORDED, blank=True
    )
    severity = models.PositiveSmallIntegerField(
        "情节档次",
        choices=Severity.choices,
        null=True,
        blank=True,
        help_text="行政处罚、行政强制的情节轻重",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "执法行为"
        verbose_name_plural = "执法行为"
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["date", "kind"]),
            models.Index(fields=["department", "date"]),
            models.Index(fields=["enterprise", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.department} {self.get_kind_display()}"
