"""The forms of the consolidated-form pages: one department's results (one row per item it
checks), and the park-day pages (the weekly day, a new park day with its units and observers,
the draw)."""

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from wurao.common.forms import NamedMessagesMixin, field_messages_name
from wurao.outcomes.choices import Hazard, Topic
from wurao.planning.choices import ItemResult, ObserverRole, default_topic
from wurao.registry.workdays import is_working_day

DATE_INVALID = _("请填写日期，如 2027-03-31")

# ---------------------------------------------------------------- results (一表通查)


class ResultRowForm(NamedMessagesMixin, forms.Form):
    """One item's line: what was found, and for an item that fails its hazard and what must
    be put right by when and in which field (整改要求与期限 belong together on the
    rectification notice the enterprise receives with all the visit's findings)."""

    result = forms.ChoiceField(
        label=_("检查结果"),
        choices=ItemResult.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("请选择检查结果")},
    )
    finding = forms.CharField(
        label=_("检查情况"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )
    rectification = forms.CharField(
        label=_("整改要求"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )
    rectify_by = forms.DateField(
        label=_("整改期限"),
        required=False,
        widget=forms.DateInput(
            format="%Y-%m-%d", attrs={"type": "date", "class": "form-control form-control-sm"}
        ),
        error_messages={"invalid": DATE_INVALID},
    )
    topic = forms.ChoiceField(
        label=_("整改领域"),
        required=False,
        choices=Topic.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
        error_messages={"invalid_choice": _("请选择整改领域")},
    )
    hazard = forms.TypedChoiceField(
        label=_("隐患等级"),
        required=False,
        choices=Hazard.choices,
        coerce=int,
        empty_value=Hazard.NONE,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
        error_messages={"invalid_choice": _("隐患等级只能是无、一般或重大")},
    )

    def __init__(self, *args, item, visit_date: date, number: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.visit_date = visit_date
        self.number = number

    def clean(self):
        data = super().clean()
        result = data.get("result")
        if result != ItemResult.FAIL:
            data["hazard"] = Hazard.NONE  # a hazard is a finding's
        if result == ItemResult.FAIL:
            if not (data.get("finding") or "").strip():
                self.add_error("finding", _("不符合的事项须写明检查情况"))
            if not (data.get("rectification") or "").strip():
                self.add_error("rectification", _("不符合的事项须写明整改要求"))
            if not data.get("rectify_by") and "rectify_by" not in self.errors:
                self.add_error("rectify_by", _("不符合的事项须写明整改期限"))
        deadline = data.get("rectify_by")
        if deadline and deadline < self.visit_date:
            self.add_error(
                "rectify_by",
                _("整改期限不能早于检查日期 %(day)s") % {"day": self.visit_date.isoformat()},
            )
        return data


class ResultsForm:
    """All the rows a department fills in, validated together and handed to
    coordination.form_results_record as one list."""

    def __init__(self, data=None, *, rows, visit_date: date, department=None):
        """`rows`: (number on the form, line) for each of the department's own items; the
        department's usual topic is each row's first choice of 整改领域."""
        topic = default_topic(department) if department is not None else Topic.OTHER
        self.rows = [
            ResultRowForm(
                data,
                prefix=f"item-{line.item.pk}",
                item=line.item,
                visit_date=visit_date,
                number=n,
                initial=_initial(line.entry, topic),
            )
            for n, line in rows
        ]
        self.non_row_errors: list[str] = []

    def is_valid(self) -> bool:
        return all([row.is_valid() for row in self.rows])

    def results(self) -> list[dict]:
        return [{"item": row.item, **row.cleaned_data} for row in self.rows]

    def summary(self) -> list[str]:
        """Every error with the row it belongs to, for the box above the table."""
        lines = list(self.non_row_errors)
        for row in self.rows:
            for field, errors in row.errors.items():
                label = row.fields[field].label if field in row.fields else ""
                for e in errors:
                    lines.append(
                        _("第 %(n)s 行“%(item)s”%(label)s：%(error)s")
                        % {"n": row.number, "item": row.item.name, "label": label, "error": e}
                    )
        return lines

    def add_service_error(self, error: ValidationError) -> None:
        """Put what the service refused beside the row it names (result_<pk>, rectification_<pk>)."""
        by_pk = {row.item.pk: row for row in self.rows}
        messages = (
            error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        )
        for key, texts in messages.items():
            field, _sep, pk = key.rpartition("_")
            row = by_pk.get(int(pk)) if pk.isascii() and pk.isdigit() else None
            if row is not None and field in row.fields:
                for text in texts:
                    row.add_error(field, text)
            else:
                self.non_row_errors.extend(texts)


class CorrectionReasonForm(NamedMessagesMixin, forms.Form):
    reason = forms.CharField(
        label=_("更正理由"),
        max_length=500,
        error_messages={"required": _("请说明更正的理由，如“误将第 2 项选为不符合”")},
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


def _initial(entry, topic: str) -> dict:
    if entry is None:
        return {"topic": topic, "hazard": Hazard.NONE}
    return {
        "result": entry.result,
        "finding": entry.finding,
        "rectification": entry.rectification,
        "rectify_by": entry.rectify_by,
        "topic": entry.topic or topic,
        "hazard": entry.hazard,
    }


# ---------------------------------------------------------------- park days


class StreetChoiceMixin:
    """The justice bureau works for any street and picks it; a street coordinator's is fixed."""

    def _street_field(self, streets) -> None:
        if streets is not None:
            self.fields["street"] = forms.ModelChoiceField(
                label=_("街道"),
                queryset=streets,
                empty_label=_("请选择街道"),
                error_messages={"required": _("请选择街道")},
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            field_messages_name(self.fields["street"], "street")
            self.order_fields(["street"])


class ParkDaySettingForm(StreetChoiceMixin, NamedMessagesMixin, forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("每周联合整园执法日"),
        choices=[(i, WEEKDAYS[i]) for i in range(5)],
        coerce=int,
        error_messages={"required": _("请选择周一至周五中的一天")},
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, streets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._street_field(streets)


def next_weekday(weekday: int, after: date | None = None) -> date:
    """The first `weekday` after today that is not a public holiday (a park day is arranged
    ahead)."""
    start = (after or timezone.localdate()) + timedelta(days=1)
    day = start + timedelta(days=(weekday - start.weekday()) % 7)
    for _week in range(8):  # a holiday lasts days, not weeks; never loop on bad holiday data
        if is_working_day(day):
            break
        day += timedelta(days=7)
    return day


class ParkDayForm(StreetChoiceMixin, NamedMessagesMixin, forms.Form):
    day = forms.DateField(
        label=_("执法日日期"),
        error_messages={"required": _("请填写执法日日期"), "invalid": DATE_INVALID},
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"}),
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("参加单位"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请勾选参加的单位（至少 2 个）")},
    )

    def __init__(self, *args, departments, streets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = departments
        self._street_field(streets)


class ObserverForm(NamedMessagesMixin, forms.Form):
    name = forms.CharField(
        label=_("姓名"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    role = forms.ChoiceField(
        label=_("身份"),
        required=False,
        choices=[("", "—")] + list(ObserverRole.choices),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def clean(self):
        data = super().clean()
        name, role = (data.get("name") or "").strip(), data.get("role")
        if name and not role:
            self.add_error("role", _("请选择“%(name)s”的身份") % {"name": name})
        if role and not name:
            self.add_error("name", _("请填写受邀监督人员的姓名"))
        return data


ObserverFormSet = forms.formset_factory(ObserverForm, extra=3, max_num=20, absolute_max=20)


def observers_cleaned(formset) -> list[dict]:
    return [
        {"name": f.cleaned_data["name"].strip(), "role": f.cleaned_data["role"]}
        for f in formset.forms
        if (f.cleaned_data.get("name") or "").strip()
    ]


class ParkDayDrawForm(NamedMessagesMixin, forms.Form):
    external_entropy = forms.CharField(
        label=_("外部随机数"),
        max_length=200,
        help_text=_("由见证人当场提供，例如掷骰子的点数或当日某公开数据；抽取后与种子一并公布。"),
        error_messages={"required": _("请由见证人输入外部随机数")},
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    observer = forms.CharField(
        label=_("见证人"),
        max_length=100,
        help_text=_("姓名与身份，如“区人大代表 李某”"),
        error_messages={"required": _("请填写见证人")},
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
