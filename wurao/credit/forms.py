"""Forms of the credit pages. Each parses a request into the arguments of one service or
selector, and puts the service's refusals at the fields they are about."""

import re

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from wurao.common.forms import FilterFormMixin, ServiceFormMixin
from wurao.credit.choices import CommitmentStatus, Grade, ReviewStatus
from wurao.credit.points_catalogue import DECAY_LABELS, FORMAT, INDICATORS, KIND_SIGNS
from wurao.credit.points_json import table_from_dict
from wurao.credit.points_problems import PointsTableError
from wurao.credit.services import EVIDENCE_MAX_BYTES
from wurao.registry.industries import INDUSTRY_SECTIONS

GRADES = [g.value for g in Grade]


class FormMixin(ServiceFormMixin):
    """The shared service-error form, and errors about a whole section (thresholds, effects)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.section_errors: dict[str, list[str]] = {}


def _textarea(rows: int, placeholder: str = "") -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "placeholder": placeholder})


# ---------------------------------------------------------------- enterprise


class ReviewRequestForm(FormMixin, forms.Form):
    """An objection (信用异议) or a repair application (信用修复) about one record."""

    # Required by the service, which says so in its own words.
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        max_length=2000,
        widget=_textarea(5, _("写明记录哪里有误，或已如何纠正（整改、缴清罚款等）")),
    )
    evidence = forms.FileField(
        label=_("证明材料"),
        required=False,
        help_text=format_lazy(
            _("PDF、JPG 或 PNG 文件，不超过 {mb} MB"), mb=EVIDENCE_MAX_BYTES >> 20
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class CommitmentSignForm(FormMixin, forms.Form):
    item = forms.ModelChoiceField(label=_("承诺事项"), queryset=None, widget=forms.HiddenInput)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


# ---------------------------------------------------------------- departments


class ReviewFilterForm(FilterFormMixin, forms.Form):
    kind = forms.ChoiceField(
        choices=[("objection", _("信用异议")), ("repair", _("信用修复"))],
        required=False,
        widget=forms.HiddenInput,
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部状态")), *ReviewStatus.choices], required=False
    )
    overdue = forms.BooleanField(label=_("仅逾期未审核"), required=False)

    def filters(self) -> dict:
        return {k: v for k, v in self.valid_data().items() if v and k != "kind"}


class ReviewDecideForm(FormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=[("approve", _("通过")), ("reject", _("不通过"))],
        widget=forms.RadioSelect,
    )
    decision_reason = forms.CharField(
        label=_("审核意见和理由"),
        required=False,
        max_length=4000,
        widget=_textarea(4, _("核查了什么、依据是什么、结论为何")),
    )

    def decide_kwargs(self) -> dict:
        return {
            "approve": self.cleaned_data["decision"] == "approve",
            "reason": self.cleaned_data["decision_reason"],
        }


class CommitmentFilterForm(FilterFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("履约状态"),
        choices=[("", _("全部")), *CommitmentStatus.choices],
        required=False,
    )


class CommitmentDecideForm(FormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("认定结果"),
        choices=[
            (CommitmentStatus.FULFILLED, _("已履行")),
            (CommitmentStatus.BREACHED, _("未履行（失信）")),
        ],
        widget=forms.RadioSelect,
    )
    decision_note = forms.CharField(
        label=_("认定说明"),
        required=False,
        max_length=2000,
        widget=_textarea(2, _("认定未履行须写明事实和理由")),
    )

    def decide_kwargs(self) -> dict:
        return {
            "fulfilled": self.cleaned_data["outcome"] == CommitmentStatus.FULFILLED,
            "note": self.cleaned_data["decision_note"],
        }


# ---------------------------------------------------------------- justice bureau


class GradeChangeFilterForm(FilterFormMixin, forms.Form):
    as_of = forms.ChoiceField(label=_("评价基准日"), required=False)
    grade = forms.ChoiceField(
        label=_("新等级"), choices=[("", _("全部等级")), *Grade.choices], required=False
    )

    def __init__(self, *args, dates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["as_of"].choices = [("", _("全部"))] + [(d.isoformat(),) * 2 for d in dates]

    def filters(self) -> dict:
        return {k: v for k, v in self.valid_data().items() if v}


class RegradeForm(FormMixin, forms.Form):
    as_of = forms.DateField(
        label=_("评价基准日"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )


def _number(label, *, required=False, integer=False, **attrs):
    field = forms.IntegerField if integer else forms.FloatField
    return field(label=label, required=required, widget=forms.NumberInput(attrs=attrs or None))


class PointsTableForm(FormMixin, forms.Form):
    """A new version of the points table, prefilled from the one in force. The table's own
    validation (points_problems.py) is run here too, so that each problem shows at its field."""

    effective_from = forms.DateField(
        label=_("生效日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    name = forms.CharField(label=_("名称"), max_length=100, required=False)
    note = forms.CharField(
        label=_("修订说明"), required=False, widget=_textarea(2, _("本次调整了什么，为什么"))
    )
    base = _number(_("基础分"), required=True, step="any")
    threshold_A = _number(_("A 级不低于"), required=True, step="any")
    threshold_B = _number(_("B 级不低于"), required=True, step="any")
    threshold_C = _number(_("C 级不低于"), required=True, step="any")
    tag_cap = _number(_("风险标签合计封顶"), step="any")

    def __init__(self, *args, table: dict, risk_tags: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        # The kinds of record the table declares beside the catalogue's go into the new version
        # as they are; their rules are edited in the same rows as the catalogue's.
        self.kinds = [k for k in table.get("kinds") or [] if isinstance(k, dict)]
        english = (get_language() or "").startswith("en")
        self.indicator_info = {
            str(code): (gettext(info.label), info.direction) for code, info in INDICATORS.items()
        }
        for kind in self.kinds:
            code = kind.get("code")
            if isinstance(code, str) and code not in self.indicator_info:
                label = (english and kind.get("label_en")) or kind.get("label") or code
                self.indicator_info[code] = (str(label), KIND_SIGNS.get(kind.get("sign"), 0))
        self.indicator_codes = list(self.indicator_info)
        rules = {r["indicator"]: r for r in table.get("indicators", [])}
        initial = {
            "name": table.get("name", ""),
            "base": table.get("base"),
            "tag_cap": table.get("tag_cap"),
            **{f"threshold_{g}": table.get("thresholds", {}).get(g) for g in "ABC"},
        }
        decay_choices = [(str(k), gettext(v)) for k, v in DECAY_LABELS.items()]
        for code in self.indicator_codes:
            rule = rules.get(code, {})
            label = self.indicator_info[code][0]
            self.fields[f"{code}__points"] = _number(
                gettext("%(indicator)s·分值") % {"indicator": label}, step="any"
            )
            self.fields[f"{code}__per_severity"] = forms.BooleanField(
                label=_("按严重程度计分"), required=False
            )
            self.fields[f"{code}__window_days"] = _number(
                gettext("%(indicator)s·回溯期（天）") % {"indicator": label}, integer=True, min="1"
            )
            self.fields[f"{code}__decay"] = forms.ChoiceField(
                label=gettext("%(indicator)s·衰减") % {"indicator": label},
                choices=decay_choices,
                required=False,
            )
            self.fields[f"{code}__half_life_days"] = _number(
                gettext("%(indicator)s·半衰期（天）") % {"indicator": label}, step="any"
            )
            self.fields[f"{code}__cap"] = _number(
                gettext("%(indicator)s·封顶") % {"indicator": label}, step="any"
            )
            for key in ("points", "per_severity", "window_days", "decay", "half_life_days", "cap"):
                initial[f"{code}__{key}"] = rule.get(key)
            # An indicator the table leaves out: a plausible window once points are given.
            initial[f"{code}__window_days"] = rule.get("window_days", 365)
        # Every registry tag, and any the table names that the registry no longer has.
        tags = {t["code"]: t for t in table.get("tags", [])}
        self.tag_labels = dict(risk_tags)
        for code, tag in tags.items():
            self.tag_labels.setdefault(code, tag.get("label") or code)
        for code, label in self.tag_labels.items():
            self.fields[f"tag__{code}"] = _number(label, step="any")
            initial[f"tag__{code}"] = tags.get(code, {}).get("points")
        industries = {i["section"]: i for i in table.get("industries", [])}
        self.industry_labels = {
            letter: gettext(name) for letter, _lo, _hi, name in INDUSTRY_SECTIONS
        }
        for letter, label in self.industry_labels.items():
            self.fields[f"industry__{letter}"] = _number(f"{letter} {label}", step="any")
            initial[f"industry__{letter}"] = industries.get(letter, {}).get("points")
        effects = table.get("effects", {})
        for g in GRADES:
            effect = effects.get(g, {})
            self.fields[f"effect__{g}__sampling_weight"] = forms.DecimalField(
                label=_("抽查权重"), max_digits=10, decimal_places=4, min_value=0
            )
            self.fields[f"effect__{g}__visit_cap_per_year"] = _number(
                _("年度入企上限"), integer=True, min="0"
            )
            self.fields[f"effect__{g}__quiet_period_days"] = _number(
                _("免扰期（天）"), required=True, integer=True, min="0"
            )
            self.fields[f"effect__{g}__flags"] = forms.CharField(
                label=_("标识"), required=False, max_length=200
            )
            initial[f"effect__{g}__sampling_weight"] = effect.get("sampling_weight", "1")
            initial[f"effect__{g}__visit_cap_per_year"] = effect.get("visit_cap_per_year")
            initial[f"effect__{g}__quiet_period_days"] = effect.get("quiet_period_days", 0)
            initial[f"effect__{g}__flags"] = "、".join(effect.get("flags", []))
        # 103.0 reads as 103 in the editor, as it was typed.
        initial = {
            k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in initial.items()
        }
        self.initial = {**initial, **self.initial}
        # The mixin styled the declared fields; style the ones added here the same way.
        for name, field in self.fields.items():
            if "__" not in name:
                continue
            widget = field.widget
            grade = name.split("__")[1] if name.startswith("effect__") else ""
            widget.attrs["aria-label"] = (
                gettext("%(grade)s 级%(label)s") % {"grade": grade, "label": field.label}
                if grade
                else str(field.label)
            )
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
            else:
                widget.attrs["class"] = "form-control form-control-sm"

    # Rows for the template: each indicator, tag, industry and grade with its bound fields.

    def indicator_rows(self) -> list[dict]:
        rows = []
        for code in self.indicator_codes:
            label, direction = self.indicator_info[code]
            rows.append(
                {
                    "code": code,
                    "label": label,
                    "declared": code not in INDICATORS,
                    "direction": gettext("扣分") if direction < 0 else gettext("加分"),
                    **{
                        key: self[f"{code}__{key}"]
                        for key in (
                            "points",
                            "per_severity",
                            "window_days",
                            "decay",
                            "half_life_days",
                            "cap",
                        )
                    },
                }
            )
        return rows

    def tag_rows(self) -> list[dict]:
        return [
            {"code": code, "label": label, "field": self[f"tag__{code}"]}
            for code, label in self.tag_labels.items()
        ]

    def industry_rows(self) -> list[dict]:
        return [
            {"section": letter, "label": label, "field": self[f"industry__{letter}"]}
            for letter, label in self.industry_labels.items()
        ]

    def effect_rows(self) -> list[dict]:
        keys = ("sampling_weight", "visit_cap_per_year", "quiet_period_days", "flags")
        return [
            {"grade": g, "label": Grade(g).label, **{k: self[f"effect__{g}__{k}"] for k in keys}}
            for g in GRADES
        ]

    # Parsing.

    def table(self) -> dict:
        """The table in its JSON form (points_json.py), without version and effective date."""
        data = self.cleaned_data
        indicators = []
        self._indicator_order: list[str] = []
        for code in self.indicator_codes:
            if data.get(f"{code}__points") is None:
                continue  # blank points: the indicator does not count in this version
            decay = data.get(f"{code}__decay") or "none"
            indicators.append(
                {
                    "indicator": code,
                    "points": data[f"{code}__points"],
                    "per_severity": bool(data.get(f"{code}__per_severity")),
                    "window_days": data.get(f"{code}__window_days"),
                    "decay": decay,
                    "half_life_days": data.get(f"{code}__half_life_days"),
                    "cap": data.get(f"{code}__cap"),
                }
            )
            self._indicator_order.append(code)
        self._tag_order = [c for c in self.tag_labels if data.get(f"tag__{c}") is not None]
        self._industry_order = [
            s for s in self.industry_labels if data.get(f"industry__{s}") is not None
        ]
        return {
            "format": FORMAT,
            "name": data.get("name", ""),
            "base": data["base"],
            # As the table declared them (points_json: only when there are any).
            **({"kinds": self.kinds} if self.kinds else {}),
            "indicators": indicators,
            "tags": [
                {"code": c, "label": self.tag_labels[c], "points": data[f"tag__{c}"]}
                for c in self._tag_order
            ],
            "tag_cap": data.get("tag_cap"),
            "industries": [
                {"section": s, "label": self.industry_labels[s], "points": data[f"industry__{s}"]}
                for s in self._industry_order
            ],
            "thresholds": {g: data[f"threshold_{g}"] for g in "ABC"},
            "effects": {
                g: {
                    "sampling_weight": str(data[f"effect__{g}__sampling_weight"]),
                    "visit_cap_per_year": data.get(f"effect__{g}__visit_cap_per_year"),
                    "quiet_period_days": data[f"effect__{g}__quiet_period_days"],
                    "flags": [
                        f for f in re.split(r"[、,，;；\s]+", data[f"effect__{g}__flags"]) if f
                    ],
                }
                for g in GRADES
            },
        }

    def clean(self):
        cleaned = super().clean()
        if self.errors or not cleaned.get("effective_from"):
            return cleaned
        table = self.table()
        try:
            table_from_dict(
                {**table, "version": 1, "effective_from": cleaned["effective_from"].isoformat()}
            )
        except PointsTableError as error:
            for problem in error.problems:
                self._place(problem.path, problem.message_zh)
        return cleaned

    def _place(self, path: str, message: str) -> None:
        """A table problem at its field: "indicators[2].window_days" → that indicator's field."""
        if match := re.fullmatch(r"indicators\[(\d+)\](?:\.(\w+))?", path):
            code = self._indicator_order[int(match[1])]
            key = (
                match[2]
                if match[2] in ("window_days", "half_life_days", "cap", "decay")
                else "points"
            )
            self.add_error(f"{code}__{key}", message)
        elif match := re.fullmatch(r"tags\[(\d+)\].*", path):
            self.add_error(f"tag__{self._tag_order[int(match[1])]}", message)
        elif match := re.fullmatch(r"industries\[(\d+)\].*", path):
            self.add_error(f"industry__{self._industry_order[int(match[1])]}", message)
        elif match := re.fullmatch(r"thresholds\.([ABC])", path):
            self.add_error(f"threshold_{match[1]}", message)
        elif path == "thresholds":
            self.section_errors.setdefault("thresholds", []).append(message)
        elif match := re.fullmatch(r"effects\.([ABCD])\.(\w+)", path):
            self.add_error(f"effect__{match[1]}__{match[2]}", message)
        elif path.startswith("effects"):
            self.section_errors.setdefault("effects", []).append(message)
        elif path in self.fields:
            self.add_error(path, message)
        else:
            self.add_error(None, message)

    def ready(self) -> bool:
        """Valid, and the table's own validation found nothing (some problems are about a
        group of fields, such as the order of the thresholds, and show at that group)."""
        return self.is_valid() and not self.section_errors
