from django.db import models


class ConflictStatus(models.TextChoices):
    REPORTED = "reported", "待受理"
    DECLINED = "declined", "不予受理"
    OPEN = "open", "待协调"
    COORDINATING = "coordinating", "协调中"
    RESOLVED = "resolved", "已解决"


# The statuses of the register proper: a conflict the justice bureau accepted.
REGISTER_STATUSES = (ConflictStatus.OPEN, ConflictStatus.COORDINATING, ConflictStatus.RESOLVED)


class Governing(models.TextChoices):
    A = "a", "以要求一为准"
    B = "b", "以要求二为准"
    JOINT = "joint", "联合解释"


class ConflictEventKind(models.TextChoices):
    STATUS = "status", "状态变更"
    STATEMENT = "statement", "部门意见"


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    OPEN = "open", "征求意见中"
    CLOSED = "closed", "意见征集结束"
    ADOPTED = "adopted", "已通过施行"
    WITHDRAWN = "withdrawn", "已撤回"


class AnswerKind(models.TextChoices):
    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    NOT_ADOPTED = "not_adopted", "不予采纳"


class CommenterKind(models.TextChoices):
    ENTERPRISE = "enterprise", "以本企业名义"
    ORGANISATION = "organisation", "以行业协会或组织名义"


class MeetingKind(models.TextChoices):
    HEARING = "hearing", "听证会"
    MEETING = "meeting", "座谈会"


class FeedbackChannel(models.TextChoices):
    VISIT = "visit", "走访"
    MEETING = "meeting", "座谈"
    PHONE = "phone", "电话"
    ONLINE = "online", "线上"
    LETTER = "letter", "书面"
