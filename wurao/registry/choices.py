from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    CITY = "city", _("市级")
    DISTRICT = "district", _("区级")
    STREET = "street", _("街道级")
    COMMUNITY = "community", _("社区级")


class EnterpriseKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    INDIVIDUAL = "individual", _("个体工商户")
    OTHER = "other", _("其他")


class SizeClass(models.TextChoices):
    MICRO = "micro", _("微型")
    SMALL = "small", _("小型")
    MEDIUM = "medium", _("中型")
    LARGE = "large", _("大型")


class EnterpriseStatus(models.TextChoices):
    ACTIVE = "active", _("存续")
    SUSPENDED = "suspended", _("停业")
    CANCELLED = "cancelled", _("注销")
    REVOKED = "revoked", _("吊销")
