from django.contrib import admin

from wurao.audit.admin import AuditedModelAdmin
from wurao.registry.models import (
    Community,
    Department,
    Enterprise,
    Inspector,
    Park,
    RiskTag,
    Street,
)


@admin.register(Street)
class StreetAdmin(AuditedModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(Community)
class CommunityAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "street"]
    list_filter = ["street"]
    list_select_related = ["street"]
    search_fields = ["name", "code"]


@admin.register(Park)
class ParkAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "street"]
    list_filter = ["street"]
    list_select_related = ["street"]
    search_fields = ["name", "code"]


@admin.register(Department)
class DepartmentAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "level", "is_enforcement", "parent", "street"]
    list_filter = ["level", "is_enforcement"]
    list_select_related = ["parent", "street"]
    search_fields = ["name", "code"]


@admin.register(Inspector)
class InspectorAdmin(AuditedModelAdmin):
    list_display = ["badge_no", "name", "department", "certificate_valid_until", "active"]
    list_filter = ["active", "department"]
    list_select_related = ["department"]
    search_fields = ["^badge_no", "name"]


@admin.register(RiskTag)
class RiskTagAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "description"]
    search_fields = ["code", "name"]


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedModelAdmin):
    list_display = ["credit_code", "name", "kind", "street", "size_class", "above_scale", "status"]
    list_filter = ["street", "kind", "size_class", "above_scale", "status"]
    list_select_related = ["street"]
    # "^" is a prefix match, which the unique index on credit_code answers at district scale.
    search_fields = ["^credit_code", "name"]
    search_help_text = "按企业名称关键字或统一社会信用代码（前缀）查询"
    raw_id_fields = ["community", "park"]
    filter_horizontal = ["risk_tags"]
    # The registry holds hundreds of thousands of rows: no second COUNT over the whole table.
    show_full_result_count = False
    list_per_page = 50
