from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from wurao.accounts.models import User
from wurao.common.admin import WuraoModelAdmin


@admin.register(User)
class UserAdmin(WuraoModelAdmin, BaseUserAdmin):
    list_display = [
        "username",
        "last_name",
        "first_name",
        "role",
        "department",
        "street",
        "enterprise",
        "is_active",
    ]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["enterprise"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("角色与范围", {"fields": ["role", "department", "street", "enterprise"]}),
    ]
