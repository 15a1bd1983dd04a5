"""The off-site inspection pages' forms: the department's list filters and the record form.
Each parses a request into one service's or selector's arguments."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wurao.accounts.scope import Scope
from wurao.catalogue import selectors as catalogue_selectors
from wurao.common.forms import FilterFormMixin, ServiceFormMixin
from wurao.enforcement.choices import OffsiteMethod, Origin
from wurao.outcomes.choices import EvidenceKind
from wurao.outcomes.services_offsite import EVIDENCE_MAX_FILES, ORIGINS
from wurao.registry import selectors as registry_selectors

ACCEPT = ".pdf,.jpg,.jpeg,.png,.csv,.xlsx"


class OffsiteFilterForm(FilterFormMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, empty_value=None, required=False)
    method = forms.ChoiceField(
        label=_("检查手段"), choices=[("", _("全部手段")), *OffsiteMethod.choices], required=False
    )
    origin = forms.ChoiceField(
        label=_("来源"),
        choices=[("", _("全部来源")), *((o.value, o.label) for o in ORIGINS)],
        required=False,
    )
    department = forms.ModelChoiceField(
        label=_("执法部门"),
        queryset=registry_selectors.department_list(enforcement_only=True),
        required=False,
        empty_label=_("全部部门"),
    )

    def __init__(self, *args, years: list[int], department_choice: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [
            ("", _("全部年度")),
            *((y, gettext("%(year)s 年") % {"year": y}) for y in years),
        ]
        if not department_choice:
            del self.fields["department"]

    def filters(self) -> dict:
        data = self.valid_data()
        department = data.get("department")
        return {
            "year": data["year"],
            "method": data["method"],
            "origin": data["origin"],
            "department": department.pk if department else None,
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files at once; their type and size are the service's to judge (by content)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [super(EvidenceField, self).clean(f, initial) for f in files if f]
        if not files:
            raise forms.ValidationError(
                _("请上传检查所依据的材料（监测数据、视频截图、企业报送材料等）")
            )
        if len(files) > EVIDENCE_MAX_FILES:
            raise forms.ValidationError(
                _("一次最多上传 %(count)s 个文件") % {"count": EVIDENCE_MAX_FILES}
            )
        return files


class OffsiteForm(ServiceFormMixin, forms.Form):
    """One off-site inspection by the officer's own department."""

    credit_code = forms.CharField(
        label=_("企业统一社会信用代码"),
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    day = forms.DateField(
        label=_("检查日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    method = forms.ChoiceField(label=_("检查手段"), choices=OffsiteMethod.choices)
    origin = forms.ChoiceField(
        label=_("检查来源"), choices=[(o.value, o.label) for o in ORIGINS], initial=Origin.PLAN
    )
    items = forms.ModelMultipleChoiceField(
        label=_("检查事项"),
        queryset=catalogue_selectors.item_list().none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("本部门检查事项清单内的事项（清单之外无事项）"),
    )
    officers = forms.ModelMultipleChoiceField(
        label=_("执法人员"),
        queryset=registry_selectors.inspector_list(scope=Scope()).none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不得少于两人"),
    )
    summary = forms.CharField(
        label=_("检查情况"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("调取了哪些数据或材料、覆盖哪段时间、看到了什么"),
    )
    evidence_kind = forms.ChoiceField(label=_("材料类别"), choices=EvidenceKind.choices)
    evidence = EvidenceField(
        label=_("证据材料"),
        help_text=_("PDF、JPG、PNG，或 CSV、XLSX 格式的监测数据；每个文件不超过 20 MB"),
    )
    evidence_note = forms.CharField(label=_("材料说明（选填）"), max_length=200, required=False)

    error_fields = {"enterprise": "credit_code"}

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        self.department = department
        self.fields["items"].queryset = catalogue_selectors.item_list(
            filters={"department": department.pk}
        ).order_by("code")
        self.fields["officers"].queryset = (
            registry_selectors.inspector_list(scope=Scope(department_id=department.pk))
            .filter(active=True)
            .order_by("badge_no")
        )
        self.fields["evidence_kind"].initial = EvidenceKind.MONITORING

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].strip().upper()
        enterprise = (
            registry_selectors.enterprise_list(scope=Scope(sees_all=True))
            .filter(credit_code=code)
            .first()
        )
        if enterprise is None:
            raise forms.ValidationError(
                gettext("统一社会信用代码 %(code)s 不在企业库中") % {"code": code}
            )
        self.enterprise = enterprise
        return code

    def arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "enterprise": self.enterprise,
            "department": self.department,
            "day": data["day"],
            "method": data["method"],
            "origin": data["origin"],
            "items": list(data["items"]),
            "officers": list(data["officers"]),
            "summary": data["summary"],
            "evidence": [
                {"kind": data["evidence_kind"], "file": f, "note": data.get("evidence_note", "")}
                for f in data["evidence"]
            ],
        }
