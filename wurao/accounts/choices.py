from django.db import models


class Role(models.TextChoices):
    JUSTICE = "justice", "司法局（执法监督）"
    DEPT_ADMIN = "dept_admin", "部门管理员"
    INSPECTOR = "inspector", "执法人员"
    STREET = "street", "街道协调员"
    ENTERPRISE = "enterprise", "企业用户"
