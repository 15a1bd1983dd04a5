from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wurao.common.forms import FilterFormMixin, ServiceFormMixin
from wurao.selfcheck.choices import EntryResult, InspectionStatus


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one field; the service checks each (type, size, count)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(PhotosField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class StartForm(ServiceFormMixin, forms.Form):
    departments = forms.MultipleChoiceField(
        label=_("自查范围（部门）"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选即为全部适用事项"),
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = [(str(pk), name) for pk, name in departments]

    def department_ids(self) -> list[int]:
        return [int(v) for v in self.cleaned_data.get("departments") or []]


class EntryForm(ServiceFormMixin, forms.Form):
    result = forms.ChoiceField(
        label=_("自查结果"), choices=EntryResult.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("发现问题时必填：问题是什么、在哪里"),
    )
    fix_action = forms.CharField(
        label=_("整改措施"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    fixed_on = forms.DateField(
        label=_("整改完成日期"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    photos = PhotosField(
        label=_("照片"), required=False, help_text=_("JPG、PNG 或 WebP，每张不超过 8 MB")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Three large buttons, not small radios: answered with a thumb.
        self.fields["result"].widget.attrs["class"] = "btn-check"

    def clean_fixed_on(self):
        day = self.cleaned_data.get("fixed_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("整改日期不能晚于今天"))
        return day


class CampaignForm(ServiceFormMixin, forms.Form):
    park = forms.ChoiceField(label=_("园区"))
    title = forms.CharField(label=_("活动名称"), max_length=200)
    starts_on = forms.DateField(
        label=_("开始日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("截止日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def __init__(self, *args, parks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].choices = [("", "—")] + [(str(p.pk), p.name) for p in parks]


class FilterForm(FilterFormMixin, forms.Form):
    q = forms.CharField(
        label=_("企业"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *InspectionStatus.choices]
    )

    def filters(self) -> dict:
        return {k: v for k, v in self.valid_data().items() if v}
