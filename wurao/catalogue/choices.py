from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    GENERAL = "general", _("一般检查事项")
    KEY = "key", _("重点检查事项")
