"""Forms of the draw pages. Each parses a request into the arguments of one service or selector."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wurao.catalogue import selectors as catalogue_selectors
from wurao.common.forms import INTEGER_MAX, FilterFormMixin, ServiceFormMixin
from wurao.credit import selectors as credit_selectors
from wurao.registry import selectors as registry_selectors
from wurao.registry.choices import EnterpriseKind, SizeClass
from wurao.registry.industries import INDUSTRY_SECTIONS
from wurao.sampling.choices import (
    DEFAULT_WEIGHTS,
    GRADE_STRATA,
    ResultCategory,
    SizeMode,
    TaskStatus,
)
from wurao.sampling.services_draft import (
    LAWFUL_TEAM_SIZE,
    WINDOW_YEARS,
    ParticipantSpec,
    draw_window_validate,
)

# The browser's date picker keeps to the years the service accepts.
WINDOW_PICKER = {
    "type": "date",
    "min": f"{WINDOW_YEARS[0]}-01-01",
    "max": f"{WINDOW_YEARS[1]}-12-31",
}

GRADE_LABELS = {"A": _("A 级"), "B": _("B 级"), "C": _("C 级"), "D": _("D 级"), "U": _("未评级")}


class FormMixin(ServiceFormMixin):
    """The shared service-error form, and errors a service names by a group of fields (the
    scope, the weights), shown at that group."""

    sections: frozenset[str] = frozenset()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.section_errors: dict[str, list[str]] = {}

    def service_error_place(self, target: str, messages: list[str]) -> None:
        if target not in self.fields and target in self.sections:
            self.section_errors.setdefault(target, []).extend(messages)
        else:
            super().service_error_place(target, messages)


class DrawTaskFilterForm(FilterFormMixin, forms.Form):
    q = forms.CharField(
        label=_("任务名称或编号"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("任务名称关键字，或编号")}),
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部状态")), *TaskStatus.choices], required=False
    )
    joint = forms.BooleanField(label=_("仅跨部门联合抽查"), required=False)

    def filters(self) -> dict:
        return {k: v for k, v in self.valid_data().items() if v}


def _checkboxes(label, queryset_or_choices, **kwargs):
    if isinstance(queryset_or_choices, list):
        return forms.MultipleChoiceField(
            label=label,
            choices=queryset_or_choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=queryset_or_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        **kwargs,
    )


class CommunityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.street.name} · {obj.name}"


class DrawScopeForm(FormMixin, forms.Form):
    """What draw_scope_preview needs: the scope, the size and the weights per grade."""

    streets = _checkboxes(_("街道"), registry_selectors.street_list())
    communities = CommunityChoiceField(
        label=_("社区"),
        queryset=registry_selectors.community_list(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    parks = _checkboxes(_("园区"), registry_selectors.park_list())
    industry_sections = _checkboxes(
        _("行业门类"),
        [
            (letter, format_lazy("{} {}", letter, _(name)))
            for letter, _lo, _hi, name in INDUSTRY_SECTIONS
        ],
    )
    kinds = _checkboxes(_("主体类型"), list(EnterpriseKind.choices))
    size_classes = _checkboxes(_("企业规模"), list(SizeClass.choices))
    risk_tags = _checkboxes(_("风险标签"), registry_selectors.risk_tag_list(), to_field_name="code")
    above_scale = forms.BooleanField(label=_("仅规上企业"), required=False)
    size_mode = forms.ChoiceField(
        label=_("抽取方式"),
        choices=SizeMode.choices,
        initial=SizeMode.TOTAL,
        widget=forms.RadioSelect,
    )
    size_value = forms.DecimalField(
        label=_("抽取总数或比例"),
        max_digits=12,
        decimal_places=4,
        min_value=0,
        initial=20,
        help_text=_("按总数：抽取企业家数；按比例：0 到 1 之间的小数，如 0.05 表示 5%"),
    )

    sections = frozenset({"scope", "weights"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        initial_weights = {**DEFAULT_WEIGHTS, **credit_selectors.sampling_weights()}
        for label in GRADE_STRATA:
            self.fields[f"weight_{label}"] = forms.DecimalField(
                label=GRADE_LABELS[label],
                max_digits=8,
                decimal_places=4,
                min_value=0,
                initial=initial_weights[label],
                widget=forms.NumberInput(
                    attrs={"class": "form-control form-control-sm", "step": "0.1"}
                ),
            )

    @property
    def scope_fields(self) -> list:
        names = ["streets", "communities", "parks", "industry_sections", "kinds", "size_classes"]
        return [self[name] for name in [*names, "risk_tags"]]

    @property
    def weight_fields(self) -> list:
        return [self[f"weight_{label}"] for label in GRADE_STRATA]

    def scope(self) -> dict:
        """The scope as DrawTask.scope stores it: ids and codes, only the filters given."""
        data = self.cleaned_data
        scope: dict = {}
        for name in ("streets", "communities", "parks"):
            if data.get(name):
                scope[name] = sorted(obj.pk for obj in data[name])
        for name in ("industry_sections", "kinds", "size_classes"):
            if data.get(name):
                scope[name] = sorted(data[name])
        if data.get("risk_tags"):
            scope["risk_tags"] = sorted(tag.code for tag in data["risk_tags"])
        if data.get("above_scale"):
            scope["above_scale"] = True
        return scope

    def weights(self) -> dict[str, str]:
        return {
            label: format(self.cleaned_data[f"weight_{label}"].normalize(), "f")
            for label in GRADE_STRATA
        }

    def preview_kwargs(self) -> dict:
        return {
            "scope": self.scope(),
            "size_mode": self.cleaned_data["size_mode"],
            "size_value": self.cleaned_data["size_value"],
            "weights": self.weights(),
        }


class DrawTaskForm(DrawScopeForm):
    """A new task: its scope and size, the departments with their items, teams and window."""

    title = forms.CharField(
        label=_("任务名称"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("如：2026年第四季度安全生产双随机抽查")}),
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("联合抽查部门（可选）"),
        queryset=registry_selectors.department_list(enforcement_only=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("选择其他执法部门即为跨部门联合抽查：同一批企业，各部门各派检查组，一次入企"),
    )
    # Every item exists here; the service refuses those outside the departments' lists by name.
    items = forms.ModelMultipleChoiceField(
        label=_("检查事项"),
        queryset=catalogue_selectors.item_list(filters={"active_only": False}),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    team_size = forms.IntegerField(
        label=_("每组执法人员数"), min_value=1, max_value=10, initial=LAWFUL_TEAM_SIZE
    )
    team_size_reason = forms.CharField(
        label=_("少于 2 人的理由"),
        max_length=200,
        required=False,
        help_text=_("法律要求现场执法不少于两人；少于 2 人须说明理由"),
    )
    window_start = forms.DateField(
        label=_("计划检查开始"), widget=forms.DateInput(attrs=WINDOW_PICKER, format="%Y-%m-%d")
    )
    window_end = forms.DateField(
        label=_("计划检查结束"), widget=forms.DateInput(attrs=WINDOW_PICKER, format="%Y-%m-%d")
    )

    error_fields = {
        **DrawScopeForm.error_fields,
        "participants": "partners",
        "lead_department": "partners",
    }

    field_order = ["title"]

    def __init__(self, *args, lead_department, **kwargs):
        super().__init__(*args, **kwargs)
        self.lead_department = lead_department
        self.fields["partners"].queryset = self.fields["partners"].queryset.exclude(
            pk=lead_department.pk
        )
        if not self.is_bound:
            today = datetime.date.today()
            self.initial.setdefault("window_start", today + datetime.timedelta(days=7))
            self.initial.setdefault("window_end", today + datetime.timedelta(days=37))

    def departments(self) -> list:
        """The lead department, then the partners ticked (bound or not, valid or not)."""
        if hasattr(self, "cleaned_data") and "partners" in self.cleaned_data:
            partners = list(self.cleaned_data["partners"])
        else:
            ticked = self.data.getlist("partners") if self.is_bound else []
            ids = [v for v in ticked if v.isdecimal() and int(v) <= INTEGER_MAX]
            partners = list(self.fields["partners"].queryset.filter(pk__in=ids))
        return [self.lead_department, *partners]

    def item_groups(self) -> list[dict]:
        """One checkbox group per department, from its published list (一单)."""
        checked = set(self.data.getlist("items")) if self.is_bound else set()
        return [
            {
                "department": department,
                "lead": department.pk == self.lead_department.pk,
                "items": [
                    (item, str(item.pk) in checked)
                    for item in catalogue_selectors.item_list(
                        filters={"department": department.pk}
                    ).order_by("code")
                ],
            }
            for department in self.departments()
        ]

    def clean(self):
        data = super().clean()
        if data.get("window_start") and data.get("window_end"):
            # The service's own rule, checked before anything is saved.
            try:
                draw_window_validate(
                    window_start=data["window_start"], window_end=data["window_end"]
                )
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    self.add_error(name, messages)
        if "partners" in data and "items" in data:
            taking_part = {d.pk for d in self.departments()}
            foreign = [item for item in data["items"] if item.department_id not in taking_part]
            if foreign:
                self.add_error(
                    "items",
                    gettext("检查事项 %(items)s 不属于参与抽查的部门公布的清单（清单之外无事项）")
                    % {
                        "items": "、".join(
                            f"{item.code}（{item.department.name}）" for item in foreign
                        )
                    },
                )
        return data

    def create_kwargs(self) -> dict:
        data = self.cleaned_data
        items = list(data["items"])
        participants = [
            ParticipantSpec(
                department=department,
                items=[item for item in items if item.department_id == department.pk],
                team_size=data["team_size"],
                team_size_reason=data["team_size_reason"],
            )
            for department in self.departments()
        ]
        return {
            "title": data["title"],
            "lead_department": self.lead_department,
            "participants": participants,
            "scope": self.scope(),
            "size_mode": data["size_mode"],
            "size_value": data["size_value"],
            "weights": self.weights(),
            "window_start": data["window_start"],
            "window_end": data["window_end"],
        }


class DrawForm(FormMixin, forms.Form):
    observer = forms.CharField(
        label=_("监督见证人"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("如：区司法局 王某某")}),
    )
    external_entropy = forms.CharField(
        label=_("外部随机数"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("如：现场掷骰 3-5-2-6，或当日公开数据")}),
        help_text=_("由见证人当场给出，承诺公开之前不存在的数值；与服务器种子共同决定抽取结果"),
    )


class ResultForm(FormMixin, forms.Form):
    category = forms.ChoiceField(
        label=_("检查结果"), choices=[("", _("请选择检查结果")), *ResultCategory.choices]
    )
    inspected_on = forms.DateField(
        label=_("检查日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("情况说明"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("情况说明（选填）")}),
    )
