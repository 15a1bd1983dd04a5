from django.contrib import admin

from wurao.audit.admin import AuditedModelAdmin
from wurao.catalogue.models import InspectionItem


@admin.register(InspectionItem)
class InspectionItemAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "department", "kind", "law", "article", "active"]
    list_filter = ["active", "kind", "department"]
    list_select_related = ["department"]
    search_fields = ["^code", "name", "law"]
    filter_horizontal = ["applicable_tags"]
