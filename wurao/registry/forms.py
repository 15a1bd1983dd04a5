"""Filter forms for the registry pages. Each turns a GET query into the selector's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wurao.common.forms import FilterFormMixin
from wurao.registry import selectors
from wurao.registry.choices import EnterpriseKind, SizeClass
from wurao.registry.models import Department


def _blank(label: str, choices) -> list[tuple[str, str]]:
    return [("", label), *choices]


class EnterpriseFilterForm(FilterFormMixin, forms.Form):
    q = forms.CharField(
        label=_("名称或信用代码"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("企业名称关键字，或信用代码前几位")}),
    )
    street = forms.ModelChoiceField(
        label=_("街道"), queryset=selectors.street_list(), required=False, empty_label=_("全部街道")
    )
    kind = forms.ChoiceField(
        label=_("类型"), choices=_blank(_("全部类型"), EnterpriseKind.choices), required=False
    )
    size_class = forms.ChoiceField(
        label=_("规模"), choices=_blank(_("全部规模"), SizeClass.choices), required=False
    )
    risk_tag = forms.ModelChoiceField(
        label=_("风险标签"),
        queryset=selectors.risk_tag_list(),
        to_field_name="code",
        required=False,
        empty_label=_("全部风险标签"),
    )
    above_scale = forms.BooleanField(label=_("仅规上企业"), required=False)

    def __init__(self, *args, street_fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # A street coordinator only ever sees their own street: the choice would be noise.
        if street_fixed:
            del self.fields["street"]

    def filters(self) -> dict:
        data = self.valid_data()
        return {
            "q": data["q"].strip(),
            "street": data["street"].pk if data.get("street") else None,
            "kind": data["kind"],
            "size_class": data["size_class"],
            "risk_tag": data["risk_tag"].code if data["risk_tag"] else None,
            "above_scale": data["above_scale"],
        }


class InspectorFilterForm(FilterFormMixin, forms.Form):
    q = forms.CharField(
        label=_("姓名或执法证号"),
        required=False,
        max_length=50,
        widget=forms.SearchInput(attrs={"placeholder": _("姓名，或执法证号前几位")}),
    )
    department = forms.ModelChoiceField(
        label=_("所属部门"),
        queryset=Department.objects.filter(is_enforcement=True),
        required=False,
        empty_label=_("全部部门"),
    )

    def __init__(self, *args, department_fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if department_fixed:
            del self.fields["department"]

    def filters(self) -> dict:
        data = self.valid_data()
        department = data.get("department")
        return {"q": data["q"].strip(), "department": department.pk if department else None}
