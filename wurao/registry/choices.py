from django.db import models


class Level(models.TextChoices):
    CITY = "city", "市级"
    DISTRICT = "district", "区级"
    STREET = "street", "街道级"
    COMMUNITY = "community", "社区级"


class EnterpriseKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    INDIVIDUAL = "individual", "个体工商户"
    OTHER = "other", "其他"


class SizeClass(models.TextChoices):
    MICRO = "micro", "微型"
    SMALL = "small", "小型"
    MEDIUM = "medium", "中型"
    LARGE = "large", "大型"


class EnterpriseStatus(models.TextChoices):
    ACTIVE = "active", "存续"
    SUSPENDED = "suspended", "停业"
    CANCELLED = "cancelled", "注销"
    REVOKED = "revoked", "吊销"
