from django.contrib import admin

from wurao.audit.admin import AuditedModelAdmin
from wurao.common.admin import ReadOnlyModelAdmin
from wurao.planning.models import (
    Campaign,
    DepartmentCapacity,
    EnterpriseSlot,
    Holiday,
    JointVisit,
    MonthlyPlan,
    ParkDay,
    ParkDaySetting,
    PlannedInspection,
    ScheduleRun,
)

# Holidays and capacities are reference data kept by hand; everything else is written by
# the planning services (which audit it) and only read here.


@admin.register(Holiday)
class HolidayAdmin(AuditedModelAdmin):
    list_display = ["date", "name", "is_workday"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(DepartmentCapacity)
class DepartmentCapacityAdmin(AuditedModelAdmin):
    list_display = ["department", "teams", "hours_per_team"]
    list_select_related = ["department"]
    search_fields = ["department__name", "department__code"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "department", "starts_on", "ends_on", "document_no", "published_at"]
    list_select_related = ["department"]
    list_filter = ["department"]
    search_fields = ["title", "document_no"]


@admin.register(MonthlyPlan)
class MonthlyPlanAdmin(ReadOnlyModelAdmin):
    list_display = ["month", "department", "status", "submitted_at", "locked_at"]
    list_select_related = ["department"]
    list_filter = ["status", "month"]


@admin.register(PlannedInspection)
class PlannedInspectionAdmin(ReadOnlyModelAdmin):
    list_display = ["plan", "enterprise", "earliest", "latest", "hours", "origin", "status"]
    list_select_related = ["plan__department", "enterprise"]
    list_filter = ["status", "origin"]
    search_fields = ["=enterprise__credit_code"]
    raw_id_fields = ["enterprise", "joint_visit"]
    show_full_result_count = False
    list_per_page = 50


@admin.register(EnterpriseSlot)
class EnterpriseSlotAdmin(ReadOnlyModelAdmin):
    list_display = ["date", "enterprise", "kind", "note"]
    list_select_related = ["enterprise"]
    list_filter = ["kind"]
    raw_id_fields = ["enterprise"]
    show_full_result_count = False


@admin.register(ScheduleRun)
class ScheduleRunAdmin(ReadOnlyModelAdmin):
    list_display = ["month", "created_at", "method", "status", "planned", "visits", "lower_bound"]
    list_filter = ["month"]


@admin.register(JointVisit)
class JointVisitAdmin(ReadOnlyModelAdmin):
    list_display = ["date", "enterprise", "street", "status", "change_requested"]
    list_select_related = ["enterprise", "street"]
    list_filter = ["status", "change_requested", "street"]
    search_fields = ["=enterprise__credit_code"]
    raw_id_fields = ["enterprise", "visit"]
    show_full_result_count = False
    list_per_page = 50


@admin.register(ParkDaySetting)
class ParkDaySettingAdmin(ReadOnlyModelAdmin):
    list_display = ["street", "weekday"]
    list_select_related = ["street"]


@admin.register(ParkDay)
class ParkDayAdmin(ReadOnlyModelAdmin):
    list_display = ["code", "date", "street", "status", "park"]
    list_select_related = ["street", "park"]
    list_filter = ["status", "street"]
