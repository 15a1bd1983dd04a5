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
