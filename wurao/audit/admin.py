from django.contrib import admin

from wurao.audit.models import AuditEvent
from wurao.web.admin import WuraoModelAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(WuraoModelAdmin):
    list_display = ["seq", "actor_label", "verb", "object_type", "object_id", "created_at"]
    list_filter = ["verb", "object_type"]
    search_fields = ["actor_label", "object_id", "verb"]

    # The log is append-only: nobody edits or deletes through the admin.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
