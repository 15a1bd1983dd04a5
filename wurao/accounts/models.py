from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wurao.accounts.choices import Role


class User(AbstractUser):
    """A person who signs in. The role and its anchor decide what they may see."""

    # No account gets a role it was not given: a new account sees and may do nothing until an
    # administrator chooses its role and anchor.
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.NONE)
    department = models.ForeignKey(
        "registry.Department",
        verbose_name="所属部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    street = models.ForeignKey(
        "registry.Street", verbose_name="所属街道", null=True, blank=True, on_delete=models.PROTECT
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="所属企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    # The enforcement officer this account signs in as (执法人员账号对应的执法证).
    inspector = models.OneToOneField(
        "registry.Inspector",
        verbose_name="对应执法人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )

    # Set only by the demo builder (wurao demo): the demo's shared accounts sign in without a
    # second factor where two-factor sign-in is required. Not editable in the back office.
    two_factor_exempt = models.BooleanField("免两步验证（演示账号）", default=False, editable=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def clean(self) -> None:
        """Each role has its one anchor, and no other: a department for its administrators and
        inspectors (an inspector account also names its officer), a street for its coordinator,
        an enterprise for its user. The justice bureau and an account without a role have none."""
        required = {
            Role.DEPT_ADMIN: ("department", _("部门管理员必须指定所属部门")),
            Role.INSPECTOR: ("department", _("执法人员必须指定所属部门")),
            Role.STREET: ("street", _("街道协调员必须指定所属街道")),
            Role.ENTERPRISE: ("enterprise", _("企业用户必须指定所属企业")),
        }
        errors = {}
        if self.role in required:
            field, message = required[Role(self.role)]
            if getattr(self, f"{field}_id") is None:
                errors[field] = message
        for field, roles, message in (
            (
                "department",
                {Role.DEPT_ADMIN, Role.INSPECTOR},
                _("该角色不属于某个部门，请清空所属部门"),
            ),
            ("street", {Role.STREET}, _("该角色不属于某个街道，请清空所属街道")),
            ("enterprise", {Role.ENTERPRISE}, _("该角色不属于某家企业，请清空所属企业")),
            (
                "inspector",
                {Role.INSPECTOR},
                _("只有执法人员账号才能对应执法人员，请清空对应执法人员"),
            ),
        ):
            if self.role not in roles and getattr(self, f"{field}_id") is not None:
                errors[field] = message
        if (
            "inspector" not in errors
            and self.inspector_id
            and self.inspector.department_id != self.department_id
        ):
            errors["inspector"] = _("执法人员须属于该账号所属部门")
        if errors:
            raise ValidationError(errors)
