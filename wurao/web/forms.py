"""Form plumbing shared by the pages."""

from django import forms
from django.core.exceptions import ValidationError


class BootstrapFormMixin:
    """Give each widget the Bootstrap 5 class its kind needs, so templates can loop over fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


CHECK_GROUPS = forms.RadioSelect | forms.CheckboxSelectMultiple


class ServiceFormMixin(BootstrapFormMixin):
    """Bootstrap classes (radio and checkbox groups included), fields drawn in red when wrong,
    and a service's ValidationError placed at the field it names, the rest above the form."""

    # A service names some errors by a concept the form spells differently.
    error_fields: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, CHECK_GROUPS):
                field.widget.attrs["class"] = "form-check-input"

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        # add_error may name several fields at once (a dict): mark each of them.
        for name in self.errors:
            if name in self.fields and not isinstance(self.fields[name].widget, CHECK_GROUPS):
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def add_service_error(self, error: ValidationError, *, keep_own: bool = False) -> None:
        """With keep_own, a field the form already found wrong keeps its own message only."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for name, messages in error.message_dict.items():
            target = self.error_fields.get(name, name)
            if keep_own and target in self.errors:
                continue
            self.service_error_place(target, messages)

    def service_error_place(self, target: str, messages: list[str]) -> None:
        self.add_error(target if target in self.fields else None, messages)
