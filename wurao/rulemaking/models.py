"""标准冲突、征求意见与涉企执法联系点 (the study, 二.五 and 三.五): where enterprises have a say
in the rules that bind them. Articles are cited by foreign key to the standards library."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from wurao.rulemaking.choices import (
    AnswerKind,
    CommenterKind,
    ConflictEventKind,
    ConflictStatus,
    ConsultationStatus,
    FeedbackChannel,
    Governing,
    MeetingKind,
)

USER = settings.AUTH_USER_MODEL


class Conflict(models.Model):
    topic = models.CharField("冲突事项", max_length=200)
    situation = models.TextField("涉及的企业或情形")
    status = models.CharField(
        "状态", max_length=20, choices=ConflictStatus.choices, default=ConflictStatus.REPORTED
    )
    # Who reported it: the reporter's organisation sees the report before it is accepted.
    reported_by = models.ForeignKey(
        USER, verbose_name="报告人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="报告企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "registry.Department",
        verbose_name="报告部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    street = models.ForeignKey(
        "registry.Street",
        verbose_name="报告街道",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField("报告时间", auto_now_add=True)
    decline_reason = models.TextField("不予受理的理由", blank=True)
    coordinating_department = models.ForeignKey(
        "registry.Department",
        verbose_name="协调部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated_conflicts",
    )
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    governing = models.CharField("适用结论", max_length=10, choices=Governing.choices, blank=True)
    resolution = models.TextField("理由或联合解释", blank=True)
    resolved_at = models.DateTimeField("解决时间", null=True, blank=True)

    class Meta:
        verbose_name = "标准冲突"
        verbose_name_plural = "标准冲突"
        ordering = ["-reported_at", "-pk"]

    def __str__(self) -> str:
        return self.topic


class Requirement(models.Model):
    """One of a conflict's two requirements: the article it is cited to (when the library has
    it), the quoted text and the department that applies it."""

    conflict = models.ForeignKey(
        Conflict, verbose_name="冲突", on_delete=models.CASCADE, related_name="requirements"
    )
    side = models.PositiveSmallIntegerField("序号")  # 1 or 2
    article = models.ForeignKey(
        "standards.Article",
        verbose_name="条文",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField("出处", max_length=300, blank=True)  # when no article is cited
    text = models.TextField("要求内容")
    department = models.ForeignKey(
        "registry.Department",
        verbose_name="适用部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "冲突要求"
        verbose_name_plural = "冲突要求"
        ordering = ["conflict", "side"]
        constraints = [
            models.UniqueConstraint(fields=["conflict", "side"], name="rulemaking_requirement_side")
        ]

    def __str__(self) -> str:
        return f"{self.conflict_id}.{self.side}"


class ConflictEvent(models.Model):
    conflict = models.ForeignKey(
        Conflict, verbose_name="冲突", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("类别", max_length=12, choices=ConflictEventKind.choices)
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(
        USER, verbose_name="记录人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    department = models.ForeignKey(
        "registry.Department",
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status_from = models.CharField("原状态", max_length=20, blank=True)
    status_to = models.CharField("新状态", max_length=20, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "冲突处理记录"
        verbose_name_plural = "冲突处理记录"
        ordering = ["conflict", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.conflict_id} {self.kind} {self.at:%Y-%m-%d}"


class Consultation(models.Model):
    department = models.ForeignKey(
        "registry.Department",
        verbose_name="起草部门",
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    title = models.CharField("标题", max_length=200)
    text = models.TextField("征求意见稿")
    document = models.ForeignKey(
        "standards.Document",
        verbose_name="所涉标准文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField("征求意见开始")
    ends_on = models.DateField("征求意见截止")
    effective_on = models.DateField("拟施行日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=ConsultationStatus.choices, default=ConsultationStatus.DRAFT
    )
    decision_note = models.TextField("结果说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    consultation = models.ForeignKey(
        Consultation, verbose_name="征求意见", on_delete=models.CASCADE, related_name="comments"
    )
    # The account is kept for the audit and never shown: the public sees the name below.
    author = models.ForeignKey(
        USER, verbose_name="提交账号", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    commenter_kind = models.CharField("署名方式", max_length=14, choices=CommenterKind.choices)
    commenter_name = models.CharField("署名", max_length=200)
    article = models.ForeignKey(
        "standards.Article",
        verbose_name="所涉条文",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    paragraph = models.CharField("所涉条款或段落", max_length=100, blank=True)
    text = models.TextField("意见")
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    answer_kind = models.CharField(
        "处理结果", max_length=14, choices=AnswerKind.choices, blank=True
    )
    answer = models.TextField("答复", blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "意见"
        verbose_name_plural = "意见"
        ordering = ["consultation", "created_at", "pk"]

    def __str__(self) -> str:
        return self.commenter_name


class Meeting(models.Model):
    consultation = models.ForeignKey(
        Consultation, verbose_name="征求意见", on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField("类别", max_length=10, choices=MeetingKind.choices)
    held_on = models.DateField("日期")
    place = models.CharField("地点", max_length=200)
    minutes = models.TextField("纪要", blank=True)

    class Meta:
        verbose_name = "听证会、座谈会"
        verbose_name_plural = "听证会、座谈会"
        ordering = ["consultation", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class ContactPoint(models.Model):
    """涉企执法联系点: an enterprise the justice bureau designates to speak for its street."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="+"
    )
    street = models.ForeignKey(
        "registry.Street", verbose_name="街道", on_delete=models.PROTECT, related_name="+"
    )
    term_from = models.DateField("任期开始")
    term_to = models.DateField("任期结束")
    note = models.CharField("备注", max_length=200, blank=True)
    designated_at = models.DateTimeField("确定时间", auto_now_add=True)

    class Meta:
        verbose_name = "涉企执法联系点"
        verbose_name_plural = "涉企执法联系点"
        ordering = ["street", "enterprise__name"]

    def __str__(self) -> str:
        return str(self.enterprise)


class Feedback(models.Model):
    contact_point = models.ForeignKey(
        ContactPoint, verbose_name="联系点", on_delete=models.CASCADE, related_name="feedback"
    )
    received_on = models.DateField("日期")
    channel = models.CharField("渠道", max_length=10, choices=FeedbackChannel.choices)
    topic = models.CharField("主题", max_length=200)
    text = models.TextField("反映内容")
    department = models.ForeignKey(
        "registry.Department",
        verbose_name="涉及部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    follow_up_by = models.CharField("跟进人", max_length=100, blank=True)
    follow_up = models.TextField("跟进情况", blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)

    class Meta:
        verbose_name = "联系点反映"
        verbose_name_plural = "联系点反映"
        ordering = ["contact_point", "-received_on", "-pk"]

    def __str__(self) -> str:
        return self.topic
