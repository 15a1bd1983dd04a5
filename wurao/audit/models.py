from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One append-only entry of the hash-chained audit log (see engine.py)."""

    seq = models.PositiveBigIntegerField("序号", unique=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        # The log is append-only: deleting a user must not rewrite its events.
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField("操作人标识", max_length=150)
    verb = models.CharField("动作", max_length=80, db_index=True)
    object_type = models.CharField("对象类型", max_length=80)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    payload = models.JSONField("内容", default=dict)
    created_at = models.CharField("时间", max_length=40)
    prev_hash = models.CharField("前一事件哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64, unique=True)

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_label} {self.verb} {self.object_type}:{self.object_id}"


class AuditAnchor(models.Model):
    """The chain's head signed by a key kept outside the database (engine.py, signing.py).

    The first anchor signed on a day (Beijing time) is that day's head (`daily`), kept and
    published for good; the others, signed every few minutes, are kept a month. The public key
    is stored to show and export it; verifying trusts only the keys configured outside the
    database (keys.trusted_public_keys)."""

    seq = models.PositiveBigIntegerField("链头事件序号", db_index=True)
    hash = models.CharField("链头事件哈希", max_length=64)
    signed_at = models.CharField("签名时间", max_length=40)
    signature = models.CharField("签名", max_length=128)
    public_key = models.CharField("公钥", max_length=64)
    day = models.DateField("签名日期")
    daily = models.BooleanField("每日链头", default=False)

    class Meta:
        verbose_name = "审计锚点"
        verbose_name_plural = "审计锚点"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["day"], condition=models.Q(daily=True), name="audit_one_daily_anchor"
            )
        ]

    def __str__(self) -> str:
        return f"锚点 #{self.pk} 第 {self.seq} 号事件 {self.signed_at}"
