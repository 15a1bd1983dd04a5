"""Forms of the street coordination pages, the departments' assignments and the enterprise's
portal. Each parses a request into one service's arguments and puts the service's refusals
beside the fields they are about."""

import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wurao.common.forms import ServiceFormMixin
from wurao.planning.choices import SlotKind
from wurao.registry.workdays import month_start, next_month

MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


def default_month() -> date:
    """Plans are filed for the month ahead, so the pages open on next month."""
    return next_month(timezone.localdate())


def parse_month(value: str | None) -> date | None:
    match = MONTH_RE.match((value or "").strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def month_or_default(value: str | None) -> date:
    return parse_month(value) or month_start(default_month())


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ScheduleRunForm(ServiceFormMixin, forms.Form):
    deterministic = forms.BooleanField(
        label=_("确定性求解"),
        required=False,
        help_text=_("同一随机种子、同一计划，每次得到同一方案（单线程，可能稍慢）"),
    )
    seed = forms.IntegerField(
        label=_("随机种子"), min_value=0, max_value=2_147_483_647, initial=0, required=False
    )

    def clean_seed(self) -> int:
        return self.cleaned_data.get("seed") or 0


class MoveForm(ServiceFormMixin, forms.Form):
    date = forms.DateField(label=_("改到日期"), widget=_date_input())


class SplitForm(ServiceFormMixin, forms.Form):
    error_fields = {"entries": "entries"}

    entries = forms.ModelMultipleChoiceField(
        label=_("分出的检查"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    date = forms.DateField(label=_("分出后的日期"), widget=_date_input())

    def __init__(self, *args, inspections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = inspections
        self.fields["entries"].label_from_instance = lambda e: (
            gettext("%(department)s（%(earliest)s 至 %(latest)s）")
            % {
                "department": e.plan.department.name,
                "earliest": f"{e.earliest:%m-%d}",
                "latest": f"{e.latest:%m-%d}",
            }
        )
        self.fields["entries"].widget.attrs["class"] = "form-check-input"


class MergeForm(ServiceFormMixin, forms.Form):
    other = forms.ModelChoiceField(
        label=_("并入本次的另一次入企"), queryset=None, empty_label=_("请选择")
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = candidates
        self.fields["other"].label_from_instance = lambda v: (
            f"{v.date:%Y-%m-%d} · "
            + "、".join(sorted({e.plan.department.name for e in v.inspections.all()}))
        )


class ChangeRequestForm(ServiceFormMixin, forms.Form):
    error_fields = {"dates": "date1"}

    date1 = forms.DateField(label=_("建议日期一"), widget=_date_input())
    date2 = forms.DateField(label=_("建议日期二（选填）"), widget=_date_input(), required=False)
    date3 = forms.DateField(label=_("建议日期三（选填）"), widget=_date_input(), required=False)
    reason = forms.CharField(
        label=_("改期理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("如：当日有重要客户验厂")}),
    )

    def dates(self) -> list[date]:
        return [d for k in ("date1", "date2", "date3") if (d := self.cleaned_data.get(k))]


class SlotForm(ServiceFormMixin, forms.Form):
    date = forms.DateField(label=_("日期"), widget=_date_input())
    kind = forms.ChoiceField(label=_("类别"), choices=SlotKind.choices)
    note = forms.CharField(
        label=_("说明（选填）"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如：年度停产检修")}),
    )
