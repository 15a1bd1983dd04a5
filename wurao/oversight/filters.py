"""The dashboard's slice: which period and which part of the district every tab shows.

One `Slice` (frozen, hashable) travels from the filter bar to the page data functions
(selectors_dashboard, selectors_panels, selectors_rules) and back into every link as a query string, so a
drill-down keeps what the user chose. The viewer's scope is applied separately (Scope);
the slice can only narrow it: a department's filter is fixed to its own department, a
street's to its own street, and any other value is a field error, never a wider view.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, replace
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wurao.accounts.scope import Scope
from wurao.common.forms import BootstrapFormMixin
from wurao.common.periods import latest_year_until
from wurao.credit.choices import Grade
from wurao.enforcement import selectors as enforcement_selectors
from wurao.registry import selectors as registry_selectors
from wurao.registry.choices import Level, SizeClass
from wurao.visits import selectors as visit_selectors

# GB/T 4754-2017 门类 (sections): the letter stored on Enterprise.industry_section.
INDUSTRY_SECTIONS = {
    "A": _("农、林、牧、渔业"),
    "B": _("采矿业"),
    "C": _("制造业"),
    "D": _("电力、热力、燃气及水生产和供应业"),
    "E": _("建筑业"),
    "F": _("批发和零售业"),
    "G": _("交通运输、仓储和邮政业"),
    "H": _("住宿和餐饮业"),
    "I": _("信息传输、软件和信息技术服务业"),
    "J": _("金融业"),
    "K": _("房地产业"),
    "L": _("租赁和商务服务业"),
    "M": _("科学研究和技术服务业"),
    "N": _("水利、环境和公共设施管理业"),
    "O": _("居民服务、修理和其他服务业"),
    "P": _("教育"),
    "Q": _("卫生和社会工作"),
    "R": _("文化、体育和娱乐业"),
    "S": _("公共管理、社会保障和社会组织"),
    "T": _("国际组织"),
}


UNGRADED = "U"  # the grade filter's value for enterprises not graded yet


@dataclass(frozen=True)
class Slice:
    """A period and optional narrowing filters (None: not filtered)."""

    date_from: datetime.date
    date_to: datetime.date
    department_id: int | None = None
    level: str | None = None
    street_id: int | None = None
    industry_section: str | None = None
    grade: str | None = None
    size_class: str | None = None

    @classmethod
    def year(cls, year: int, **filters) -> Slice:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), **filters)

    def params(self) -> dict[str, str]:
        """The slice as the filter bar's GET parameters (empty filters left out)."""
        out = {}
        for key, value in asdict(self).items():
            if value in (None, ""):
                continue
            name = {"department_id": "department", "street_id": "street"}.get(key, key)
            out[name] = value.isoformat() if isinstance(value, datetime.date) else str(value)
        return out

    def query(self, **extra) -> str:
        """urlencoded parameters for links that keep the slice (plus `extra`, None dropped)."""
        params = {**self.params(), **{k: str(v) for k, v in extra.items() if v not in (None, "")}}
        return urlencode(params)

    def replace(self, **changes) -> Slice:
        return replace(self, **changes)

    @property
    def is_single_year(self) -> bool:
        return (
            self.date_from.year == self.date_to.year
            and (self.date_from.month, self.date_from.day) == (1, 1)
            and (self.date_to.month, self.date_to.day) == (12, 31)
        )


class DashboardFilterForm(BootstrapFormMixin, forms.Form):
    """The filter bar shared by every dashboard tab (GET)."""

    date_from = forms.DateField(
        label=_("起始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    department = forms.TypedChoiceField(
        label=_("执法部门"), coerce=int, empty_value=None, required=False
    )
    level = forms.ChoiceField(label=_("层级"), required=False)
    street = forms.TypedChoiceField(label=_("街道"), coerce=int, empty_value=None, required=False)
    industry_section = forms.ChoiceField(label=_("行业门类"), required=False)
    grade = forms.ChoiceField(label=_("信用等级"), required=False)
    size_class = forms.ChoiceField(label=_("规模"), required=False)

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        everything = [("", _("全部"))]
        departments = registry_selectors.department_list().values_list("pk", "name")
        if scope.department_id:
            departments = departments.filter(pk=scope.department_id)
            self.fields["department"].choices = list(departments)
            self.fields["department"].disabled = True
            self.fields["department"].initial = scope.department_id
        else:
            self.fields["department"].choices = everything + list(departments)
        streets = registry_selectors.street_list().values_list("pk", "name")
        if scope.street_id:
            self.fields["street"].choices = list(streets.filter(pk=scope.street_id))
            self.fields["street"].disabled = True
            self.fields["street"].initial = scope.street_id
        else:
            self.fields["street"].choices = everything + list(streets)
        self.fields["level"].choices = everything + list(Level.choices)
        self.fields["industry_section"].choices = everything + [
            (k, f"{k} {v}") for k, v in INDUSTRY_SECTIONS.items()
        ]
        self.fields["grade"].choices = (
            everything + [(g.value, g.value) for g in Grade] + [(UNGRADED, _("未评级"))]
        )
        self.fields["size_class"].choices = everything + list(SizeClass.choices)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("截止日期不能早于起始日期"))
        return data

    def _raw_outside_scope(self) -> None:
        """A disabled field ignores what was sent; a value outside the viewer's scope is still
        an error the user sees (a link from another scope must not look like it worked)."""
        if not self.is_bound:
            return
        for name, own in (
            ("department", self.scope.department_id),
            ("street", self.scope.street_id),
        ):
            sent = self.data.get(name)
            if own and sent not in (None, "") and str(sent) != str(own):
                self.add_error(name, _("超出您的查看范围"))

    def slice(self, *, default_year: int) -> Slice:
        """The slice chosen, with defaults for what is missing or invalid."""
        data: dict = {}
        if self.is_bound:
            self.is_valid()
            self._raw_outside_scope()
            data = self.cleaned_data
        start = data.get("date_from") or datetime.date(default_year, 1, 1)
        end = data.get("date_to") or (
            datetime.date(start.year, 12, 31)
            if data.get("date_from")
            else datetime.date(default_year, 12, 31)
        )
        if end < start:
            end = datetime.date(start.year, 12, 31)
        return Slice(
            date_from=start,
            date_to=end,
            department_id=self.scope.department_id or data.get("department") or None,
            level=data.get("level") or None,
            street_id=self.scope.street_id or data.get("street") or None,
            industry_section=data.get("industry_section") or None,
            grade=data.get("grade") or None,
            size_class=data.get("size_class") or None,
        )


def default_year(scope: Scope, *, today: datetime.date | None = None) -> int:
    """The latest year with records (actions or non-enforcement visits) up to today."""
    today = today or timezone.localdate()
    years = [
        latest_year_until(enforcement_selectors.action_list(scope=scope).order_by(), until=today),
        latest_year_until(
            visit_selectors.non_enforcement_list(scope=scope).order_by(), until=today
        ),
    ]
    return max((y for y in years if y), default=today.year)


def slice_from_request(request, scope: Scope) -> tuple[DashboardFilterForm, Slice]:
    """(the filter bar's form, the slice) from the request's GET parameters."""
    bound = any(name in request.GET for name in DashboardFilterForm.base_fields)
    form = DashboardFilterForm(request.GET if bound else None, scope=scope)
    chosen = form.slice(default_year=requested_year(request) or default_year(scope))
    # The bar shows the period in force, also when it was not typed (a default, ?year=).
    shown = {"date_from": chosen.date_from, "date_to": chosen.date_to}
    if not bound:
        form.initial.update(shown)
    elif not (request.GET.get("date_from") and request.GET.get("date_to")):
        form.data = form.data.copy()
        for name, value in shown.items():
            if not form.data.get(name):
                form.data[name] = value.isoformat()
    return form, chosen


def requested_year(request) -> int | None:
    """`?year=2020`, the dashboard's older links (and the API's): that calendar year."""
    value = request.GET.get("year", "")
    return (
        int(value) if value.isascii() and value.isdigit() and 1900 <= int(value) <= 2999 else None
    )


def slice_is_default(request) -> bool:
    """Whether the period is the default one (nothing chosen): the page says so."""
    chosen = ("year", "date_from", "date_to")
    return not any(request.GET.get(name) for name in chosen)
