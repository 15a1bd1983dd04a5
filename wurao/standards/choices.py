from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """The kinds of text an enforcement department applies, from the strongest."""

    LAW = "law", _("法律")
    REGULATION = "regulation", _("法规")
    RULE = "rule", _("规章")
    STANDARD = "standard", _("标准")
    NORMATIVE = "normative", _("规范性文件")
    GUIDANCE = "guidance", _("执法指引")


class VersionStatus(models.TextChoices):
    """Where a version stands on a given day."""

    IN_FORCE = "in_force", _("现行有效")
    NOT_YET = "not_yet", _("尚未施行")
    SUPERSEDED = "superseded", _("已被修订")
    REPEALED = "repealed", _("已废止")
