"""Complaints (投诉) about officers and departments, handled by the justice bureau's supervision
office, and whistleblowing (内部举报) about enterprises.

What a department may ever read of a complaint is a StatementRequest: the office's own neutral
summary, never the complainant's text or identity (study 二.八: complaints used to go back "到了被
投诉的执法部门手中"). The identity lives only in `identity`, encrypted (identity.py); the follow-up
secret only as a password hash.
"""

import secrets

from django.conf import settings
from django.db import models

from wurao.complaints.choices import (
    Category,
    Finding,
    RevealStatus,
    RiskKind,
    Stage,
    Status,
    WhistleStatus,
)

# No 0/O, 1/I/L: a receipt is read aloud and typed on a phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def receipt_new(prefix: str) -> str:
    return prefix + "".join(secrets.choice(ALPHABET) for _ in range(8))


def secret_new() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(12))


def receipt_normalise(raw: str) -> str:
    return "".join(ch for ch in (raw or "").strip().upper() if ch.isalnum())


class Complaint(models.Model):
    receipt = models.CharField("受理回执号", max_length=12, unique=True)
    secret_hash = models.CharField("查询密码摘要", max_length=128)
    category = models.CharField("投诉类别", max_length=16, choices=Category.choices)
    description = models.TextField("投诉内容")
    # What the complaint is about: a visit, the department, an officer (the department is the
    # officer's own when only the officer was named).
    visit = models.ForeignKey(
        "visits.Visit", verbose_name="入企登记", null=True, blank=True, on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        "registry.Department",
        verbose_name="被投诉部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_against",
    )
    officer = models.ForeignKey(
        "registry.Inspector",
        verbose_name="被投诉执法人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_against",
    )
    anonymous = models.BooleanField("匿名", default=True)
    # The filer's name, phone, enterprise, contact: encrypted (identity.py), never plain.
    identity = models.TextField("身份信息（加密）", blank=True, default="")
    # A keyed digest of the enterprise that filed (identity.filer_tag): its own list.
    filer_tag = models.CharField("提交企业标记", max_length=64, blank=True, db_index=True)
    disclose_consent = models.BooleanField("同意向被投诉部门披露企业名称", default=False)
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    filed_at = models.DateTimeField("提交时间", auto_now_add=True)
    filed_on = models.DateField("提交日期")
    accept_due = models.DateField("受理期限")
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    not_accepted_reason = models.TextField("不予受理理由", blank=True)
    answer_due = models.DateField("答复期限", null=True, blank=True)
    finding = models.CharField("调查结论", max_length=20, choices=Finding.choices, blank=True)
    answer = models.TextField("答复意见", blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    rating = models.PositiveSmallIntegerField("满意度评分", null=True, blank=True)
    rating_comment = models.TextField("评价意见", blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)
    escalated = models.BooleanField("已逾期督办", default=False, db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "投诉"
        verbose_name_plural = "投诉"
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return f"投诉 {self.pk}"  # never the receipt: it is the filer's key to the case


class StatementRequest(models.Model):
    """The office asks a department for its statement. The department reads only `summary`."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="statements")
    department = models.ForeignKey(
        "registry.Department", verbose_name="说明部门", on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField("事项摘要（中性表述）")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("要求时间", auto_now_add=True)
    due_on = models.DateField("说明期限")
    answer = models.TextField("部门说明", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField("说明时间", null=True, blank=True)

    class Meta:
        verbose_name = "情况说明要求"
        verbose_name_plural = "情况说明要求"
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"情况说明 {self.pk}"


class Escalation(models.Model):
    """An overdue stage, raised to the bureau's head (督办)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="escalations")
    stage = models.CharField("逾期环节", max_length=8, choices=Stage.choices)
    due_on = models.DateField("期限")
    raised_at = models.DateTimeField("督办时间", auto_now_add=True)

    class Meta:
        verbose_name = "逾期督办"
        verbose_name_plural = "逾期督办"
        constraints = [
            models.UniqueConstraint(fields=["complaint", "stage"], name="complaint_escalation_once")
        ]

    def __str__(self) -> str:
        return f"督办 {self.complaint_id} {self.stage}"


class WhistleReport(models.Model):
    receipt = models.CharField("受理回执号", max_length=12, unique=True)
    secret_hash = models.CharField("查询密码摘要", max_length=128)
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="被举报企业", on_delete=models.PROTECT, related_name="+"
    )
    risk_kind = models.CharField("违法或风险类别", max_length=16, choices=RiskKind.choices)
    risk = models.TextField("违法行为或风险")
    evidence = models.FileField("证据材料", upload_to="whistle/evidence/%Y/%m/", blank=True)
    identity = models.TextField("身份信息（加密）", blank=True, default="")
    status = models.CharField(
        "状态", max_length=20, choices=WhistleStatus.choices, default=WhistleStatus.RECEIVED
    )
    filed_at = models.DateTimeField("提交时间", auto_now_add=True)
    department = models.ForeignKey(
        "registry.Department",
        verbose_name="承办部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField("交办时间", null=True, blank=True)
    department_report = models.TextField("部门核查情况", blank=True)
    reported_at = models.DateTimeField("反馈时间", null=True, blank=True)
    conclusion = models.TextField("结论", blank=True)
    concluded_at = models.DateTimeField("办结时间", null=True, blank=True)
    reward_amount = models.DecimalField(
        "奖励金额（元）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    reward_decision = models.TextField("奖励决定", blank=True)
    reward_paid_on = models.DateField("奖励发放日期", null=True, blank=True)

    class Meta:
        verbose_name = "内部举报"
        verbose_name_plural = "内部举报"
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return f"举报 {self.pk}"


class IdentityReveal(models.Model):
    """A supervision officer's look at a protected identity, with the reason. A complaint's is
    approved at once; a whistleblower's needs a second, different bureau approver."""

    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.CASCADE, related_name="reveals"
    )
    report = models.ForeignKey(
        WhistleReport, null=True, blank=True, on_delete=models.CASCADE, related_name="reveals"
    )
    reason = models.TextField("查看理由")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    status = models.CharField(
        "状态", max_length=10, choices=RevealStatus.choices, default=RevealStatus.PENDING
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)

    class Meta:
        verbose_name = "身份查看"
        verbose_name_plural = "身份查看"
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"身份查看 {self.pk}"
