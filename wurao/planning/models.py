"""Monthly inspection plans, the joint visits the scheduler proposes from them, and the
streets' joint park days. The consolidated form of each joint visit (一表通查) keeps its
results where every inspection keeps them: outcomes.ItemCheck per item of each department's
enforcement action on the visit, and outcomes.Rectification per finding to put right."""

from django.conf import settings
from django.db import models

from wurao.planning.choices import (
    EntryStatus,
    JointVisitStatus,
    ParkDayStatus,
    PlanOrigin,
    PlanStatus,
    SlotKind,
)


class Campaign(models.Model):
    """A special campaign (专项检查): approved before it starts and published
    (国办发〔2024〕54号: 专项检查须经批准并向社会公布)."""

    department = models.ForeignKey(
        "registry.Department",
        verbose_name="组织部门",
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    title = models.CharField("专项名称", max_length=200)
    scope = models.TextField("检查范围与内容")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    approver = models.CharField("批准机关或负责人", max_length=100)
    document_no = models.CharField("批准文号", max_length=100)
    approved_on = models.DateField("批准日期")
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = "专项检查"
        verbose_name_plural = "专项检查"
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title


class MonthlyPlan(models.Model):
    department = models.ForeignKey(
        "registry.Department", verbose_name="部门", on_delete=models.PROTECT, related_name="plans"
    )
    month = models.DateField("计划月份", help_text="当月第一天")
    status = models.CharField(
        "状态", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True)

    class Meta:
        verbose_name = "月度检查计划"
        verbose_name_plural = "月度检查计划"
        ordering = ["-month", "department_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "month"], name="planning_one_plan_a_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.department_id}"


class PlannedInspection(models.Model):
    plan = models.ForeignKey(
        MonthlyPlan, verbose_name="计划", on_delete=models.CASCADE, related_name="entries"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="planned_inspections",
    )
    items = models.ManyToManyField(
        "catalogue.InspectionItem", verbose_name="检查事项", related_name="+"
    )
    earliest = models.DateField("最早日期")
    latest = models.DateField("最晚日期")
    hours = models.DecimalField("预计工时（小时）", max_digits=4, decimal_places=1, default=2)
    origin = models.CharField(
        "来源", max_length=12, choices=PlanOrigin.choices, default=PlanOrigin.ROUTINE
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="专项检查",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    draw_task = models.ForeignKey(
        "sampling.DrawTask",
        verbose_name="双随机任务",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    late_reason = models.TextField("锁定后补报理由", blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=EntryStatus.choices, default=EntryStatus.ACTIVE
    )
    status_note = models.CharField("状态说明", max_length=300, blank=True)
    joint_visit = models.ForeignKey(
        "JointVisit",
        verbose_name="安排的入企",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField("填报时间", auto_now_add=True)

    class Meta:
        verbose_name = "计划检查"
        verbose_name_plural = "计划检查"
        ordering = ["earliest", "id"]
        indexes = [models.Index(fields=["enterprise", "earliest"])]

    def __str__(self) -> str:
        return f"{self.plan} → {self.enterprise_id}"


class DepartmentCapacity(models.Model):
    """How much a department can inspect in a day: teams × hours per team."""

    department = models.OneToOneField(
        "registry.Department",
        verbose_name="部门",
        on_delete=models.CASCADE,
        related_name="capacity",
    )
    teams = models.PositiveSmallIntegerField("检查组数", default=2)
    hours_per_team = models.DecimalField("每组每日工时", max_digits=3, decimal_places=1, default=6)

    class Meta:
        verbose_name = "部门检查能力"
        verbose_name_plural = "部门检查能力"

    def __str__(self) -> str:
        return f"{self.department_id}: {self.teams}×{self.hours_per_team}"


class EnterpriseSlot(models.Model):
    """A day the enterprise cannot receive inspectors, or asked for (two-way booking)."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="slots"
    )
    date = models.DateField("日期")
    kind = models.CharField("类别", max_length=10, choices=SlotKind.choices)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "企业预约与不便日期"
        verbose_name_plural = "企业预约与不便日期"
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "date"], name="planning_one_slot_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.date} {self.kind}"


class Holiday(models.Model):
    """A public holiday, or a weekend day made a working day (调休上班)."""

    date = models.DateField("日期", unique=True)
    name = models.CharField("名称", max_length=50)
    is_workday = models.BooleanField("调休上班", default=False)

    class Meta:
        verbose_name = "节假日"
        verbose_name_plural = "节假日"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class ScheduleRun(models.Model):
    """One run of the scheduler over a month's plans, with its figures."""

    month = models.DateField("计划月份")
    # A street coordinator schedules its own street; the justice bureau the whole district.
    street = models.ForeignKey(
        "registry.Street",
        verbose_name="街道",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)
    seed = models.PositiveIntegerField("随机种子", default=0)
    deterministic = models.BooleanField("确定性求解", default=False)
    time_limit = models.FloatField("时间上限（秒）")
    method = models.CharField("求解方法", max_length=20)
    status = models.CharField("求解状态", max_length=60)
    planned = models.PositiveIntegerField("计划检查数")
    separate_visits = models.PositiveIntegerField("不合并的入企次数")
    lower_bound = models.PositiveIntegerField("入企次数下界")
    greedy_visits = models.PositiveIntegerField("贪心方案入企次数")
    visits = models.PositiveIntegerField("方案入企次数")
    department_days = models.PositiveIntegerField("部门出动天数")
    seconds = models.FloatField("用时（秒）")
    unplaced = models.JSONField("未能安排的检查", default=list, blank=True)

    class Meta:
        verbose_name = "排期运行"
        verbose_name_plural = "排期运行"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} #{self.pk}"

    @property
    def gap(self) -> float:
        return (self.visits - self.lower_bound) / self.lower_bound if self.lower_bound else 0.0


class JointVisit(models.Model):
    """One proposed or confirmed on-site visit: the planned inspections of one enterprise on
    one day. Confirmed, it is registered in the visit registry as one Visit."""

    run = models.ForeignKey(
        ScheduleRun, verbose_name="排期", null=True, blank=True, on_delete=models.SET_NULL
    )
    month = models.DateField("计划月份")
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="joint_visits",
    )
    street = models.ForeignKey(
        "registry.Street", verbose_name="街道", on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField("日期")
    status = models.CharField(
        "状态", max_length=10, choices=JointVisitStatus.choices, default=JointVisitStatus.PROPOSED
    )
    visit = models.OneToOneField(
        "visits.Visit",
        verbose_name="入企登记",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    # The enterprise asked for another slot (two-way booking).
    change_requested = models.BooleanField("企业申请改期", default=False)
    change_dates = models.JSONField("企业建议日期", default=list, blank=True)
    change_reason = models.TextField("改期理由", blank=True)

    class Meta:
        verbose_name = "联合入企"
        verbose_name_plural = "联合入企"
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["street", "month"]),
            models.Index(fields=["enterprise", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.enterprise_id}"


class ParkDaySetting(models.Model):
    """The street's weekly joint park day (联合整园执法日)."""

    street = models.OneToOneField(
        "registry.Street", verbose_name="街道", on_delete=models.CASCADE, related_name="+"
    )
    weekday = models.PositiveSmallIntegerField("每周几", help_text="0 为周一，4 为周五")

    class Meta:
        verbose_name = "联合整园执法日设置"
        verbose_name_plural = "联合整园执法日设置"

    def __str__(self) -> str:
        return f"{self.street_id}: {self.weekday}"


class ParkDay(models.Model):
    """One joint park day: the park drawn at random with the verifiable draw (commit, then
    reveal), the units taking part and the invited observers."""

    street = models.ForeignKey(
        "registry.Street", verbose_name="街道", on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField("日期")
    code = models.CharField("编号", max_length=40, unique=True)
    status = models.CharField(
        "状态", max_length=10, choices=ParkDayStatus.choices, default=ParkDayStatus.COMMITTED
    )
    candidates = models.JSONField("候选园区编号")
    server_seed = models.CharField("服务器种子", max_length=64)
    commitment = models.CharField("种子承诺", max_length=64)
    external_entropy = models.CharField("外部随机数", max_length=200, blank=True)
    observer_of_draw = models.CharField("抽取见证人", max_length=100, blank=True)
    park = models.ForeignKey(
        "registry.Park",
        verbose_name="抽中园区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    departments = models.ManyToManyField(
        "registry.Department", verbose_name="参加单位", related_name="+"
    )
    observers = models.JSONField("受邀监督人员", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)

    class Meta:
        verbose_name = "联合整园执法日"
        verbose_name_plural = "联合整园执法日"
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["street", "date"], name="planning_one_park_day")
        ]

    def __str__(self) -> str:
        return self.code
