from django.contrib import admin

from wurao.audit.admin import AuditedModelAdmin
from wurao.common.admin import ReadOnlyModelAdmin
from wurao.sampling.models import (
    ConflictOfInterest,
    DrawParticipant,
    DrawResult,
    DrawSelection,
    DrawTask,
    DrawTeamMember,
)


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DrawParticipantInline(_ReadOnlyInline):
    model = DrawParticipant
    fields = ["department", "items", "team_size", "team_size_reason", "roster", "exclusions"]


@admin.register(DrawTask)
class DrawTaskAdmin(ReadOnlyModelAdmin):
    """Read-only: a task moves from draft to closed only through the services, each step
    audited; an edit here could change a committed snapshot or a published draw."""

    list_display = [
        "code",
        "title",
        "lead_department",
        "status",
        "candidate_count",
        "total",
        "window_start",
        "window_end",
        "committed_at",
        "drawn_at",
    ]
    list_filter = ["status", "lead_department"]
    list_select_related = ["lead_department"]
    search_fields = ["code", "title"]
    search_help_text = "按任务编号或任务名称查询"
    date_hierarchy = "created_at"
    inlines = [DrawParticipantInline]
    fieldsets = [
        (None, {"fields": ["code", "title", "status", "lead_department", "created_by"]}),
        (
            "范围与抽取数",
            {
                "fields": [
                    "scope",
                    "size_mode",
                    "size_value",
                    "weights",
                    "grade_table",
                    "window_start",
                    "window_end",
                ]
            },
        ),
        (
            "承诺（抽取前公开）",
            {
                "fields": [
                    "commitment",
                    "snapshot_digest",
                    "candidate_count",
                    "total",
                    "quotas",
                    "committed_at",
                ]
            },
        ),
        (
            "抽取与办结",
            {
                "fields": [
                    "external_entropy",
                    "observer",
                    "result_digest",
                    "drawn_at",
                    "closed_at",
                ]
            },
        ),
    ]


class DrawTeamMemberInline(_ReadOnlyInline):
    model = DrawTeamMember
    fields = ["participant", "rank", "inspector"]
    ordering = ["participant", "rank"]


@admin.register(DrawSelection)
class DrawSelectionAdmin(ReadOnlyModelAdmin):
    list_display = ["task", "enterprise", "stratum"]
    list_filter = ["task__status", "stratum"]
    list_select_related = ["task", "enterprise"]
    search_fields = ["=task__code", "=enterprise__credit_code"]
    search_help_text = "按任务编号或企业统一社会信用代码（完整）查询"
    inlines = [DrawTeamMemberInline]
    show_full_result_count = False
    list_per_page = 50


@admin.register(DrawResult)
class DrawResultAdmin(ReadOnlyModelAdmin):
    """Read-only: a result is entered through the service, which also files the enforcement
    action in the enterprise's record."""

    list_display = ["task", "enterprise", "department", "category", "inspected_on", "recorded_by"]
    list_filter = ["category", "participant__department"]
    list_select_related = [
        "selection__task",
        "selection__enterprise",
        "participant__department",
        "recorded_by",
    ]
    search_fields = ["=selection__task__code", "=selection__enterprise__credit_code"]
    search_help_text = "按任务编号或企业统一社会信用代码（完整）查询"
    show_full_result_count = False
    list_per_page = 50

    @admin.display(description="任务", ordering="selection__task__code")
    def task(self, obj: DrawResult) -> str:
        return obj.selection.task.code

    @admin.display(description="企业")
    def enterprise(self, obj: DrawResult) -> str:
        return str(obj.selection.enterprise)

    @admin.display(description="部门")
    def department(self, obj: DrawResult) -> str:
        return str(obj.participant.department)


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(AuditedModelAdmin):
    """Declared conflicts (回避) are entered here; each edit is audited, and a task committed
    afterwards excludes the officer from that enterprise (a committed task keeps its list)."""

    list_display = ["inspector", "enterprise", "reason", "declared_at"]
    list_filter = ["inspector__department"]
    list_select_related = ["inspector", "enterprise"]
    search_fields = ["=inspector__badge_no", "inspector__name", "=enterprise__credit_code"]
    search_help_text = "按执法证号、执法人员姓名或企业统一社会信用代码（完整）查询"
    # The registry holds hundreds of thousands of enterprises: no select box.
    raw_id_fields = ["inspector", "enterprise"]
