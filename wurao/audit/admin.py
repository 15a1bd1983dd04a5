from django.contrib import admin

from wurao.audit.models import AuditAnchor, AuditEvent
from wurao.audit.services import audit_record
from wurao.common.admin import WuraoModelAdmin


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


@admin.register(AuditAnchor)
class AuditAnchorAdmin(WuraoModelAdmin):
    list_display = ["id", "seq", "signed_at", "daily", "hash"]
    list_filter = ["daily"]

    # Anchors are signed by `wurao audit_anchor` and the worker, never typed in.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedModelAdmin(WuraoModelAdmin):
    """Records each admin save and delete as an audit event, so back-office edits are traceable too."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        verb = "change" if change else "create"
        audit_record(
            actor=request.user,
            verb=f"{obj._meta.model_name}.admin_{verb}",
            obj=obj,
            payload={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request, obj):
        pk, label = obj.pk, obj._meta.label_lower
        super().delete_model(request, obj)
        audit_record(
            actor=request.user,
            verb=f"{obj._meta.model_name}.admin_delete",
            object_type=label,
            object_id=str(pk),
            payload={"repr": str(obj)},
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
