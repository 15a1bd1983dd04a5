from django.contrib import admin

from wurao.common.admin import ReadOnlyModelAdmin
from wurao.enforcement.models import EnforcementAction


@admin.register(EnforcementAction)
class EnforcementActionAdmin(ReadOnlyModelAdmin):
    """Read-only: actions are recorded through services and imports, which write the audit chain."""

    list_display = [
        "date",
        "enterprise",
        "department",
        "department_level",
        "kind",
        "origin",
        "joint_ref",
    ]
    list_filter = ["kind", "origin", "department_level", "department"]
    list_select_related = ["enterprise", "department"]
    search_fields = ["=enterprise__credit_code", "=joint_ref"]
    search_help_text = "按企业统一社会信用代码或联合检查编号（完整）查询"
    raw_id_fields = ["enterprise", "items", "officers"]
    show_full_result_count = False
    list_per_page = 50
