"""Forms of the cases pages: opening, notifying, deciding and closing a case; discretion
standards, exemption lists and entries, observation periods. The services check the rules;
the forms offer only what may be chosen (the never-exempt sectors are not offered)."""

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wurao.common.forms import INTEGER_MAX, FilterFormMixin, ServiceFormMixin
from wurao.outcomes.choices import (
    NEVER_EXEMPT,
    CaseKind,
    CaseStatus,
    Disposition,
    ExemptionKind,
    Level,
    Sector,
    SoftMeasure,
)

BAND_ROWS = 5  # the form offers five bands; the ones left blank are not kept


def record_id(text) -> int | None:
    """A record id from a query parameter, or None: not a positive whole number, or past the
    largest the database holds (a bookmark typed wrong is no server error)."""
    text = (text or "").strip()
    if not text.isdecimal() or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= INTEGER_MAX else None


def _date(label, **kwargs):
    return forms.DateField(
        label=label,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        **kwargs,
    )


def _text(label, *, rows=3, required=True, max_length=4000, **kwargs):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


# ---------------------------------------------------------------- cases


class CaseFilterForm(FilterFormMixin, forms.Form):
    q = forms.CharField(
        label=_("企业或案号"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *CaseStatus.choices]
    )
    disposition = forms.ChoiceField(
        label=_("处理结果"), required=False, choices=[("", _("全部")), *Disposition.choices]
    )

    def filters(self) -> dict:
        return {k: v for k, v in self.valid_data().items() if v}


class CaseOpenForm(ServiceFormMixin, forms.Form):
    checks = forms.MultipleChoiceField(label=_("所涉检查发现"), widget=forms.CheckboxSelectMultiple)
    kind = forms.ChoiceField(
        label=_("案件类别"), choices=CaseKind.choices, initial=CaseKind.PENALTY
    )
    standard = forms.ChoiceField(label=_("裁量基准"), required=False)
    facts = _text(_("查明的事实"), rows=4)
    evidence_summary = _text(_("证据"), rows=3, required=False, help_text=_("现场照片、笔录等"))
    officers = forms.MultipleChoiceField(
        label=_("承办人员"), required=False, widget=forms.CheckboxSelectMultiple
    )
    opened_on = _date(_("立案日期"))

    def __init__(self, *args, findings=(), standards=(), officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checks"].choices = [
            (str(c.pk), f"{c.action.date:%Y-%m-%d} {c.item.name}：{c.description}")
            for c in findings
        ]
        self.fields["standard"].choices = [("", _("按检查事项自动匹配"))] + [
            (str(s.pk), f"{s.code} {s.violation}") for s in standards
        ]
        self.fields["officers"].choices = [(str(o.pk), str(o)) for o in officers]
        self.fields["opened_on"].initial = timezone.localdate()


class NotifyForm(ServiceFormMixin, forms.Form):
    statement_offered_on = _date(_("告知陈述申辩日期"))
    hearing_offered = forms.BooleanField(
        label=_("告知听证权利"),
        required=False,
        help_text=_("拟罚款数额较大（企业 10 万元、个体工商户 5000 元以上）时必须告知"),
    )


class DecideForm(ServiceFormMixin, forms.Form):
    minor_harm = forms.BooleanField(
        label=_("确认危害后果轻微"),
        required=False,
        help_text=_("免罚清单的“危害后果轻微”条件由承办人确认"),
    )
    corrected_on_spot = forms.BooleanField(
        label=_("确认已当场改正"),
        required=False,
        help_text=_("整改未在期限内核查完成时，当场改正也视为及时改正"),
    )
    disposition = forms.ChoiceField(
        label=_("处理结果"), choices=Disposition.choices, widget=forms.RadioSelect
    )
    soft_measure = forms.ChoiceField(
        label=_("柔性措施"), required=False, choices=[("", "—"), *SoftMeasure.choices]
    )
    band = forms.ChoiceField(label=_("适用档次"), required=False)
    band_reasons = _text(_("适用该档次的理由"), rows=2, required=False)
    amount = forms.DecimalField(
        label=_("罚款金额（元）"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    measure = _text(_("处罚种类或强制措施"), rows=2, required=False)
    legal_basis = _text(_("法律依据"), rows=2, required=False)
    reasoning = _text(
        _("说理"), rows=5, help_text=_("认定的事实、适用的依据、作出决定的理由，逐项写清")
    )
    override_reason = _text(
        _("不采纳平台建议的理由"),
        rows=3,
        required=False,
        help_text=_("平台建议不予处罚或先采取柔性措施而仍予处罚时必填，将记入审计并报司法局监督"),
    )
    hearing_requested = forms.BooleanField(label=_("当事人要求听证"), required=False)
    decided_on = _date(_("决定日期"))
    served_on = _date(_("送达日期"), required=False)

    def __init__(self, *args, bands=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["band"].choices = [("", "—")] + [(str(b.pk), _band_label(b)) for b in bands]
        self.fields["decided_on"].initial = timezone.localdate()


def _band_label(band) -> str:
    if band.min_amount is None and band.max_amount is None:
        return gettext("%(name)s：%(measure)s") % {"name": band.name, "measure": band.measure}
    low = band.min_amount if band.min_amount is not None else 0
    high = band.max_amount if band.max_amount is not None else "—"
    return gettext("%(name)s：%(measure)s（%(low)s–%(high)s 元）") % {
        "name": band.name,
        "measure": band.measure,
        "low": low,
        "high": high,
    }


class CloseForm(ServiceFormMixin, forms.Form):
    served_on = _date(_("送达日期"), required=False)
    closed_on = _date(_("结案日期"))


# ---------------------------------------------------------------- discretion standards


def _band_fields() -> dict:
    """Five rows of band fields (band_<n>_name ... band_<n>_max_amount), the first required."""
    fields: dict = {}
    for n in range(1, BAND_ROWS + 1):
        required = n == 1
        fields[f"band_{n}_name"] = forms.CharField(
            label=format_lazy(_("第 {n} 档：档次"), n=n), required=required, max_length=40
        )
        fields[f"band_{n}_circumstances"] = _text(
            format_lazy(_("第 {n} 档：适用情形"), n=n), rows=2, required=required
        )
        fields[f"band_{n}_measure"] = _text(
            format_lazy(_("第 {n} 档：处罚种类或措施"), n=n), rows=2, required=required
        )
        fields[f"band_{n}_min_amount"] = forms.DecimalField(
            label=format_lazy(_("第 {n} 档：罚款下限（元）"), n=n),
            required=False,
            min_value=0,
            max_digits=12,
            decimal_places=2,
        )
        fields[f"band_{n}_max_amount"] = forms.DecimalField(
            label=format_lazy(_("第 {n} 档：罚款上限（元）"), n=n),
            required=False,
            min_value=0,
            max_digits=12,
            decimal_places=2,
        )
    return fields


_BandFields = type("_BandFields", (forms.Form,), _band_fields())


class StandardForm(ServiceFormMixin, _BandFields):
    code = forms.CharField(label=_("编号"), max_length=40)
    violation = forms.CharField(label=_("违法行为"), max_length=300)
    item = forms.ChoiceField(label=_("对应检查事项"), required=False)
    breached_designation = forms.CharField(
        label=_("违反条款：文号或标准号"), required=False, max_length=100
    )
    breached_number = forms.CharField(label=_("违反条款：条号"), required=False, max_length=40)
    penalty_designation = forms.CharField(
        label=_("处罚依据：文号或标准号"), required=False, max_length=100
    )
    penalty_number = forms.CharField(label=_("处罚依据：条号"), required=False, max_length=40)
    legal_basis = _text(_("法律依据"), rows=3, help_text=_("决定书引用的法律依据全文"))
    active = forms.BooleanField(label=_("有效"), required=False, initial=True)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "—")] + [
            (str(i.pk), f"{i.code} {i.name}") for i in items
        ]

    def band_groups(self) -> list[list]:
        """The band fields, row by row, for the template."""
        return [
            [
                self[f"band_{n}_{f}"]
                for f in ("name", "circumstances", "measure", "min_amount", "max_amount")
            ]
            for n in range(1, BAND_ROWS + 1)
        ]

    def main_fields(self) -> list:
        return [self[name] for name in self.fields if not name.startswith("band_")]

    def bands(self) -> list[dict]:
        data = self.cleaned_data
        rows = []
        for n in range(1, BAND_ROWS + 1):
            row = {
                f: data.get(f"band_{n}_{f}")
                for f in ("name", "circumstances", "measure", "min_amount", "max_amount")
            }
            if any(v not in (None, "") for v in row.values()):
                rows.append(row)
        return rows


# ---------------------------------------------------------------- exemption lists


class ExemptionListForm(ServiceFormMixin, forms.Form):
    level = forms.ChoiceField(label=_("层级"))
    title = forms.CharField(label=_("名称"), max_length=200)
    published_on = _date(_("发布日期"))

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(v, Level(v).label) for v in levels]
        self.fields["published_on"].initial = timezone.localdate()


# The sectors an entry may name: the never-exempt ones are not offered at all.
ENTRY_SECTORS = [(v, label) for v, label in Sector.choices if v not in NEVER_EXEMPT]


class ExemptionEntryForm(ServiceFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ExemptionKind.choices)
    sector = forms.ChoiceField(
        label=_("领域"),
        choices=ENTRY_SECTORS,
        help_text=_("突发公共安全事件应对、灾害期间哄抬物价和列明的高风险领域不得免罚，不在此列"),
    )
    violation = forms.CharField(label=_("违法行为"), max_length=300)
    item_code = forms.CharField(
        label=_("对应检查事项编码"),
        required=False,
        max_length=40,
        help_text=_("可选；部门清单只能填本部门的事项"),
    )
    standard = forms.ChoiceField(label=_("对应裁量基准"), required=False)
    legal_basis = _text(_("依据"), rows=2, required=False)
    needs_first_offence = forms.BooleanField(label=_("须为初次违法"), required=False, initial=True)
    lookback_days = forms.IntegerField(
        label=_("初次违法的回溯期（日）"), min_value=1, max_value=3650, initial=730
    )
    needs_minor_harm = forms.BooleanField(label=_("须危害后果轻微"), required=False, initial=True)
    needs_corrected = forms.BooleanField(label=_("须及时改正"), required=False, initial=True)
    active = forms.BooleanField(label=_("有效"), required=False, initial=True)

    error_fields = {"item": "item_code"}

    def __init__(self, *args, standards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].choices = [("", "—")] + [
            (str(s.pk), f"{s.department.name} {s.code} {s.violation}") for s in standards
        ]


# ---------------------------------------------------------------- observation periods


class ObservationForm(ServiceFormMixin, forms.Form):
    name = forms.CharField(label=_("新业态名称"), max_length=100)
    industry_codes = forms.CharField(
        label=_("行业代码前缀"),
        required=False,
        max_length=200,
        help_text=_("GB/T 4754 代码前缀，多个用逗号或空格分开，例如 6572, 5292"),
    )
    tags = forms.MultipleChoiceField(
        label=_("风险标签"), required=False, widget=forms.CheckboxSelectMultiple
    )
    starts_on = _date(_("观察期开始"))
    ends_on = _date(_("观察期结束"))
    note = _text(_("说明"), rows=2, required=False)

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].choices = [(str(t.pk), t.name) for t in tags]

    def codes(self) -> list[str]:
        raw = self.cleaned_data.get("industry_codes") or ""
        return [c for c in raw.replace("，", ",").replace(",", " ").split() if c]
