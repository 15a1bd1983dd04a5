"""What an inspection produces.

- `ItemCheck`: per inspected item of an enforcement action (single visit, joint visit's
  一表通查 form, off-site inspection), compliant or a finding with its hazard and evidence.
- `FindingNotice`: all findings of one action told to the enterprise at once (一次性告知),
  with a `Rectification` per finding: requirement, deadline, the enterprise's reports, and
  closure by a re-check (整改复查) or a documentary check.
- `RequirementClash`: two departments' open rectifications for one enterprise and topic,
  flagged to the justice bureau.
- `DiscretionStandard` and its `DiscretionBand`s (裁量基准), `ExemptionList`/`ExemptionEntry`
  (免罚清单 at city, district and department level), `ObservationType` (新业态观察期) and
  `Case` (行政处罚、行政强制), which ties them together.
"""

from django.conf import settings
from django.db import models

from wurao.outcomes.choices import (
    CaseKind,
    CaseStatus,
    CheckResult,
    ClashStatus,
    ClosedBy,
    Disposition,
    EvidenceKind,
    ExemptionKind,
    Hazard,
    Level,
    Proposal,
    RectificationStatus,
    Sector,
    SoftMeasure,
    Topic,
)


def _user(verbose_name: str, **extra):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        **extra,
    )


# ---------------------------------------------------------------- findings and rectification


class ItemCheck(models.Model):
    """One inspected item of one enforcement action and what it showed."""

    action = models.ForeignKey(
        "enforcement.EnforcementAction",
        verbose_name="执法行为",
        on_delete=models.CASCADE,
        related_name="checks",
    )
    item = models.ForeignKey(
        "catalogue.InspectionItem",
        verbose_name="检查事项",
        on_delete=models.PROTECT,
        related_name="+",
    )
    result = models.CharField("检查结果", max_length=12, choices=CheckResult.choices)
    description = models.TextField("检查情况", blank=True)
    hazard = models.PositiveSmallIntegerField(
        "隐患等级", choices=Hazard.choices, default=Hazard.NONE
    )
    # 观察期: a finding marked serious risk may be penalised without a written reason.
    serious_risk = models.BooleanField("存在严重风险", default=False)
    recorded_by = _user("录入人")
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)
    corrected_at = models.DateTimeField("更正时间", null=True, blank=True)
    correction_reason = models.TextField("更正理由", blank=True)

    class Meta:
        verbose_name = "检查事项结果"
        verbose_name_plural = "检查事项结果"
        ordering = ["action_id", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["action", "item"], name="outcomes_one_check_an_item")
        ]
        indexes = [models.Index(fields=["result", "hazard"])]

    def __str__(self) -> str:
        return f"{self.action_id} {self.item_id} {self.result}"


class Evidence(models.Model):
    """A photo, document, monitoring extract or video of an action (an off-site inspection's
    evidence), of one item's finding, or of an enterprise's rectification report."""

    action = models.ForeignKey(
        "enforcement.EnforcementAction",
        verbose_name="执法行为",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    item_check = models.ForeignKey(
        ItemCheck,
        verbose_name="检查事项结果",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    report = models.ForeignKey(
        "RectificationReport",
        verbose_name="整改报告",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="files",
    )
    kind = models.CharField("类别", max_length=12, choices=EvidenceKind.choices)
    file = models.FileField("文件", upload_to="outcomes/evidence/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    note = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = _user("上传人")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "证据材料"
        verbose_name_plural = "证据材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class FindingNotice(models.Model):
    """All findings of one action, told to the enterprise at once (一次性告知), with the
    rectification each needs: the 责令改正通知书."""

    action = models.OneToOneField(
        "enforcement.EnforcementAction",
        verbose_name="执法行为",
        on_delete=models.PROTECT,
        related_name="notice",
    )
    number = models.CharField("文书编号", max_length=60, unique=True)
    issued_on = models.DateField("告知日期")
    issued_by = _user("告知人")
    seen_at = models.DateTimeField("企业查阅时间", null=True, blank=True)

    class Meta:
        verbose_name = "问题一次性告知"
        verbose_name_plural = "问题一次性告知"
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.number


class Rectification(models.Model):
    """What one finding must have put right, by when, and how it was closed."""

    item_check = models.OneToOneField(
        ItemCheck,
        verbose_name="检查事项结果",
        on_delete=models.PROTECT,
        related_name="rectification",
    )
    notice = models.ForeignKey(
        FindingNotice,
        verbose_name="告知书",
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    # Denormalised from the action so lists, scopes and the grading feed read one table.
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "registry.Department", verbose_name="执法部门", on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField("整改领域", max_length=12, choices=Topic.choices)
    requirement = models.TextField("整改要求")
    deadline = models.DateField("整改期限")
    status = models.CharField(
        "状态",
        max_length=10,
        choices=RectificationStatus.choices,
        default=RectificationStatus.ORDERED,
    )
    # The first day past the deadline it was still not closed: an overdue rectification,
    # a credit record (逾期未整改) from that day, kept when it closes later.
    overdue_on = models.DateField("逾期日期", null=True, blank=True)
    closed_on = models.DateField("完成日期", null=True, blank=True)
    closed_how = models.CharField("核查方式", max_length=12, choices=ClosedBy.choices, blank=True)
    closed_by = _user("核查人")
    closing_note = models.TextField("核查意见", blank=True)
    # The re-check (origin 整改复查) that closed it or found it not yet put right.
    recheck = models.ForeignKey(
        "enforcement.EnforcementAction",
        verbose_name="复查记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rechecked",
    )
    created_at = models.DateTimeField("下达时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改"
        verbose_name_plural = "整改"
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["enterprise", "topic"]),
            models.Index(fields=["department", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.deadline}"


class RectificationReport(models.Model):
    """The enterprise's account of what it put right (text and files, on the portal)."""

    rectification = models.ForeignKey(
        Rectification,
        verbose_name="整改",
        on_delete=models.CASCADE,
        related_name="reports",
    )
    text = models.TextField("整改情况")
    submitted_by = _user("报告人")
    submitted_at = models.DateTimeField("报告时间", auto_now_add=True)
    # The officer's answer when the report was not enough (the rectification reopens).
    rejected_reason = models.TextField("退回理由", blank=True)

    class Meta:
        verbose_name = "整改报告"
        verbose_name_plural = "整改报告"
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.rectification_id} {self.submitted_at:%Y-%m-%d}"


class RequirementClash(models.Model):
    """Open rectifications of two or more departments for one enterprise and topic: the
    study's warehouse with three different rectification plans. The justice bureau decides."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField("整改领域", max_length=12, choices=Topic.choices)
    rectifications = models.ManyToManyField(
        Rectification, verbose_name="涉及的整改", related_name="clashes"
    )
    status = models.CharField(
        "状态", max_length=10, choices=ClashStatus.choices, default=ClashStatus.OPEN
    )
    decision = models.TextField("处理意见", blank=True)
    decided_by = _user("处理人")
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    flagged_at = models.DateTimeField("发现时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改要求冲突"
        verbose_name_plural = "整改要求冲突"
        ordering = ["-flagged_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.topic}"


# ---------------------------------------------------------------- discretion and exemptions


class DiscretionStandard(models.Model):
    """A department's discretion standard (裁量基准) for one violation: the legal basis and
    the bands of circumstance, each with what it allows."""

    department = models.ForeignKey(
        "registry.Department",
        verbose_name="执法部门",
        on_delete=models.PROTECT,
        related_name="discretion_standards",
    )
    code = models.CharField("编号", max_length=40)
    violation = models.CharField("违法行为", max_length=300)
    item = models.ForeignKey(
        "catalogue.InspectionItem",
        verbose_name="对应检查事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The article breached and the article that sets the penalty, from the standards library
    # where it holds them; the text is what the decision quotes either way.
    breached_article = models.ForeignKey(
        "standards.Article",
        verbose_name="违反条款",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    penalty_article = models.ForeignKey(
        "standards.Article",
        verbose_name="处罚依据条款",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    legal_basis = models.TextField("法律依据")
    active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "裁量基准"
        verbose_name_plural = "裁量基准"
        ordering = ["department_id", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "code"], name="outcomes_one_standard_a_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.violation}"


class DiscretionBand(models.Model):
    """One band of a discretion standard: the circumstances and what they allow."""

    standard = models.ForeignKey(
        DiscretionStandard,
        verbose_name="裁量基准",
        on_delete=models.CASCADE,
        related_name="bands",
    )
    order = models.PositiveSmallIntegerField("档次序号")
    name = models.CharField("档次", max_length=40)  # 轻微、一般、较重、严重
    circumstances = models.TextField("适用情形")
    measure = models.TextField("处罚种类或措施")
    min_amount = models.DecimalField(
        "罚款下限（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    max_amount = models.DecimalField(
        "罚款上限（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "裁量档次"
        verbose_name_plural = "裁量档次"
        ordering = ["standard_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "order"], name="outcomes_band_order")
        ]

    def __str__(self) -> str:
        return f"{self.standard_id} {self.name}"


class ExemptionList(models.Model):
    """A published exemption list (免罚清单): the city's, the district's or a department's.
    A department's effective list is the city's and the district's entries plus its own."""

    level = models.CharField("层级", max_length=10, choices=Level.choices)
    department = models.ForeignKey(
        "registry.Department",
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="部门级清单填写；市级、区级清单留空",
    )
    title = models.CharField("名称", max_length=200)
    published_on = models.DateField("发布日期")
    created_by = _user("录入人")

    class Meta:
        verbose_name = "免罚清单"
        verbose_name_plural = "免罚清单"
        ordering = ["level", "department_id", "id"]

    def __str__(self) -> str:
        return self.title


class ExemptionEntry(models.Model):
    """One entry of an exemption list: the violation (or catalogue item), its sector, and the
    conditions that must all hold for no penalty."""

    exemption_list = models.ForeignKey(
        ExemptionList, verbose_name="清单", on_delete=models.CASCADE, related_name="entries"
    )
    kind = models.CharField("类型", max_length=14, choices=ExemptionKind.choices)
    sector = models.CharField("领域", max_length=16, choices=Sector.choices)
    violation = models.CharField("违法行为", max_length=300)
    item = models.ForeignKey(
        "catalogue.InspectionItem",
        verbose_name="对应检查事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    standard = models.ForeignKey(
        DiscretionStandard,
        verbose_name="对应裁量基准",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exemptions",
    )
    legal_basis = models.TextField("依据", blank=True)
    needs_first_offence = models.BooleanField("须为初次违法", default=True)
    needs_minor_harm = models.BooleanField("须危害后果轻微", default=True)
    needs_corrected = models.BooleanField("须及时改正", default=True)
    # 初次违法 means no case for the same entry in this many days before (default two years).
    lookback_days = models.PositiveSmallIntegerField("初次违法的回溯期（日）", default=730)
    active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "免罚清单事项"
        verbose_name_plural = "免罚清单事项"
        ordering = ["exemption_list_id", "id"]

    def __str__(self) -> str:
        return self.violation


class ObservationType(models.Model):
    """A new business type (新业态) in its observation period: soft measures first."""

    name = models.CharField("新业态名称", max_length=100)
    industry_codes = models.JSONField(
        "行业代码", default=list, blank=True, help_text="GB/T 4754 代码前缀，例如 6572"
    )
    tags = models.ManyToManyField("registry.RiskTag", verbose_name="风险标签", blank=True)
    starts_on = models.DateField("观察期开始")
    ends_on = models.DateField("观察期结束")
    note = models.TextField("说明", blank=True)
    created_by = _user("录入人")

    class Meta:
        verbose_name = "新业态观察期"
        verbose_name_plural = "新业态观察期"
        ordering = ["-starts_on", "id"]

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------- cases


class Case(models.Model):
    """An administrative penalty or coercive measure case, from the findings that led to it
    to the decision: legal basis, the discretion band chosen and why, what the exemption
    list or an observation period proposed and, where the officer went another way, why."""

    number = models.CharField("案件编号", max_length=60, unique=True)
    kind = models.CharField("类别", max_length=10, choices=CaseKind.choices)
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="当事企业", on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "registry.Department", verbose_name="执法部门", on_delete=models.PROTECT, related_name="+"
    )
    checks = models.ManyToManyField(ItemCheck, verbose_name="所涉检查发现", related_name="cases")
    officers = models.ManyToManyField(
        "registry.Inspector", verbose_name="承办人员", blank=True, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    opened_on = models.DateField("立案日期")
    facts = models.TextField("查明的事实")
    evidence_summary = models.TextField("证据", blank=True)
    standard = models.ForeignKey(
        DiscretionStandard,
        verbose_name="裁量基准",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    band = models.ForeignKey(
        DiscretionBand,
        verbose_name="适用档次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    band_reasons = models.TextField("适用档次的理由", blank=True)
    legal_basis = models.TextField("法律依据", blank=True)
    reasoning = models.TextField("说理", blank=True)
    # What the platform proposed when the case was opened, and the officer's answer.
    exemption = models.ForeignKey(
        ExemptionEntry,
        verbose_name="适用的免罚清单事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    observation = models.ForeignKey(
        ObservationType,
        verbose_name="所处观察期",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    disposition = models.CharField(
        "处理结果", max_length=10, choices=Disposition.choices, blank=True
    )
    # [outcomes] cases: what the platform proposed at the decision (kept, as the entries and
    # the enterprise's history move on), and the officer's two confirmations it rests on.
    proposed = models.CharField("平台建议", max_length=10, choices=Proposal.choices, blank=True)
    minor_harm = models.BooleanField("承办人确认危害后果轻微", default=False)
    corrected_on_spot = models.BooleanField("承办人确认已当场改正", default=False)
    decided_by = _user("决定录入人")
    soft_measure = models.CharField(
        "柔性措施", max_length=14, choices=SoftMeasure.choices, blank=True
    )
    # Written when the officer penalises although an exemption entry or the observation
    # period proposed otherwise; audited and shown on the oversight dashboard.
    override_reason = models.TextField("不采纳建议的理由", blank=True)
    amount = models.DecimalField(
        "罚款金额（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    measure = models.TextField("处罚种类或强制措施", blank=True)
    statement_offered_on = models.DateField("告知陈述申辩日期", null=True, blank=True)
    hearing_offered = models.BooleanField("告知听证权利", default=False)
    hearing_requested = models.BooleanField("当事人要求听证", default=False)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    # The decided penalty or measure as it counts everywhere else (一企一档, figures, grading).
    action = models.OneToOneField(
        "enforcement.EnforcementAction",
        verbose_name="执法行为记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case",
    )
    created_by = _user("立案人")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = "案件"
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["department", "opened_on"]),
            models.Index(fields=["enterprise", "opened_on"]),
            models.Index(fields=["disposition"]),
        ]

    def __str__(self) -> str:
        return self.number
