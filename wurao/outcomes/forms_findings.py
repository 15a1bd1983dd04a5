from django import forms
from django.utils.translation import gettext_lazy as _

from wurao.common.forms import (
    CHECK_GROUPS,
    FilterFormMixin,
    ServiceFormMixin,
    field_messages_name,
)
from wurao.outcomes.choices import CheckResult, ClashStatus, Hazard, RectificationStatus, Topic
from wurao.outcomes.selectors_findings import OPEN
from wurao.selfcheck.forms import MultiplePhotoInput, PhotosField


def _styled(form: forms.Form, names) -> None:
    """Fields added after the form was built get what the mixins give the others: messages
    that name them, and Bootstrap's classes."""
    for name in names:
        field = form.fields[name]
        field_messages_name(field, name)
        widget = field.widget
        if isinstance(widget, CHECK_GROUPS | forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select form-select-sm"
        else:
            css = "form-control form-control-sm"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def _date_input():
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _textarea(rows: int = 2, placeholder: str = ""):
    attrs = {"rows": rows}
    if placeholder:
        attrs["placeholder"] = placeholder
    return forms.Textarea(attrs=attrs)


class ChecksForm(ServiceFormMixin, forms.Form):
    """One block of fields per item of the action not yet recorded; the service's errors name
    them the same way (result_<item>, description_<item>, hazard_<item>, photos_<item>)."""

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            pk = item.pk
            self.fields[f"result_{pk}"] = forms.ChoiceField(
                label=_("检查结果"), choices=CheckResult.choices, widget=forms.RadioSelect
            )
            self.fields[f"description_{pk}"] = forms.CharField(
                label=_("检查情况"),
                required=False,
                max_length=4000,
                widget=_textarea(2, _("发现问题时必填：问题是什么、在哪里")),
            )
            self.fields[f"hazard_{pk}"] = forms.TypedChoiceField(
                label=_("隐患等级"),
                choices=Hazard.choices,
                coerce=int,
                initial=Hazard.NONE,
                required=False,
                empty_value=Hazard.NONE,
            )
            self.fields[f"serious_risk_{pk}"] = forms.BooleanField(
                label=_("存在严重风险"), required=False
            )
            self.fields[f"photos_{pk}"] = PhotosField(
                label=_("现场照片"),
                required=False,
                help_text=_("JPG、PNG 或 WebP，每张不超过 8 MB，最多 6 张"),
            )
        _styled(self, list(self.fields))

    def blocks(self) -> list[dict]:
        return [
            {
                "item": item,
                "result": self[f"result_{item.pk}"],
                "description": self[f"description_{item.pk}"],
                "hazard": self[f"hazard_{item.pk}"],
                "serious_risk": self[f"serious_risk_{item.pk}"],
                "photos": self[f"photos_{item.pk}"],
            }
            for item in self.items
        ]

    def rows(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "item": item,
                "result": data[f"result_{item.pk}"],
                "description": data[f"description_{item.pk}"],
                "hazard": data[f"hazard_{item.pk}"],
                "serious_risk": data[f"serious_risk_{item.pk}"],
                "photos": data[f"photos_{item.pk}"],
            }
            for item in self.items
        ]


class NoticeForm(ServiceFormMixin, forms.Form):
    """The one-time notice: for every finding, what to put right, by when, and its topic."""

    def __init__(self, *args, findings=(), default_deadline=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.findings = list(findings)
        for check in self.findings:
            pk = check.pk
            self.fields[f"requirement_{pk}"] = forms.CharField(
                label=_("整改要求"), max_length=4000, widget=_textarea(3)
            )
            self.fields[f"deadline_{pk}"] = forms.DateField(
                label=_("整改期限"), widget=_date_input(), initial=default_deadline
            )
            self.fields[f"topic_{pk}"] = forms.ChoiceField(
                label=_("整改领域"), choices=[("", _("请选择")), *Topic.choices]
            )
        _styled(self, list(self.fields))

    def blocks(self) -> list[dict]:
        return [
            {
                "check": c,
                "requirement": self[f"requirement_{c.pk}"],
                "deadline": self[f"deadline_{c.pk}"],
                "topic": self[f"topic_{c.pk}"],
            }
            for c in self.findings
        ]

    def orders(self) -> dict:
        data = self.cleaned_data
        return {
            c.pk: {
                "requirement": data[f"requirement_{c.pk}"],
                "deadline": data[f"deadline_{c.pk}"],
                "topic": data[f"topic_{c.pk}"],
            }
            for c in self.findings
        }


class _OwnIds:
    """Several small forms share one page: each names its fields' ids after itself."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class RejectForm(_OwnIds, ServiceFormMixin, forms.Form):
    id_prefix = "reject"
    reason = forms.CharField(
        label=_("退回理由"), max_length=4000, widget=_textarea(2, _("还缺什么、要怎样改"))
    )
    new_deadline = forms.DateField(
        label=_("新的整改期限"),
        required=False,
        widget=_date_input(),
        help_text=_("不填则期限不变"),
    )


class DocumentaryForm(_OwnIds, ServiceFormMixin, forms.Form):
    id_prefix = "documentary"
    note = forms.CharField(
        label=_("核查意见"),
        max_length=4000,
        widget=_textarea(2, _("依据哪些材料认定已整改")),
    )


class RecheckForm(_OwnIds, ServiceFormMixin, forms.Form):
    id_prefix = "recheck"
    action = forms.TypedChoiceField(label=_("复查记录"), coerce=int)
    passed = forms.TypedChoiceField(
        label=_("复查结论"),
        choices=[("yes", _("已整改，关闭")), ("no", _("未整改到位，重新限期"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("复查意见"),
        required=False,
        max_length=4000,
        widget=_textarea(2, _("未通过时必填：仍存在的问题")),
    )
    new_deadline = forms.DateField(
        label=_("新的整改期限"),
        required=False,
        widget=_date_input(),
        help_text=_("复查未通过时必填，须晚于今天"),
    )

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("请选择"))] + [
            (a.pk, f"{a.date:%Y-%m-%d} · #{a.pk}") for a in actions
        ]


class MultipleFileInput(MultiplePhotoInput):
    pass


class ReportForm(ServiceFormMixin, forms.Form):
    text = forms.CharField(
        label=_("整改情况"),
        max_length=4000,
        widget=_textarea(4, _("做了什么、何时完成；可附照片或证明材料")),
    )
    files = PhotosField(
        label=_("照片或材料"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
        ),
        help_text=_("JPG、PNG、WebP 或 PDF，每个不超过 8 MB，最多 9 个"),
    )


class ClashDecideForm(ServiceFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("处理结果"),
        choices=[
            (ClashStatus.CONFIRMED.value, ClashStatus.CONFIRMED.label),
            (ClashStatus.DISMISSED.value, ClashStatus.DISMISSED.label),
        ],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("处理意见或理由"),
        max_length=4000,
        widget=_textarea(3, _("确有冲突：写明协调后各部门应执行的要求；不构成冲突：写明理由")),
    )


class RectificationFilterForm(FilterFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), (OPEN, _("未完成")), *RectificationStatus.choices],
    )
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)
    topic = forms.ChoiceField(
        label=_("整改领域"), required=False, choices=[("", _("全部")), *Topic.choices]
    )
    date_from = forms.DateField(label=_("告知日期起"), required=False, widget=_date_input())
    date_to = forms.DateField(label=_("告知日期止"), required=False, widget=_date_input())

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期不能早于开始日期"))
        return data

    def filters(self) -> dict:
        return {k: v for k, v in self.valid_data().items() if v}
