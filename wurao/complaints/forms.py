"""The complaint and whistleblowing forms: what they name (a visit code, a department, a
badge, an enterprise) is checked like a URL id, and each refusal says which field and why."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from wurao.accounts.scope import Scope
from wurao.common.forms import BootstrapFormMixin
from wurao.complaints.choices import Category, Finding, RiskKind
from wurao.registry import selectors as registry_selectors
from wurao.visits import selectors as visit_selectors

ALL = Scope(sees_all=True)
PHONE = re.compile(r"^[0-9+\- ]{7,20}$")
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = (".jpg", ".jpeg", ".png", ".pdf", ".heic", ".docx")


def _departments():
    return registry_selectors.department_list(enforcement_only=True).order_by("level", "code")


class ComplaintForm(BootstrapFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("投诉类别"), choices=Category.choices)
    visit_code = forms.CharField(
        label=_("入企码"),
        max_length=20,
        required=False,
        help_text=_("如有，填写执法人员出示的 8 位入企码"),
    )
    department = forms.ModelChoiceField(
        label=_("被投诉部门"), queryset=None, required=False, empty_label=_("（不清楚可不选）")
    )
    badge_no = forms.CharField(
        label=_("执法人员执法证号"),
        max_length=30,
        required=False,
        help_text=_("如有，填写执法证上的证号"),
    )
    description = forms.CharField(
        label=_("投诉内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    anonymous = forms.TypedChoiceField(
        label=_("是否匿名"),
        choices=[("1", _("匿名投诉（不留姓名）")), ("0", _("实名投诉"))],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("姓名（实名投诉填写）"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话（实名投诉填写）"), max_length=20, required=False)
    contact = forms.CharField(
        label=_("其他联系方式（可不填）"),
        max_length=100,
        required=False,
        help_text=_("匿名投诉也可留下联系方式，加密保存，只有执法监督人员登记理由后才能查看"),
    )

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise
        self.fields["department"].queryset = _departments()
        self.fields["anonymous"].widget.attrs["class"] = "form-check-input"
        if enterprise is not None:
            # Its user files in the enterprise's name, or anonymously; name and phone optional.
            self.fields["anonymous"].choices = [
                ("1", _("匿名投诉（不显示本企业）")),
                ("0", _("以本企业名义投诉")),
            ]
            self.fields["disclose_consent"] = forms.BooleanField(
                label=_("同意执法监督机构在必要时向被投诉部门说明本企业名称"), required=False
            )

    def clean_visit_code(self):
        raw = self.cleaned_data["visit_code"].strip()
        if not raw:
            return None
        try:
            return visit_selectors.visit_get(scope=ALL, code=raw)
        except Exception:  # Visit.DoesNotExist: imported through the selector only
            raise forms.ValidationError(
                _("没有找到入企码“%(code)s”，请核对") % {"code": raw}
            ) from None

    def clean_badge_no(self):
        badge = self.cleaned_data["badge_no"].strip().upper()
        if not badge:
            return None
        officer = (
            registry_selectors.inspector_list(scope=ALL).filter(badge_no__iexact=badge).first()
        )
        if officer is None:
            raise forms.ValidationError(_("没有找到执法证号“%(badge)s”，请核对") % {"badge": badge})
        return officer

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(_("联系电话应为 7 到 20 位数字，如 13800138000"))
        return phone

    def clean(self):
        data = super().clean()
        visit, department, officer = (
            data.get("visit_code"),
            data.get("department"),
            data.get("badge_no"),
        )
        if not self.errors and not (visit or department or officer):
            raise forms.ValidationError(_("请至少填写入企码、被投诉部门或执法证号中的一项"))
        if officer and department:
            own = officer.department
            if own.pk != department.pk and own.parent_id != department.pk:
                self.add_error(
                    "badge_no", _("该执法证号的执法人员不属于所选部门（%(d)s）") % {"d": own.name}
                )
        if data.get("anonymous") is False and self.enterprise is None:
            if not data.get("name"):
                self.add_error("name", _("实名投诉请填写姓名"))
            if not data.get("phone"):
                self.add_error("phone", _("实名投诉请填写联系电话"))
        return data


class TrackForm(BootstrapFormMixin, forms.Form):
    receipt = forms.CharField(label=_("回执号"), max_length=20)
    secret = forms.CharField(label=_("查询密码"), max_length=30, widget=forms.PasswordInput)


class RateForm(BootstrapFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("满意度"),
        choices=[
            ("5", _("5 分 · 非常满意")),
            ("4", _("4 分 · 满意")),
            ("3", _("3 分 · 一般")),
            ("2", _("2 分 · 不满意")),
            ("1", _("1 分 · 很不满意")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("评价意见"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AcceptForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("受理决定"), choices=[("accept", _("受理")), ("reject", _("不予受理"))]
    )
    reason = forms.CharField(
        label=_("不予受理理由"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("不予受理须说明理由"))
        return data


class StatementRequestForm(BootstrapFormMixin, forms.Form):
    department = forms.ModelChoiceField(label=_("要求说明的部门"), queryset=None)
    summary = forms.CharField(
        label=_("事项摘要（中性表述）"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "由执法监督人员撰写：不得写入投诉人姓名、电话、企业、回执号，也不要照抄投诉原文"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = registry_selectors.department_list()


class StatementAnswerForm(BootstrapFormMixin, forms.Form):
    answer = forms.CharField(
        label=_("情况说明"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )


class AnswerForm(BootstrapFormMixin, forms.Form):
    finding = forms.ChoiceField(label=_("调查结论"), choices=Finding.choices)
    answer = forms.CharField(
        label=_("答复意见"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )


class RevealForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("查看理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class WhistleForm(BootstrapFormMixin, forms.Form):
    enterprise = forms.CharField(
        label=_("被举报企业"), max_length=200, help_text=_("企业全称或统一社会信用代码")
    )
    risk_kind = forms.ChoiceField(label=_("违法或风险类别"), choices=RiskKind.choices)
    risk = forms.CharField(
        label=_("违法行为或风险"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    evidence = forms.FileField(
        label=_("证据材料（可不传）"),
        required=False,
        help_text=_("照片、PDF 或文档，10 MB 以内；请注意照片可能带有拍摄位置等信息"),
    )
    name = forms.CharField(label=_("姓名（可不填）"), max_length=50, required=False)
    contact = forms.CharField(
        label=_("联系方式（可不填）"),
        max_length=100,
        required=False,
        help_text=_("加密保存；查看须经两名司法局人员批准"),
    )

    def clean_enterprise(self):
        text = self.cleaned_data["enterprise"].strip()
        qs = registry_selectors.enterprise_list(scope=ALL)
        found = qs.filter(credit_code=text.upper()).first() or qs.filter(name=text).first()
        if found is None:
            raise forms.ValidationError(
                _("没有找到企业“%(name)s”：请填写企业全称或 18 位统一社会信用代码") % {"name": text}
            )
        return found

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if not upload:
            return None
        if upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(_("证据材料不能超过 10 MB"))
        if not upload.name.lower().endswith(EVIDENCE_TYPES):
            raise forms.ValidationError(_("证据材料应为 JPG、PNG、HEIC、PDF 或 DOCX 文件"))
        return upload


class AssignForm(BootstrapFormMixin, forms.Form):
    department = forms.ModelChoiceField(label=_("承办部门"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments()


class DepartmentReportForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("核查情况"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )


class ConcludeForm(BootstrapFormMixin, forms.Form):
    substantiated = forms.TypedChoiceField(
        label=_("核查结论"),
        choices=[("1", _("查证属实")), ("0", _("查证不属实"))],
        coerce=lambda v: v == "1",
    )
    conclusion = forms.CharField(
        label=_("结论说明"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reward_amount = forms.DecimalField(
        label=_("奖励金额（元）"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    reward_decision = forms.CharField(label=_("奖励决定"), max_length=1000, required=False)
    reward_paid_on = forms.DateField(label=_("奖励发放日期"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("substantiated") is False and (
            data.get("reward_amount") or data.get("reward_decision") or data.get("reward_paid_on")
        ):
            self.add_error("reward_amount", _("查证不属实的举报不予奖励"))
        return data
