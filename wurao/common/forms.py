"""Form plumbing shared by the pages."""

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Django's stock messages ("确保该变量包含不超过 100 字符") name neither the field nor what
# the user typed: every form on the mixin says both, in plain Chinese.
_LENGTH_MESSAGES = {
    validators.MaxLengthValidator: _("{field}最多 %(limit_value)d 个字，现有 %(show_value)d 个字"),
    validators.MinLengthValidator: _("{field}至少 %(limit_value)d 个字，现有 %(show_value)d 个字"),
    validators.MaxValueValidator: _("{field}不能大于 %(limit_value)s"),
    validators.MinValueValidator: _("{field}不能小于 %(limit_value)s"),
}
_INVALID_MESSAGES = (
    # The first that fits: Django's DecimalField and FloatField are kinds of IntegerField.
    (forms.DateField, _("{field}应为日期，如 2026-01-31")),
    (forms.DateTimeField, _("{field}应为日期和时间，如 2026-01-31 09:30")),
    (forms.DecimalField, _("{field}应为数字")),
    (forms.FloatField, _("{field}应为数字")),
    (forms.IntegerField, _("{field}应为整数")),
)
# The largest integer a database column holds (64-bit, signed). A larger number is no
# record's id and no count: SQLite cannot even compare with it (OverflowError, a 500).
INTEGER_MAX = 2**63 - 1

_INVALID_CHOICE = _("{field}中没有“%(value)s”这一项，请从列表中选择")
_REQUIRED_TYPED = _("请填写{field}")
_REQUIRED_CHOSEN = _("请选择{field}")


def _named(template, label) -> str:
    # Built when the form is, in the request's language. The label goes into a %-formatted
    # message: a literal % in it must not be read as a slot.
    return str(template).format(field=str(label).replace("%", "%%"))


def _stock_messages(field: forms.Field) -> dict:
    stock: dict = {}
    for cls in reversed(type(field).__mro__):
        stock.update(getattr(cls, "default_error_messages", {}))
    return stock


def field_messages_name(field: forms.Field, name: str) -> None:
    """Give `field` messages that name it (its label, else its name) and say what is wrong, in
    place of Django's stock ones; a message the form wrote itself stays."""
    label = field.label or name
    stock = _stock_messages(field)
    choosing = isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField)
    own = {
        "required": _REQUIRED_CHOSEN if choosing else _REQUIRED_TYPED,
        "invalid_choice": _INVALID_CHOICE,
        "invalid": next((t for kind, t in _INVALID_MESSAGES if isinstance(field, kind)), None),
    }
    for key, template in own.items():
        if template and key in field.error_messages and field.error_messages[key] == stock.get(key):
            field.error_messages[key] = _named(template, label)
    whole = isinstance(field, forms.IntegerField) and not isinstance(
        field, forms.DecimalField | forms.FloatField
    )
    if whole and field.max_value is None:
        field.max_value = INTEGER_MAX
        field.validators.append(validators.MaxValueValidator(INTEGER_MAX))
    named = []
    for validator in field.validators:
        template = _LENGTH_MESSAGES.get(type(validator))
        if template is not None and validator.message == type(validator).message:
            validator = type(validator)(validator.limit_value, message=_named(template, label))
        named.append(validator)
    # Each form instance holds its own copy of the field, so this changes this form only.
    field.validators = named


class NamedMessagesMixin:
    """Every form of the project is on this mixin (a test walks them all): each field's messages
    name it and say what is wrong, in plain Chinese, instead of Django's stock ones. A form that
    styles its own widgets takes this alone; the others take BootstrapFormMixin."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field_messages_name(field, name)


class BootstrapFormMixin(NamedMessagesMixin):
    """Give each widget the Bootstrap 5 class its kind needs, so templates can loop over fields;
    and each field messages that name it in plain Chinese."""

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


class FilterFormMixin(BootstrapFormMixin):
    """A list page's GET filters. A wrong value (a search past its length, a mistyped date) is
    refused with its message, and only that field is left out: the other filters still apply,
    instead of the page falling back to the whole unfiltered list."""

    def valid_data(self) -> dict:
        """Each field's cleaned value if it passed, else its empty value."""
        if self.is_bound:
            self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: cleaned[name] if name in cleaned else _empty(field)
            for name, field in self.fields.items()
        }


def _empty(field: forms.Field):
    if isinstance(field, forms.TypedChoiceField | forms.TypedMultipleChoiceField):
        return field.empty_value
    return field.to_python(None)


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
