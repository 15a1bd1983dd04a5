from django.contrib import admin

from wurao.common.admin import ReadOnlyModelAdmin
from wurao.visits.models import Visit, VisitRefusal, VisitRuleVersion


@admin.register(Visit)
class VisitAdmin(ReadOnlyModelAdmin):
    list_display = ["code", "date", "enterprise", "department", "kind", "origin", "status"]
    list_filter = ["kind", "origin", "status", "after_the_fact"]
    list_select_related = ["enterprise", "department"]
    search_fields = ["=code", "=enterprise__credit_code"]
    raw_id_fields = ["enterprise"]
    show_full_result_count = False
    list_per_page = 50


@admin.register(VisitRefusal)
class VisitRefusalAdmin(ReadOnlyModelAdmin):
    list_display = ["date", "enterprise", "department", "origin", "refused_by_rules_at"]
    list_select_related = ["enterprise", "department"]
    raw_id_fields = ["enterprise"]
    show_full_result_count = False


@admin.register(VisitRuleVersion)
class VisitRuleVersionAdmin(ReadOnlyModelAdmin):
    list_display = ["version", "effective_from", "created_by", "created_at"]
