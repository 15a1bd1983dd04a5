from django.db import models

from wurao.registry.choices import EnterpriseKind, EnterpriseStatus, Level, SizeClass


class Street(models.Model):
    """街道: the unit a street coordinator is responsible for."""

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)

    class Meta:
        verbose_name = "街道"
        verbose_name_plural = "街道"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Community(models.Model):
    street = models.ForeignKey(
        Street, verbose_name="街道", on_delete=models.PROTECT, related_name="communities"
    )
    code = models.CharField("区划代码", max_length=15, unique=True)
    name = models.CharField("名称", max_length=50)

    class Meta:
        verbose_name = "社区"
        verbose_name_plural = "社区"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "name"], name="community_unique_name_in_street"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Park(models.Model):
    street = models.ForeignKey(
        Street, verbose_name="街道", on_delete=models.PROTECT, related_name="parks"
    )
    code = models.CharField("编号", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100, unique=True)

    class Meta:
        verbose_name = "园区"
        verbose_name_plural = "园区"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """An enforcement body, or an organisation that visits enterprises without enforcing (工会, 妇联…)."""

    code = models.CharField("简码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100, unique=True)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    street = models.ForeignKey(
        Street,
        verbose_name="所在街道（街道、社区级）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    is_enforcement = models.BooleanField("是否执法主体", default=True)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["-is_enforcement", "level", "code"]

    def __str__(self) -> str:
        return self.name


class Inspector(models.Model):
    badge_no = models.CharField("执法证号", max_length=30, unique=True)
    name = models.CharField("姓名", max_length=50)
    department = models.ForeignKey(
        Department, verbose_name="所属部门", on_delete=models.PROTECT, related_name="inspectors"
    )
    expertise = models.JSONField("专业领域", default=list, blank=True)
    certificate_valid_until = models.DateField("执法证有效期至", null=True, blank=True)
    active = models.BooleanField("在岗", default=True)

    class Meta:
        verbose_name = "执法人员"
        verbose_name_plural = "执法人员"
        ordering = ["badge_no"]

    def __str__(self) -> str:
        return f"{self.name}（{self.badge_no}）"


class RiskTag(models.Model):
    """A risk feature that decides which items apply and how closely to watch (危化品, 粉尘涉爆…)."""

    code = models.CharField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    description = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "风险标签"
        verbose_name_plural = "风险标签"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Enterprise(models.Model):
    """商事主体: an enterprise, an individual business or another market entity."""

    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("名称", max_length=200, db_index=True)
    kind = models.CharField(
        "类型", max_length=12, choices=EnterpriseKind.choices, default=EnterpriseKind.ENTERPRISE
    )
    address = models.CharField("地址", max_length=300, blank=True)
    division = models.CharField(
        "行政区划代码", max_length=6, default="440309", help_text="GB/T 2260，用于分区分片"
    )
    street = models.ForeignKey(
        Street, verbose_name="街道", on_delete=models.PROTECT, related_name="enterprises"
    )
    community = models.ForeignKey(
        Community, verbose_name="社区", null=True, blank=True, on_delete=models.PROTECT
    )
    park = models.ForeignKey(
        Park, verbose_name="园区", null=True, blank=True, on_delete=models.PROTECT
    )
    industry_section = models.CharField(
        "行业门类", max_length=1, blank=True, help_text="GB/T 4754 门类字母"
    )
    industry_code = models.CharField(
        "行业代码", max_length=4, blank=True, help_text="GB/T 4754 四位小类"
    )
    above_scale = models.BooleanField("规上", default=False)
    four_above = models.BooleanField("四上", default=False)
    size_class = models.CharField("规模", max_length=8, choices=SizeClass.choices, blank=True)
    risk_tags = models.ManyToManyField(
        RiskTag, verbose_name="风险标签", blank=True, related_name="enterprises"
    )
    established = models.DateField("成立日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=EnterpriseStatus.choices, default=EnterpriseStatus.ACTIVE
    )
    employees = models.PositiveIntegerField("从业人数", null=True, blank=True)

    class Meta:
        verbose_name = "企业（商事主体）"
        verbose_name_plural = "企业（商事主体）"
        ordering = ["credit_code"]
        indexes = [
            models.Index(fields=["street", "kind"]),
            models.Index(fields=["division", "credit_code"]),
        ]

    def __str__(self) -> str:
        return self.name


class TableVersion(models.Model):
    """A token per table that database triggers replace with a new random value whenever a
    transaction that wrote the table commits (wurao/registry/versions.py): reads cached under
    the tokens of the tables they read are never served after a write to any of them."""

    table = models.CharField("表", max_length=63, primary_key=True)
    token = models.CharField("版本标记", max_length=36)

    class Meta:
        verbose_name = "数据版本"
        verbose_name_plural = "数据版本"

    def __str__(self) -> str:
        return f"{self.table} {self.token}"
