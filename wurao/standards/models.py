"""The standards library: a document (a law, a regulation, a standard, a guide), its versions
with the dates they bind from and to, and each version's articles, the unit of citation and of
search."""

from django.db import models

from wurao.standards.choices import DocumentKind


class Document(models.Model):
    title = models.CharField("名称", max_length=200)
    # A short number or designation: "GB 50016-2014", "国务院令第722号".
    designation = models.CharField("文号或标准号", max_length=100, blank=True)
    kind = models.CharField("类别", max_length=20, choices=DocumentKind.choices)
    issuer = models.CharField("制定机关", max_length=100, blank=True)
    # The department that enforces it (none: several, or general law such as 《行政处罚法》).
    department = models.ForeignKey(
        "registry.Department",
        verbose_name="执法部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="standard_documents",
    )
    topics = models.JSONField("主题", default=list, blank=True)
    # Industry sections or codes (GB/T 4754) it concerns; empty: every industry.
    industries = models.JSONField("适用行业", default=list, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "执法标准与政策"
        verbose_name_plural = "执法标准与政策"
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return f"《{self.title}》"


class DocumentVersion(models.Model):
    document = models.ForeignKey(
        Document, verbose_name="文件", on_delete=models.CASCADE, related_name="versions"
    )
    label = models.CharField("版本", max_length=100, blank=True)  # "2021年修订"
    effective_from = models.DateField("施行日期")
    effective_to = models.DateField("废止日期", null=True, blank=True)
    source_name = models.CharField("来源文件", max_length=255, blank=True)
    source_sha256 = models.CharField("来源文件摘要", max_length=64, blank=True)
    created_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "文件版本"
        verbose_name_plural = "文件版本"
        ordering = ["document", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "effective_from"], name="standards_version_one_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} {self.label or self.effective_from}"


class Article(models.Model):
    """One article (条) or clause (款, "5.3.2"): what is cited, linked and searched."""

    version = models.ForeignKey(
        DocumentVersion, verbose_name="版本", on_delete=models.CASCADE, related_name="articles"
    )
    position = models.PositiveIntegerField("顺序")
    number = models.CharField("条号", max_length=40)  # "第十条", "5.3.2"
    # The article's anchor in its version's page ("a10", "c5-3-2"): stable across versions.
    anchor = models.CharField("锚点", max_length=60)
    heading = models.CharField("章节", max_length=200, blank=True)
    text = models.TextField("条文")

    class Meta:
        verbose_name = "条文"
        verbose_name_plural = "条文"
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "anchor"], name="standards_article_anchor"),
        ]

    def __str__(self) -> str:
        return f"{self.version.document}{self.number}"
