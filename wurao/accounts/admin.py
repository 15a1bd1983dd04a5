from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from wurao.accounts.models import User
from wurao.accounts.services import user_admin_save, user_password_set_record
from wurao.accounts.services_login import two_factor_reset
from wurao.audit.admin import AuditedModelAdmin

ROLE_FIELDS = ["role", "department", "street", "enterprise", "inspector"]


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    """Accounts in the back office. A new account is given its role and anchor on the same
    form (without them it may do nothing); every save goes through user_admin_save, which
    records a change of role, anchor or status with the values before and after; a deletion
    and a password set here are audited too."""

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
    raw_id_fields = ["enterprise", "inspector"]
    readonly_fields = ["two_factor_exempt"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("角色与范围"), {"fields": [*ROLE_FIELDS, "two_factor_exempt"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (
            _("角色与范围"),
            {
                "description": _(
                    "部门管理员和执法人员须指定所属部门（执法人员另须指定对应执法人员），"
                    "街道协调员须指定所属街道，企业用户须指定所属企业；未分配角色的账号不能使用任何功能。"
                ),
                "fields": ROLE_FIELDS,
            },
        ),
    ]
    actions = ["reset_two_factor"]

    def save_model(self, request, obj, form, change):
        user_admin_save(actor=request.user, user=obj, changed=form.changed_data)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:  # the new password saved
            user_password_set_record(actor=request.user, user=self.get_object(request, id))
        return response

    @admin.action(description=_("重置两步验证（手机丢失或更换）"))
    def reset_two_factor(self, request, queryset):
        removed = sum(1 for user in queryset if two_factor_reset(actor=request.user, user=user) > 0)
        self.message_user(
            request,
            ngettext(
                "已重置 %(count)d 个账号的两步验证，下次登录时须重新设置验证器。",
                "已重置 %(count)d 个账号的两步验证，下次登录时须重新设置验证器。",
                removed,
            )
            % {"count": removed},
            messages.SUCCESS,
        )


# Authenticators are set up by their owners on the second-factor page and removed only by the
# audited reset above, never edited by hand (django-otp registers an admin for them).
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
