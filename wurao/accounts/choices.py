from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    JUSTICE = "justice", _("司法局（执法监督）")
    DEPT_ADMIN = "dept_admin", _("部门管理员")
    INSPECTOR = "inspector", _("执法人员")
    STREET = "street", _("街道协调员")
    ENTERPRISE = "enterprise", _("企业用户")
