from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from wurao.accounts.choices import Role


class User(AbstractUser):
    """A person who signs in. The role and its anchor decide what they may see."""

    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.JUSTICE)
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

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def clean(self) -> None:
        anchors = {
            Role.DEPT_ADMIN: ("department", "部门管理员必须指定所属部门"),
            Role.INSPECTOR: ("department", "执法人员必须指定所属部门"),
            Role.STREET: ("street", "街道协调员必须指定所属街道"),
            Role.ENTERPRISE: ("enterprise", "企业用户必须指定所属企业"),
        }
        if self.role in anchors:
            field, message = anchors[Role(self.role)]
            if getattr(self, f"{field}_id") is None:
                raise ValidationError({field: message})
        if self.inspector_id and self.inspector.department_id != self.department_id:
            raise ValidationError({"inspector": "执法人员须属于该账号所属部门"})
