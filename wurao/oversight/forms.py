"""The dashboard's own form beside the filter bar (wurao/oversight/filters.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wurao.common.credit_code import CreditCodeError, credit_code_normalise
from wurao.common.forms import NamedMessagesMixin


class EnterpriseChoiceForm(NamedMessagesMixin, forms.Form):
    """Figure 2's enterprise: a credit code, or empty for the most-visited."""

    credit_code = forms.CharField(
        label=_("企业统一社会信用代码"),
        required=False,
        max_length=30,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("留空则显示入企最多的企业"),
                "class": "form-control form-control-sm",
            }
        ),
    )

    def clean_credit_code(self) -> str:
        value = self.cleaned_data["credit_code"].strip()
        if not value:
            return ""
        try:
            return credit_code_normalise(value)
        except CreditCodeError as error:
            raise forms.ValidationError(error.message) from None
