"""The one registry of on-site visits (入企登记): who came, when, why, and the code the
enterprise checks. The inspections carried out during a visit are its EnforcementActions."""

import secrets

from django.conf import settings
from django.db import models

from wurao.visits.choices import CheckInMethod, VisitKind, VisitOrigin, VisitPurpose, VisitStatus

# No 0/O, 1/I/L: a code is read aloud and typed on a phone.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def visit_code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def visit_code_normalise(raw: str) -> str:
    """What a person typed or a QR code carried, as a stored code: spaces, dashes and case
    do not matter, and the look-alikes O/I/L are read as 0/1 would be (never valid)."""
    text = (raw or "").strip().upper()
    if "/" in text:  # a scanned QR code carries the verification URL
        text = text.rstrip("/").rsplit("/", 1)[-1]
    return "".join(ch for ch in text if ch.isalnum())


class VisitRuleVersion(models.Model):
    """One version of the visit rules (rules.py), set by the justice bureau. A registration
    records the version that judged it."""

    version = models.PositiveIntegerField("版本号", unique=True)
    effective_from = models.DateField("生效日期")
    rules = models.JSONField("规则")
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
        verbose_name = "入企规则版本"
        verbose_name_plural = "入企规则版本"
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"第 {self.version} 版（{self.effective_from} 起）"


class Visit(models.Model):
    code = models.CharField("入企码", max_length=CODE_LENGTH, unique=True, default=visit_code_new)
    # A mobile client's id for the registration: a retry never creates a second visit.
    client_id = models.UUIDField("客户端编号", null=True, blank=True, unique=True)
    # SHA-256 of that registration's request body (client_requests.request_digest): a retry
    # under the same client id must send the same body, another body is a 409.
    client_digest = models.CharField("客户端请求摘要", max_length=64, blank=True, default="")
    # No single-column indexes on enterprise and department: the (enterprise, date) and
    # (department, date) indexes below serve those look-ups, and each insert kept two more.
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="visits",
        db_index=False,
    )
    kind = models.CharField("类别", max_length=16, choices=VisitKind.choices)
    origin = models.CharField("检查来源", max_length=20, choices=VisitOrigin.choices, blank=True)
    purpose = models.CharField(
        "来访事由类别", max_length=12, choices=VisitPurpose.choices, blank=True
    )
    department = models.ForeignKey(
        "registry.Department",
        verbose_name="牵头单位",
        on_delete=models.PROTECT,
        related_name="led_visits",
        db_index=False,
    )
    # Every department on site: one for most visits, several for a joint visit.
    departments = models.ManyToManyField(
        "registry.Department", verbose_name="入企单位", related_name="visits"
    )
    officers = models.ManyToManyField(
        "registry.Inspector", verbose_name="执法人员", blank=True, related_name="visits"
    )
    items = models.ManyToManyField(
        "catalogue.InspectionItem", verbose_name="检查事项", blank=True, related_name="visits"
    )
    date = models.DateField("入企日期")
    note = models.TextField("事由说明", blank=True)
    # What the visit carries out, when the platform planned it: "draw:<task>/<credit code>"
    # for a random-draw task, "joint:<id>" for a scheduled joint visit.
    source_ref = models.CharField("来源编号", max_length=80, blank=True, db_index=True)
    # 行政检查审批: the department head's approval of an inspection.
    approver = models.CharField("审批人", max_length=50, blank=True)
    approval_ref = models.CharField("审批文号", max_length=60, blank=True)
    approved_on = models.DateField("审批日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=VisitStatus.choices, default=VisitStatus.REGISTERED
    )
    after_the_fact = models.BooleanField("事后补登", default=False)
    late_reason = models.TextField("补登理由", blank=True)
    rule_version = models.PositiveIntegerField("适用规则版本", null=True, blank=True)
    # Rules the registration broke (rules.Violation.as_json), kept when overridden.
    violations = models.JSONField("触发的规则", default=list, blank=True)
    override_reason = models.TextField("突破规则的理由", blank=True)
    override_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="第二审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visit_overrides_approved",
    )
    override_decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    check_in_method = models.CharField(
        "签到方式", max_length=12, choices=CheckInMethod.choices, blank=True
    )
    checked_out_at = models.DateTimeField("签退时间", null=True, blank=True)
    cancel_reason = models.TextField("撤销理由", blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits_registered",
    )
    registered_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "入企登记"
        verbose_name_plural = "入企登记"
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["enterprise", "date"]),
            models.Index(fields=["date", "kind"]),
            models.Index(fields=["department", "date"]),
            models.Index(fields=["status", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.date} {self.enterprise_id}"

    @property
    def is_joint(self) -> bool:
        return self.origin == VisitOrigin.JOINT or self.departments.count() > 1

    @property
    def code_display(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"


class VisitRefusal(models.Model):
    """A registration the rules refused: the oversight page counts who keeps trying."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "registry.Department", verbose_name="登记部门", on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField("拟入企日期")
    origin = models.CharField("检查来源", max_length=20, choices=VisitOrigin.choices)
    violations = models.JSONField("触发的规则")
    rule_version = models.PositiveIntegerField("适用规则版本")
    refused_by_rules_at = models.DateTimeField("拒绝时间", auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = "被拒绝的入企登记"
        verbose_name_plural = "被拒绝的入企登记"
        ordering = ["-refused_by_rules_at"]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.department_id} → {self.enterprise_id}"


class VisitRating(models.Model):
    """The enterprise's anonymous rating of a visit: no user is stored, and a department sees
    only aggregates over enough ratings (rules.rating_min_count)."""

    visit = models.OneToOneField(
        Visit, verbose_name="入企", on_delete=models.CASCADE, related_name="rating"
    )
    score = models.PositiveSmallIntegerField("评分")
    tags = models.JSONField("评价标签", default=list, blank=True)
    comment = models.TextField("意见", blank=True)
    rated_on = models.DateField("评价日期")

    class Meta:
        verbose_name = "入企评价"
        verbose_name_plural = "入企评价"

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.score}"


class ClientRequest(models.Model):
    """A write from the inspector API, by the id the client generated: a retry gets the
    first answer back instead of doing the write again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    client_id = models.UUIDField()
    action = models.CharField(max_length=30)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    # SHA-256 of the request body without its client_id: a retry must send the same body.
    request_digest = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "client_id"], name="visits_client_request_once")
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.client_id}"
