"""Forms of the enterprise's and the justice bureau's visit pages: each parses a request into
the arguments of one service or selector, and puts refusals at the fields they are about."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wurao.common.forms import BootstrapFormMixin, NamedMessagesMixin
from wurao.visits import rules as visit_rules
from wurao.visits.choices import RatingTag, VisitOrigin

GRADE_LABELS = {"A": _("A 级"), "B": _("B 级"), "C": _("C 级"), "D": _("D 级"), "U": _("未评级")}
LIMIT_KEYS = ("department_cap", "total_cap", "quiet_days")
# The numbers the bureau sets besides the caps, in rules.py's own words (rules.py is a pure
# engine, so they are marked for translation here).
WHOLE_FIELDS = {
    "duplicate_window_days": _("跨层级重复检查的比对期（日）"),
    "late_registration_days": _("事后补登期限（日）"),
    "min_officers": _("检查最少执法人员数"),
    "high_frequency_visits": _("高频预警的次数"),
    "high_frequency_days": _("高频预警的期间（日）"),
    "rating_min_count": _("部门可见评价汇总的最少评价数"),
}
assert WHOLE_FIELDS.keys() == visit_rules._WHOLE_FIELDS.keys()


def _whole(label, *, required: bool = True) -> forms.IntegerField:
    """A whole-number field whose messages name it (the error shows beside it, and in lists)."""
    return forms.IntegerField(
        label=label,
        required=required,
        error_messages={
            "invalid": format_lazy(_("{label}须为整数"), label=label),
            "required": format_lazy(_("请填写{label}"), label=label),
        },
    )


def _checkboxes(choices) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )


class ServiceErrorsMixin:
    def add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for name, messages in error.message_dict.items():
            field = self.field_for(name)
            self.add_error(field if field in self.fields else None, messages)

    def field_for(self, name: str) -> str:
        return name


class RatingForm(ServiceErrorsMixin, NamedMessagesMixin, forms.Form):
    """The enterprise's rating of one finished visit: 1–5 stars, tags, a comment."""

    code = forms.CharField(widget=forms.HiddenInput)
    score = forms.TypedChoiceField(
        label=_("评分"),
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择 1 到 5 颗星"),
            "invalid_choice": _("评分须为 1 到 5 分"),
        },
    )
    tags = _checkboxes(RatingTag.choices)
    tags.label = _("评价标签")
    comment = forms.CharField(
        label=_("意见（选填）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )


def _quiet_days_parse(text: str) -> list[int]:
    parts = [p for p in re.split(r"[,，、;；\s]+", text.strip()) if p]
    if not all(p.isdecimal() for p in parts):
        raise ValidationError(gettext("请填写 1 到 31 的日期，用逗号分隔，例如：1, 15"))
    return sorted({int(p) for p in parts})


def _item_codes_parse(text: str) -> list[str]:
    """Catalogue item codes as typed: separated by commas, 、, semicolons or new lines."""
    seen: dict[str, None] = {}
    for part in re.split(r"[,，、;；\s]+", text.strip()):
        if part:
            seen.setdefault(part, None)
    return list(seen)


class RulesForm(ServiceErrorsMixin, BootstrapFormMixin, forms.Form):
    """A new version of the visit rules, field by field instead of raw JSON. The rules engine
    checks the whole document; its complaints come back at the field they name."""

    limits_from_credit_table = forms.BooleanField(
        label=_("已评级企业的部门上限和安静期按信用计分表执行"), required=False
    )
    exempt_origins = _checkboxes(VisitOrigin.choices)
    exempt_grades = _checkboxes(list(GRADE_LABELS.items()))
    monthly_quiet_days = forms.CharField(
        label=_("每月企业安静日"),
        required=False,
        help_text=_("每月不安排现场检查的日期，用逗号分隔，例如：1, 15；留空表示不设"),
    )
    offsite_only_items = forms.CharField(
        label=_("非举报不现场核查的检查事项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "检查事项编码，用逗号或换行分隔。所列事项只能非现场检查；投诉举报、转办移送、"
            "上级交办的检查除外。此规则不受豁免来源、信用等级影响，也不能申请突破。留空表示不设"
        ),
    )
    duplicate_window_days = _whole(WHOLE_FIELDS["duplicate_window_days"])
    late_registration_days = _whole(WHOLE_FIELDS["late_registration_days"])
    min_officers = _whole(WHOLE_FIELDS["min_officers"])
    high_frequency_visits = _whole(WHOLE_FIELDS["high_frequency_visits"])
    high_frequency_days = _whole(WHOLE_FIELDS["high_frequency_days"])
    non_enforcement_share = forms.FloatField(
        label=_("非执法入企占比预警线"),
        help_text=_("0 与 1 之间，例如 0.4 即 40%"),
        error_messages={
            "invalid": _("非执法入企占比预警线须为 0 与 1 之间的数，例如 0.4"),
            "required": _("请填写非执法入企占比预警线"),
        },
    )
    rating_min_count = _whole(WHOLE_FIELDS["rating_min_count"])
    effective_from = forms.DateField(
        label=_("生效日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("请填写生效日期"),
            "invalid": _("请按 2026-01-01 的格式填写日期"),
        },
    )
    note = forms.CharField(
        label=_("修订说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("为什么修订、依据哪份文件"),
    )

    def __init__(self, *args, latest=None, **kwargs):
        """`latest` is the last version published: the new one may not take effect before it."""
        super().__init__(*args, **kwargs)
        self.latest = latest
        self.fields["exempt_origins"].label = _("免于频次限制的检查来源")
        self.fields["exempt_grades"].label = _("免于频次限制的信用等级")
        for grade, label in GRADE_LABELS.items():
            for key in LIMIT_KEYS:
                name = f"limit_{grade}_{key}"
                # Translators: a grade ("A 级") and one of its limits ("单个部门年度检查上限").
                limit_label = format_lazy(
                    _("{grade}{limit}"), grade=label, limit=self.LIMIT_LABELS[key]
                )
                field = _whole(limit_label, required=key == "quiet_days")
                field.widget.attrs.update(
                    {"class": "form-control form-control-sm", "inputmode": "numeric"}
                )
                if key != "quiet_days":
                    field.widget.attrs["placeholder"] = gettext("不设上限")
                self.fields[name] = field
        for name in ("exempt_origins", "exempt_grades"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    LIMIT_LABELS = {
        "department_cap": _("单个部门年度检查上限"),
        "total_cap": _("全部门年度检查总上限"),
        "quiet_days": _("联合检查后安静期（日）"),
    }

    @classmethod
    def initial_from(cls, doc: dict) -> dict:
        """The form's fields filled from a stored rules document (or the defaults)."""
        doc = {**visit_rules.DEFAULT_RULES_JSON, **doc}
        initial = {
            key: doc[key]
            for key in (
                "limits_from_credit_table",
                "exempt_origins",
                "exempt_grades",
                "non_enforcement_share",
                *WHOLE_FIELDS,
            )
        }
        initial["monthly_quiet_days"] = ", ".join(str(d) for d in doc["monthly_quiet_days"])
        initial["offsite_only_items"] = ", ".join(doc.get("offsite_only_items") or [])
        for grade in GRADE_LABELS:
            for key in LIMIT_KEYS:
                initial[f"limit_{grade}_{key}"] = doc["limits"].get(grade, {}).get(key)
        return initial

    def grade_rows(self) -> list[dict]:
        return [
            {
                "grade": grade,
                "label": label,
                "fields": [self[f"limit_{grade}_{k}"] for k in LIMIT_KEYS],
            }
            for grade, label in GRADE_LABELS.items()
        ]

    def clean_monthly_quiet_days(self) -> list[int]:
        return _quiet_days_parse(self.cleaned_data["monthly_quiet_days"])

    def clean_offsite_only_items(self) -> list[str]:
        return _item_codes_parse(self.cleaned_data["offsite_only_items"])

    def doc(self) -> dict:
        """The rules document the service publishes, from the cleaned fields. A field that
        did not parse takes the default's value, so that the engine can judge the others."""
        data, default = self.cleaned_data, visit_rules.DEFAULT_RULES_JSON
        return {
            "limits": {
                grade: {
                    key: data.get(f"limit_{grade}_{key}", default["limits"][grade][key])
                    for key in LIMIT_KEYS
                }
                for grade in GRADE_LABELS
            },
            "limits_from_credit_table": data.get("limits_from_credit_table", False),
            "exempt_origins": [
                o for o in visit_rules.ORIGINS if o in data.get("exempt_origins", ())
            ],
            "exempt_grades": [g for g in visit_rules.GRADES if g in data.get("exempt_grades", ())],
            "monthly_quiet_days": data.get("monthly_quiet_days", []),
            "offsite_only_items": data.get("offsite_only_items", []),
            **{key: data.get(key, default[key]) for key in WHOLE_FIELDS},
            "non_enforcement_share": data.get(
                "non_enforcement_share", default["non_enforcement_share"]
            ),
        }

    def clean(self):
        cleaned = super().clean()
        # The engine judges the whole document at once, so every mistake shows in one go,
        # beside those the fields found themselves.
        try:
            visit_rules.rules_from_json(
                self.doc(), version=0, effective_from=cleaned.get("effective_from")
            )
        except visit_rules.RulesError as error:
            for path, message in error.problems:
                field = self.field_for(path)
                if field in self.errors:
                    continue
                # The engine speaks of the JSON document; here a cap is a blank field, and a
                # message that does not say what it is about gets the field's name.
                message = message.replace("或 null 表示", "或留空表示")
                if message.startswith("须为") and field in self.fields:
                    message = f"{self.fields[field].label}{message}"
                self.add_error(field if field in self.fields else None, message)
        day = cleaned.get("effective_from")
        if self.latest and day and day < self.latest.effective_from:
            self.add_error(
                "effective_from",
                gettext("生效日期不能早于第 %(version)s 版（%(day)s）")
                % {"version": self.latest.version, "day": self.latest.effective_from},
            )
        if not (cleaned.get("note") or "").strip():
            self.add_error("note", gettext("请填写修订说明"))
        return cleaned

    def field_for(self, name: str) -> str:
        """A path of the rules document ("limits.A.total_cap", "exempt_origins[2]") as the
        form field that holds it."""
        path = re.sub(r"\[\d+\]$", "", name)
        parts = path.split(".")
        if parts[0] == "limits" and len(parts) == 3:
            return f"limit_{parts[1]}_{parts[2]}"
        if parts[0] == "limits" and len(parts) == 2:
            return f"limit_{parts[1]}_department_cap"
        return path
