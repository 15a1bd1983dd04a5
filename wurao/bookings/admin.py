from django.contrib import admin

from wurao.bookings.models import Booking, ServiceTeam, Slot
from wurao.common.admin import ReadOnlyModelAdmin

# Read-only: teams, slots and bookings are written through the pages and the API, whose services
# hold the slot's lock (capacity) and write the audit events.


@admin.register(ServiceTeam)
class ServiceTeamAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "kind", "provider", "department", "street", "active"]
    list_filter = ["kind", "active"]
    list_select_related = ["department", "street"]
    search_fields = ["name", "provider"]
    search_help_text = "按队伍名称或服务机构查询"


@admin.register(Slot)
class SlotAdmin(ReadOnlyModelAdmin):
    list_display = ["team", "kind", "date", "start", "end", "capacity", "place"]
    list_filter = ["kind", "date"]
    list_select_related = ["team"]
    search_fields = ["team__name", "topic"]
    search_help_text = "按队伍名称或主题查询"


@admin.register(Booking)
class BookingAdmin(ReadOnlyModelAdmin):
    list_display = ["enterprise", "slot", "status", "people", "booked_at"]
    list_filter = ["status", "slot__kind"]
    list_select_related = ["enterprise", "slot", "slot__team"]
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    search_help_text = "按企业名称或统一社会信用代码查询"
