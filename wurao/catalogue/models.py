from django.db import models

from wurao.catalogue.choices import ItemKind


class InspectionItem(models.Model):
    """检查事项: a published item a department may inspect. 清单之外无事项."""

    department = models.ForeignKey(
        "registry.Department",
        verbose_name="实施部门",
        on_delete=models.PROTECT,
        related_name="items",
    )
    code = models.CharField("事项编码", max_length=40, unique=True)
    name = models.CharField("事项名称", max_length=200)
    law = models.CharField("法律依据（法规名称）", max_length=200)
    article = models.CharField("条款", max_length=100, blank=True)
    applicable_tags = models.ManyToManyField(
        "registry.RiskTag", verbose_name="适用风险标签", blank=True, related_name="items"
    )
    applicable_industries = models.JSONField(
        "适用行业门类", default=list, blank=True, help_text="GB/T 4754 门类字母；空表示不限"
    )
    check_points = models.TextField("检查要点", blank=True)
    kind = models.CharField(
        "事项类别", max_length=10, choices=ItemKind.choices, default=ItemKind.GENERAL
    )
    active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "检查事项"
        verbose_name_plural = "检查事项清单"
        ordering = ["department_id", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def legal_basis(self) -> str:
        return f"《{self.law}》{self.article}" if self.article else f"《{self.law}》"


class ItemArticleLink(models.Model):
    """An item enforces an article of the standards library (the article its legal basis cites,
    or a technical clause it checks): shown on the item and on the article."""

    item = models.ForeignKey(
        InspectionItem,
        verbose_name="检查事项",
        on_delete=models.CASCADE,
        related_name="article_links",
    )
    article = models.ForeignKey(
        "standards.Article",
        verbose_name="条文",
        on_delete=models.CASCADE,
        related_name="item_links",
    )
    created_at = models.DateTimeField("关联时间", auto_now_add=True)

    class Meta:
        verbose_name = "事项关联条文"
        verbose_name_plural = "事项关联条文"
        ordering = ["item", "article__version__document__title", "article__position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "article"], name="catalogue_item_article_once")
        ]

    def __str__(self) -> str:
        return f"{self.item.code} → {self.article}"
