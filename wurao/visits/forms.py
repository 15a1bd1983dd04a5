"""Forms of the officers' visit pages. Each parses a request into the arguments of one service
or selector, and puts the service's refusals at the fields they are about."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wurao.common.forms import FilterFormMixin, ServiceFormMixin
from wurao.enforcement.choices import ActionKind, Finding, Severity
from wurao.visits.choices import CheckInMethod, VisitKind, VisitOrigin, VisitPurpose, VisitStatus
from wurao.visits.services import Registration


def _textarea(rows: int, placeholder: str = "") -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "placeholder": placeholder})


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OfficerCheckboxes(forms.CheckboxSelectMultiple):
    """One box an officer, which the page's filter finds by name or badge; an officer whose
    certificate does not cover the visit's day cannot be ticked, and says why (pickers.js
    redoes this when the day changes)."""

    valid_on = None

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        officer = getattr(value, "instance", None)
        if officer is None:
            return option
        until = officer.certificate_valid_until
        option["search"] = f"{officer.name} {officer.badge_no}"
        option["valid_until"] = until
        if until:
            option["attrs"]["data-valid-until"] = until.isoformat()
        if until and self.valid_on and until < self.valid_on:
            option["attrs"]["disabled"] = True
            option["expired"] = True
        return option


class OfficerChoiceField(forms.ModelMultipleChoiceField):
    widget = OfficerCheckboxes

    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.badge_no}）"


class ItemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.law}{obj.article}）"


# ---------------------------------------------------------------- the list


class VisitFilterForm(FilterFormMixin, forms.Form):
    date_from = forms.DateField(label=_("入企日期起"), required=False, widget=_date_input())
    date_to = forms.DateField(label=_("入企日期止"), required=False, widget=_date_input())
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部状态")), *VisitStatus.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("类别"), choices=[("", _("全部类别")), *VisitKind.choices], required=False
    )
    origin = forms.ChoiceField(
        label=_("检查来源"), choices=[("", _("全部来源")), *VisitOrigin.choices], required=False
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期不能早于开始日期"))
        return data

    def filters(self) -> dict:
        return {k: v for k, v in self.valid_data().items() if v}


# ---------------------------------------------------------------- registration


class RegistrationForm(ServiceFormMixin, forms.Form):
    """登记入企: what an officer fills in before entering an enterprise (or, urgently, after)."""

    error_fields = {"enterprise": "enterprise", "approved_on": "approved_on"}

    kind = forms.ChoiceField(
        label=_("入企类别"), choices=VisitKind.choices, widget=forms.RadioSelect
    )
    enterprise = forms.CharField(
        label=_("企业"),
        required=False,
        max_length=200,
        help_text=_("输入统一社会信用代码或企业名称，从候选中选择"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "enterkeyhint": "search"}),
    )
    day = forms.DateField(
        label=_("入企日期"),
        widget=_date_input(),
        error_messages={"required": _("请填写入企日期"), "invalid": _("入企日期格式应为 年-月-日")},
    )
    origin = forms.ChoiceField(
        label=_("检查来源"), choices=[("", _("请选择")), *VisitOrigin.choices], required=False
    )
    purpose = forms.ChoiceField(
        label=_("来访事由类别"),
        choices=[("", _("请选择")), *VisitPurpose.choices],
        required=False,
    )
    items = ItemChoiceField(
        label=_("检查事项（本部门公布的清单）"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    officers = OfficerChoiceField(
        label=_("执法人员（执法检查不少于两人）"), queryset=None, required=False
    )
    approver = forms.CharField(label=_("审批人"), required=False, max_length=50)
    approval_ref = forms.CharField(label=_("审批文号"), required=False, max_length=60)
    approved_on = forms.DateField(
        label=_("审批日期"),
        required=False,
        widget=_date_input(),
        error_messages={"invalid": _("审批日期格式应为 年-月-日")},
    )
    note = forms.CharField(
        label=_("事由说明"),
        required=False,
        max_length=2000,
        widget=_textarea(2, _("如：投诉编号、上级交办文号、来访目的")),
    )
    late_reason = forms.CharField(
        label=_("事后补登理由"),
        required=False,
        max_length=2000,
        widget=_textarea(2, _("入企日期早于今天：说明紧急情况")),
    )
    override_reason = forms.CharField(
        label=_("突破规则的理由"),
        required=False,
        max_length=2000,
        widget=_textarea(3, _("为何必须在规则之外入企；提交后须由第二人审批")),
    )

    def __init__(self, *args, department, enterprises, items, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.department = department
        self.enterprises = enterprises
        self.fields["items"].queryset = items
        if not department.is_enforcement:
            # Not an enforcement body (工会, 妇联...): its visits are non-enforcement only.
            self.fields["kind"].choices = [
                (VisitKind.NON_ENFORCEMENT.value, VisitKind.NON_ENFORCEMENT.label)
            ]
        self.fields["kind"].initial = (
            VisitKind.INSPECTION if department.is_enforcement else VisitKind.NON_ENFORCEMENT
        )
        self.fields["day"].initial = timezone.localdate()
        # Look the enterprise up as the officer types; ask the late reason when the day is past.
        self.fields["enterprise"].widget.attrs.update(
            {
                "hx-get": reverse("visits:enterprise-lookup"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#enterprise-matches",
                "hx-sync": "this:replace",
            }
        )
        self.fields["day"].widget.attrs.update(
            {
                "hx-get": reverse("visits:late-reason"),
                "hx-trigger": "change",
                "hx-target": "#late-reason-slot",
                "hx-swap": "outerHTML",
                # The slot is always on the page (empty while the day is today), so htmx
                # never looks for a late_reason field that is not there.
                "hx-include": "#late-reason-slot",
            }
        )
        # Officers who may go that day first; those whose certificate has ended at the bottom.
        day = self._day_entered() or timezone.localdate()
        lapsed = Case(When(certificate_valid_until__lt=day, then=Value(1)), default=Value(0))
        self.fields["officers"].queryset = officers.order_by(lapsed, "badge_no")
        self.fields["officers"].widget.valid_on = day
        self.enterprise_obj = None

    def clean_enterprise(self):
        text = self.cleaned_data["enterprise"].strip()
        if not text:
            raise ValidationError(_("请选择企业：输入统一社会信用代码或企业名称"))
        found = self.enterprises.filter(credit_code=text.upper()).first()
        if found is None:
            by_name = list(self.enterprises.filter(name=text)[:2])
            found = by_name[0] if len(by_name) == 1 else None
        if found is None:
            raise ValidationError(
                _("找不到“%(text)s”：请输入 18 位统一社会信用代码或完整的企业名称"),
                params={"text": text},
            )
        self.enterprise_obj = found
        return found.credit_code

    def _day_entered(self):
        raw = self["day"].value()
        if isinstance(raw, str):
            try:
                raw = forms.DateField().to_python(raw)
            except ValidationError:
                return None
        return raw or None

    @property
    def is_late(self) -> bool:
        """Whether the day entered is before today: the late reason is asked for then."""
        day = self._day_entered()
        return bool(day) and day < timezone.localdate()

    @property
    def wants_override(self) -> bool:
        return bool(self.data.get("override"))

    def registration(self) -> Registration | None:
        """The registration the form describes; on an invalid form, what of it is valid (the
        day taken as today when it is missing), so that the service names the other fields'
        errors too and the officer sees them all at once. None without a kind."""
        data = self.cleaned_data
        if "kind" not in data:
            return None
        inspection = data["kind"] == VisitKind.INSPECTION
        return Registration(
            enterprise=self.enterprise_obj,
            kind=data["kind"],
            department=self.department,
            day=data.get("day") or timezone.localdate(),
            origin=data.get("origin", "") if inspection else "",
            purpose="" if inspection else data.get("purpose", ""),
            officers=tuple(data.get("officers") or ()),
            items=tuple(data.get("items") or ()) if inspection else (),
            note=data.get("note", ""),
            approver=data.get("approver", "") if inspection else "",
            approval_ref=data.get("approval_ref", "") if inspection else "",
            approved_on=data.get("approved_on") if inspection else None,
            late_reason=data.get("late_reason", ""),
            override_reason=data.get("override_reason", "") if self.wants_override else "",
        )


# ---------------------------------------------------------------- one visit


class StaffForm(ServiceFormMixin, forms.Form):
    """A department names its officers for an inspection not carried out yet; the lead
    department also fills in or amends the approval (a joint visit the street confirmed from
    the plans starts without either)."""

    officers = OfficerChoiceField(
        label=_("本部门执法人员（不少于两人）"), queryset=None, required=False
    )
    approver = RegistrationForm.base_fields["approver"]
    approval_ref = RegistrationForm.base_fields["approval_ref"]
    approved_on = RegistrationForm.base_fields["approved_on"]

    def __init__(self, *args, officers, approving: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officers
        if not approving:
            for name in ("approver", "approval_ref", "approved_on"):
                del self.fields[name]


class CheckInForm(ServiceFormMixin, forms.Form):
    # Set by the page's scanner (visits/scan.js): "scan" once the camera has read the code,
    # back to "credit_code" as soon as the officer types in the field.
    method = forms.ChoiceField(
        label=_("签到方式"),
        choices=CheckInMethod.choices,
        initial=CheckInMethod.CREDIT_CODE,
        widget=forms.HiddenInput,
    )
    scanned = forms.CharField(
        label=_("企业统一社会信用代码"),
        max_length=300,
        error_messages={"required": _("请扫描企业码或输入企业的统一社会信用代码")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class CancelForm(ServiceFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("撤销理由"),
        max_length=2000,
        error_messages={"required": _("请说明撤销理由")},
        widget=_textarea(2),
    )


def _problems_need_a_summary(form, data: dict) -> None:
    if data.get("finding") == Finding.PROBLEMS and not (data.get("summary") or "").strip():
        form.add_error("summary", _("发现问题时请写明问题摘要"))


class ResultForm(ServiceFormMixin, forms.Form):
    """One department's result of the visit: an enforcement action in the enterprise's file."""

    kind = forms.ChoiceField(
        label=_("执法类别"), choices=ActionKind.choices, initial=ActionKind.INSPECTION
    )
    finding = forms.ChoiceField(
        label=_("检查结果"),
        choices=[
            (Finding.CLEAN.value, Finding.CLEAN.label),
            (Finding.PROBLEMS.value, Finding.PROBLEMS.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择检查结果：未发现问题或发现问题")},
    )
    severity = forms.TypedChoiceField(
        label=_("情节"),
        choices=[("", _("不适用")), *Severity.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    summary = forms.CharField(
        label=_("情况摘要"), required=False, max_length=4000, widget=_textarea(2)
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") in (ActionKind.PENALTY, ActionKind.COERCIVE) and not data.get(
            "severity"
        ):
            self.add_error("severity", _("行政处罚和行政强制须选择情节档次"))
        _problems_need_a_summary(self, data)
        return data


class ResultCorrectForm(ServiceFormMixin, forms.Form):
    """A department corrects its result on the visit: the new finding and summary, and why."""

    finding = ResultForm.base_fields["finding"]
    summary = ResultForm.base_fields["summary"]
    reason = forms.CharField(
        label=_("更正理由"),
        max_length=2000,
        error_messages={"required": _("请说明更正的理由")},
        widget=_textarea(2, _("如：录入时选错结果")),
    )

    def clean(self):
        data = super().clean()
        _problems_need_a_summary(self, data)
        return data


class OverrideDecideForm(ServiceFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("审批结论"),
        choices=[("approve", _("批准")), ("reject", _("不批准"))],
        error_messages={"required": _("请选择批准或不批准")},
    )
    note = forms.CharField(
        label=_("审批意见"),
        required=False,
        max_length=2000,
        widget=_textarea(2, _("不批准时必须说明理由")),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", _("不批准时请说明理由"))
        return data
