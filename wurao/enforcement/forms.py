from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wurao.common.forms import FilterFormMixin
from wurao.enforcement.choices import ActionKind, Mode, Origin
from wurao.registry import selectors as registry_selectors


class ActionFilterForm(FilterFormMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, empty_value=None, required=False)
    kind = forms.ChoiceField(
        label=_("类别"), choices=[("", _("全部类别")), *ActionKind.choices], required=False
    )
    origin = forms.ChoiceField(
        label=_("来源"), choices=[("", _("全部来源")), *Origin.choices], required=False
    )
    mode = forms.ChoiceField(
        label=_("检查方式"), choices=[("", _("全部方式")), *Mode.choices], required=False
    )
    department = forms.ModelChoiceField(
        label=_("执法部门"),
        queryset=registry_selectors.department_list(enforcement_only=True),
        required=False,
        empty_label=_("全部部门"),
    )
    # Set by the link from an enterprise's file; not shown as a field.
    enterprise = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, years: list[int], department_choice: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [
            ("", _("全部年度")),
            *((y, gettext("%(year)s 年") % {"year": y}) for y in years),
        ]
        # Only the justice bureau looks across departments; a department's list is already its own.
        if not department_choice:
            del self.fields["department"]

    def filters(self) -> dict:
        data = self.valid_data()
        department = data.get("department")
        return {
            "year": data["year"],
            "kind": data["kind"],
            "origin": data["origin"],
            "mode": data["mode"],
            "department": department.pk if department else None,
            "enterprise": data["enterprise"],
        }
