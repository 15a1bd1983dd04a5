"""The back office's base classes (the audited one lives with the audit chain, wurao.audit.admin)."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters


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


class ReadOnlyModelAdmin(WuraoModelAdmin):
    """Evidence is written by services (which audit it), never edited by hand in the back office."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
