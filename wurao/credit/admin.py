from django.contrib import admin

from wurao.audit.admin import AuditedModelAdmin
from wurao.common.admin import ReadOnlyModelAdmin
from wurao.credit.models import (
    CommitmentItem,
    CreditCommitment,
    CreditObjection,
    CreditRepair,
    EnterpriseGrade,
    GradeChange,
    MonitoringAlert,
    PointsTableVersion,
    PositiveRecord,
)


@admin.register(PointsTableVersion)
class PointsTableVersionAdmin(ReadOnlyModelAdmin):
    """Read-only: a version is published through the editor (validated and audited), and a
    published version is never changed, since past grades name it."""

    list_display = ["version", "effective_from", "note", "created_by", "created_at"]
    list_select_related = ["created_by"]
    fields = ["version", "effective_from", "note", "created_by", "created_at", "table"]


@admin.register(EnterpriseGrade)
class EnterpriseGradeAdmin(ReadOnlyModelAdmin):
    """Read-only: grades are computed by a regrade, never typed in."""

    list_display = ["enterprise", "grade", "score", "table_version", "as_of", "computed_at"]
    list_filter = ["grade", "as_of", "table_version"]
    list_select_related = ["enterprise", "table_version"]
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    search_help_text = "按企业名称或统一社会信用代码查询"


@admin.register(GradeChange)
class GradeChangeAdmin(ReadOnlyModelAdmin):
    list_display = ["enterprise", "previous_grade", "grade", "score", "as_of", "table_version"]
    list_filter = ["grade", "as_of", "table_version"]
    list_select_related = ["enterprise", "table_version"]
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    search_help_text = "按企业名称或统一社会信用代码查询"
    date_hierarchy = "changed_at"


@admin.register(MonitoringAlert)
class MonitoringAlertAdmin(AuditedModelAdmin):
    list_display = ["date", "enterprise", "department", "source", "severity", "description"]
    list_filter = ["department", "severity", "source"]
    list_select_related = ["enterprise", "department"]
    search_fields = ["enterprise__name", "enterprise__credit_code", "external_id", "description"]
    search_help_text = "按企业名称、信用代码、来源编号或预警内容查询"
    raw_id_fields = ["enterprise"]
    date_hierarchy = "date"


@admin.register(PositiveRecord)
class PositiveRecordAdmin(AuditedModelAdmin):
    list_display = ["date", "enterprise", "department", "kind", "title"]
    list_filter = ["kind", "department"]
    list_select_related = ["enterprise", "department"]
    search_fields = ["enterprise__name", "enterprise__credit_code", "title"]
    search_help_text = "按企业名称、信用代码或名称查询"
    raw_id_fields = ["enterprise"]
    date_hierarchy = "date"


@admin.register(CommitmentItem)
class CommitmentItemAdmin(AuditedModelAdmin):
    list_display = ["code", "title", "department", "active"]
    list_filter = ["active", "department"]
    list_select_related = ["department"]
    search_fields = ["code", "title"]
    search_help_text = "按编码或承诺事项查询"


@admin.register(CreditCommitment)
class CreditCommitmentAdmin(ReadOnlyModelAdmin):
    """Read-only: signed on the portal and decided by the department, each step audited."""

    list_display = ["enterprise", "item", "signed_on", "status", "decided_on"]
    list_filter = ["status", "item__department"]
    list_select_related = ["enterprise", "item"]
    search_fields = ["enterprise__name", "enterprise__credit_code", "item__title"]
    search_help_text = "按企业名称、信用代码或承诺事项查询"


class _ReviewAdmin(ReadOnlyModelAdmin):
    """Read-only: filed by the enterprise and decided with reasons by the department through
    the services, which check the evidence and audit every decision."""

    list_display = [
        "pk",
        "enterprise",
        "record_source",
        "record_id",
        "department",
        "status",
        "filed_at",
        "due_on",
        "decided_at",
    ]
    list_filter = ["status", "record_source", "department"]
    list_select_related = ["enterprise", "department"]
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    search_help_text = "按企业名称或统一社会信用代码查询"
    exclude = ["evidence"]  # served only through the scope-checked evidence page


admin.site.register(CreditObjection, _ReviewAdmin)
admin.site.register(CreditRepair, _ReviewAdmin)
