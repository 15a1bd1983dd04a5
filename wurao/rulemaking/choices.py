from django.db import models
from django.utils.translation import gettext_lazy as _


class ConflictStatus(models.TextChoices):
    REPORTED = "reported", _("待受理")
    DECLINED = "declined", _("不予受理")
    OPEN = "open", _("待协调")
    COORDINATING = "coordinating", _("协调中")
    RESOLVED = "resolved", _("已解决")


# The statuses of the register proper: a conflict the justice bureau accepted.
REGISTER_STATUSES = (ConflictStatus.OPEN, ConflictStatus.COORDINATING, ConflictStatus.RESOLVED)


class Governing(models.TextChoices):
    A = "a", _("以要求一为准")
    B = "b", _("以要求二为准")
    JOINT = "joint", _("联合解释")


class ConflictEventKind(models.TextChoices):
    STATUS = "status", _("状态变更")
    STATEMENT = "statement", _("部门意见")


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("征求意见中")
    CLOSED = "closed", _("意见征集结束")
    ADOPTED = "adopted", _("已通过施行")
    WITHDRAWN = "withdrawn", _("已撤回")


class AnswerKind(models.TextChoices):
    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("不予采纳")


class CommenterKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("以本企业名义")
    ORGANISATION = "organisation", _("以行业协会或组织名义")


class MeetingKind(models.TextChoices):
    HEARING = "hearing", _("听证会")
    MEETING = "meeting", _("座谈会")


class FeedbackChannel(models.TextChoices):
    VISIT = "visit", _("走访")
    MEETING = "meeting", _("座谈")
    PHONE = "phone", _("电话")
    ONLINE = "online", _("线上")
    LETTER = "letter", _("书面")
