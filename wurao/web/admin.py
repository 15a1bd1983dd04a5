"""Admin plumbing: edits made in the back office enter the audit chain like any other write."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters

from wurao.audit.services import audit_record


class WuraoModelAdmin(admin.ModelAdmin):
    """The project's admin base: a list's date drill-down given a year past any calendar
    (?created_at__year=99999999999999999999) is a wrong filter instead of a 500."""

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except OverflowError as error:
            # Django catches the ValueError of an impossible date, not the OverflowError of
            # an enormous one: the admin then reopens the list with its "wrong filter" note.
            raise IncorrectLookupParameters(error) from error


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


class ReadOnlyModelAdmin(WuraoModelAdmin):
    """Evidence is written by services (which audit it), never edited by hand in the back office."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
