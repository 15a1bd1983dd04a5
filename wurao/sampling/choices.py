from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    COMMITTED = "committed", _("已承诺（待抽取）")
    DRAWN = "drawn", _("已抽取")
    IN_PROGRESS = "in_progress", _("检查中")
    CLOSED = "closed", _("已办结")


class SizeMode(models.TextChoices):
    TOTAL = "total", _("抽取总数")
    RATIO = "ratio", _("抽取比例")


class ResultCategory(models.TextChoices):
    """The standard result categories of 双随机 inspections published nationwide."""

    NO_PROBLEM = "no_problem", _("未发现问题")
    CORRECTED = "corrected", _("发现问题已责令改正")
    FOLLOW_UP = "follow_up", _("发现问题待后续处理")
    NOT_DISCLOSED = "not_disclosed", _("未按规定公示应当公示的信息")
    REFUSED = "refused", _("不配合检查")
    UNREACHABLE = "unreachable", _("通过登记的住所（经营场所）无法联系")
    OTHER = "other", _("其他")


# Strata in listed order (spec §5); U is "unrated".
GRADE_STRATA = ["A", "B", "C", "D", "U"]
DEFAULT_WEIGHTS = {"A": "0.5", "B": "1", "C": "2", "D": "4", "U": "1"}
