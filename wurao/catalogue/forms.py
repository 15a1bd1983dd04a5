from django import forms
from django.utils.translation import gettext_lazy as _

from wurao.catalogue.choices import ItemKind
from wurao.common.forms import FilterFormMixin
from wurao.registry import selectors as registry_selectors


class ItemFilterForm(FilterFormMixin, forms.Form):
    q = forms.CharField(
        label=_("事项名称、编码或法规"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("如：消防、安全生产法")}),
    )
    department = forms.ModelChoiceField(
        label=_("实施部门"),
        queryset=registry_selectors.department_list(enforcement_only=True),
        required=False,
        empty_label=_("全部部门"),
    )
    kind = forms.ChoiceField(
        label=_("事项类别"), choices=[("", _("全部类别")), *ItemKind.choices], required=False
    )

    def filters(self) -> dict:
        data = self.valid_data()
        return {
            "q": data["q"].strip(),
            "department": data["department"].pk if data["department"] else None,
            "kind": data["kind"],
        }
