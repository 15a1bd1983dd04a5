from django import forms
from django.utils.translation import gettext_lazy as _

from wurao.common.forms import ServiceFormMixin


class TwoFactorCodeForm(ServiceFormMixin, forms.Form):
    """The six digits an authenticator app shows (spaces, as some apps group them, allowed)."""

    token = forms.CharField(
        label=_("验证码"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "pattern": "[0-9 ]*",
            }
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdecimal() or len(token) != 6:
            raise forms.ValidationError(_("验证码是验证器应用中显示的 6 位数字"))
        return token
