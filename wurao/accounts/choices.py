from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # The default: an account nobody gave a role may do and see nothing (fail closed).
    NONE = "none", _("未分配角色")
    JUSTICE = "justice", _("司法局（执法监督）")
    DEPT_ADMIN = "dept_admin", _("部门管理员")
    INSPECTOR = "inspector", _("执法人员")
    STREET = "street", _("街道协调员")
    ENTERPRISE = "enterprise", _("企业用户")


# The government side signs in with a second factor (等保2.0 三级：双因素鉴别); an enterprise
# user reads only its own file and signs in with its password.
STAFF_ROLES = frozenset({Role.JUSTICE, Role.DEPT_ADMIN, Role.INSPECTOR, Role.STREET})
