"""Forms of the departments' plan pages: the month, a planned inspection, a withdrawal, a
campaign, the department's capacity and the plan import. Each parses a request into the
arguments of one service and puts the service's refusals beside the fields they are about."""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wurao.common.forms import ServiceFormMixin
from wurao.planning.choices import PlanOrigin
from wurao.registry.workdays import month_start, next_month

MONTH_PATTERN = re.compile(r"(\d{4})-(\d{1,2})")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def month_parse(text: str | None) -> date | None:
    """ "2027-03" as the first day of that month; None when it is not a month."""
    match = MONTH_PATTERN.fullmatch((text or "").strip())
    if not match:
        return None
    year, month = (int(g) for g in match.groups())
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def month_default() -> date:
    """Plans are filed for the month ahead."""
    return next_month(timezone.localdate())


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _textarea(rows: int, placeholder: str = "") -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "placeholder": placeholder})


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "pattern": r"\d{4}-\d{2}"})
    default_error_messages = {"invalid": _("月份格式应为 年-月，如 2027-03")}

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        parsed = month_parse(value)
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class ItemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.name}（{obj.law}{obj.article}）"


class DrawTaskChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.title}"


class CampaignChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title}（{obj.document_no}）"


# ---------------------------------------------------------------- the plan


class EntryForm(ServiceFormMixin, forms.Form):
    """One planned inspection: enterprise, items from the department's own catalogue (清单之外
    无事项), the window, the hours and where it comes from."""

    month = MonthField(required=False, widget=forms.HiddenInput)
    enterprise = forms.CharField(
        label=_("企业统一社会信用代码"),
        required=False,
        max_length=200,
        help_text=_("18 位统一社会信用代码，或企业库中的完整名称"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    items = ItemChoiceField(
        label=_("检查事项（本部门公布的清单）"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("所选事项不在本部门公布的有效检查事项清单内")},
    )
    earliest = forms.DateField(
        label=_("最早日期"),
        required=False,
        widget=_date_input(),
        error_messages={"invalid": _("最早日期格式应为 年-月-日")},
    )
    latest = forms.DateField(
        label=_("最晚日期"),
        required=False,
        widget=_date_input(),
        error_messages={"invalid": _("最晚日期格式应为 年-月-日")},
    )
    hours = forms.DecimalField(
        label=_("预计工时（小时）"),
        required=False,
        initial=2,
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "max": "8"}),
        error_messages={
            "invalid": _("预计工时应为数字，如 2 或 1.5"),
            "max_decimal_places": _("预计工时最多保留一位小数"),
            "max_digits": _("预计工时须在 0.5 到 8 小时之间"),
            "max_whole_digits": _("预计工时须在 0.5 到 8 小时之间"),
        },
    )
    origin = forms.ChoiceField(
        label=_("来源"),
        choices=PlanOrigin.choices,
        initial=PlanOrigin.ROUTINE,
        error_messages={"invalid_choice": _("请选择计划来源")},
    )
    campaign = CampaignChoiceField(
        label=_("专项检查（已公布）"),
        queryset=None,
        required=False,
        empty_label=_("—（来源为专项检查时必选）"),
        error_messages={"invalid_choice": _("只能关联本部门已公布的专项检查")},
    )
    draw_task = DrawTaskChoiceField(
        label=_("双随机抽查任务"),
        queryset=None,
        required=False,
        empty_label=_("—（来源为双随机任务时必选）"),
        error_messages={"invalid_choice": _("只能关联本部门参加的抽查任务")},
    )
    late_reason = forms.CharField(
        label=_("锁定后补报理由"),
        required=False,
        max_length=2000,
        widget=_textarea(2, _("计划已锁定：说明为何须在截止后补报")),
    )

    def __init__(self, *args, enterprises, items, campaigns, draw_tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprises = enterprises
        self.fields["items"].queryset = items
        self.fields["campaign"].queryset = campaigns
        self.fields["draw_task"].queryset = draw_tasks
        self.enterprise_obj = None

    def clean_enterprise(self):
        text = self.cleaned_data["enterprise"].strip()
        if not text:
            raise ValidationError(_("请填写企业的统一社会信用代码"))
        found = self.enterprises.filter(credit_code=text.upper()).first()
        if found is None:
            by_name = list(self.enterprises.filter(name=text)[:2])
            found = by_name[0] if len(by_name) == 1 else None
        if found is None:
            raise ValidationError(
                _("企业库中没有“%(text)s”：请核对 18 位统一社会信用代码"), params={"text": text}
            )
        self.enterprise_obj = found
        return found.credit_code

    def entry_arguments(self, month: date) -> dict:
        """The arguments of services.plan_entry_add; a field the form could not read is left
        empty for the service to judge."""
        data = self.cleaned_data
        return {
            "month": month,
            "enterprise": self.enterprise_obj,
            "items": list(data.get("items") or []),
            "earliest": data.get("earliest"),
            "latest": data.get("latest"),
            "hours": data.get("hours"),
            "origin": data.get("origin", ""),
            "campaign": data.get("campaign"),
            "draw_task": data.get("draw_task"),
            "late_reason": data.get("late_reason", ""),
        }


class WithdrawForm(ServiceFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("撤回理由"),
        max_length=300,
        error_messages={"required": _("请说明撤回理由")},
        widget=forms.TextInput(attrs={"placeholder": _("如：与区级计划重复，由区级部门检查")}),
    )


# ---------------------------------------------------------------- campaigns


class CampaignForm(ServiceFormMixin, forms.Form):
    """专项检查: registered with its approval record, then published before it is planned
    (国办发〔2024〕54号)."""

    title = forms.CharField(label=_("专项名称"), required=False, max_length=200)
    scope = forms.CharField(
        label=_("检查范围与内容"),
        required=False,
        widget=_textarea(3, _("检查对象、事项和方式")),
    )
    starts_on = forms.DateField(
        label=_("开始日期"),
        widget=_date_input(),
        error_messages={"required": _("请填写开始日期"), "invalid": _("开始日期格式应为 年-月-日")},
    )
    ends_on = forms.DateField(
        label=_("结束日期"),
        widget=_date_input(),
        error_messages={"required": _("请填写结束日期"), "invalid": _("结束日期格式应为 年-月-日")},
    )
    approver = forms.CharField(
        label=_("批准机关或负责人"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("如：区人民政府")}),
    )
    document_no = forms.CharField(
        label=_("批准文号"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("如：龙府办〔2027〕3号")}),
    )
    approved_on = forms.DateField(
        label=_("批准日期"),
        widget=_date_input(),
        error_messages={"required": _("请填写批准日期"), "invalid": _("批准日期格式应为 年-月-日")},
    )


# ---------------------------------------------------------------- capacity


class CapacityForm(ServiceFormMixin, forms.Form):
    teams = forms.IntegerField(
        label=_("检查组数"),
        error_messages={"required": _("请填写检查组数"), "invalid": _("检查组数应为整数")},
        widget=forms.NumberInput(attrs={"min": "1", "max": "50"}),
    )
    hours_per_team = forms.DecimalField(
        label=_("每组每日工时（小时）"),
        max_digits=4,
        decimal_places=1,
        error_messages={
            "required": _("请填写每组每日工时"),
            "invalid": _("每组每日工时应为数字，如 6 或 7.5"),
            "max_decimal_places": _("每组每日工时最多保留一位小数"),
            "max_digits": _("每组每日工时须在 1 到 12 小时之间"),
            "max_whole_digits": _("每组每日工时须在 1 到 12 小时之间"),
        },
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "1", "max": "12"}),
    )


# ---------------------------------------------------------------- import


class PlanImportForm(ServiceFormMixin, forms.Form):
    month = MonthField(label=_("计划月份"), error_messages={"required": _("请选择计划月份")})
    file = forms.FileField(
        label=_("文件"),
        help_text=_("按模板填写的 Excel（.xlsx）或 CSV（UTF-8 或 GBK 编码）文件"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
        error_messages={
            "required": _("请选择要上传的文件"),
            "empty": _("文件为空：没有表头，也没有数据。请使用导入模板填写后再上传。"),
            "invalid": _("没有收到文件，请重新选择"),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("文件过大（上限 %(mb)s MB）：请按月份或科室拆分后分批上传"),
                params={"mb": MAX_UPLOAD_BYTES // 1024 // 1024},
            )
        return upload


def month_label(month: date) -> str:
    return f"{month_start(month):%Y-%m}"
