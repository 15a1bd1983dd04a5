import datetime

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wurao.common.credit_code import CreditCodeError, credit_code_normalise
from wurao.common.forms import BootstrapFormMixin


class DashboardForm(BootstrapFormMixin, forms.Form):
    """The dashboard's GET parameters: the year for Table 1 and Figure 1; the enterprise and period for Figure 2."""

    year = forms.TypedChoiceField(label=_("年度"), coerce=int, empty_value=None, required=False)
    credit_code = forms.CharField(
        label=_("企业统一社会信用代码"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"placeholder": _("留空则显示入企最多的企业")}),
    )
    date_from = forms.DateField(
        label=_("起"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("止"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, gettext("%(year)s 年") % {"year": y}) for y in years]

    def clean_credit_code(self) -> str:
        value = self.cleaned_data["credit_code"].strip()
        if not value:
            return ""
        try:
            return credit_code_normalise(value)
        except CreditCodeError as error:
            raise forms.ValidationError(error.message) from None

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("截止日期不能早于起始日期"))
        return data

    def choice(self, default_year: int) -> tuple[int, str, datetime.date, datetime.date]:
        """(year, credit code, period start, period end), with defaults for whatever is missing or invalid."""
        data: dict = {}
        if self.is_bound:
            # cleaned_data keeps the fields that passed: a mistyped credit code keeps the chosen year.
            self.is_valid()
            data = self.cleaned_data
        year = data.get("year") or default_year
        return (
            year,
            data.get("credit_code", ""),
            data.get("date_from") or datetime.date(year, 1, 1),
            data.get("date_to") or datetime.date(year, 12, 31),
        )
