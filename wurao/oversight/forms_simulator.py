"""The policy simulator's form: the year to replay and the two rule sets, A and B, to compare.

Each rule set is the present rules (nothing changes: the year as recorded), the shipped default
proposal (wurao/oversight/simulation/default_rules.json), or a JSON document pasted or
uploaded. A document is checked before anything runs: a JSON syntax error names its line and
column, a rule-set error the JSON path (ruleset_from_json's RuleSetError), in the page's
language.
"""

import json
from pathlib import Path
from types import SimpleNamespace

from django import forms
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from wurao.common.forms import BootstrapFormMixin
from wurao.oversight.simulation.rules import (
    RuleSetError,
    default_ruleset,
    ruleset_from_json,
    ruleset_to_json,
)

BASELINE = "baseline"
DEFAULT = "default"
CUSTOM = "custom"
SOURCES = [
    (BASELINE, _("现行（不改变，基线）")),
    (DEFAULT, _("默认建议规则")),
    (CUSTOM, _("自定义（粘贴或上传 JSON）")),
]
SIDES = ("a", "b")
MAX_JSON_BYTES = 256 * 1024  # a rule set is a few kilobytes; this is far beyond any real one
DEFAULT_FILE = Path(__file__).resolve().parent / "simulation" / "default_rules.json"
# A rule set is a document of the district's, its names and notes in Chinese whatever the page's
# language (lang tells a screen reader and the English check so).
RULES_TEXTAREA = {"rows": 14, "spellcheck": "false", "class": "font-monospace", "lang": "zh-hans"}


def default_json_text() -> str:
    """The default rules as a starting point for editing: the shipped file as written (its
    order and notes), or the rule set written out if the file cannot be read."""
    try:
        return DEFAULT_FILE.read_text(encoding="utf-8")
    except OSError:
        return json.dumps(ruleset_to_json(default_ruleset()), ensure_ascii=False, indent=2)


def ruleset_error_text(error: RuleSetError) -> str:
    """The rule-set error in the page's language (Chinese unless English is chosen)."""
    english = (get_language() or "").startswith("en")
    message = getattr(error, "message_en", "") if english else getattr(error, "message", "")
    return message or str(error)


def json_document(text: str) -> dict:
    """The pasted or uploaded text as a JSON object, or a ValidationError that says where."""
    if not text.strip():
        raise forms.ValidationError(gettext("请粘贴或上传规则集 JSON"))
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        raise forms.ValidationError(
            gettext("JSON 格式错误：第 %(line)s 行第 %(column)s 列（%(reason)s）")
            % {"line": error.lineno, "column": error.colno, "reason": error.msg}
        ) from None
    if not isinstance(doc, dict):
        raise forms.ValidationError(gettext("规则集应为一个 JSON 对象（以 { 开头）"))
    return doc


class SimulatorForm(BootstrapFormMixin, forms.Form):
    """The year and the rule sets A and B; `cleaned_data["rules"]` holds, per side, its source,
    its label and its document (None for the present rules)."""

    year = forms.TypedChoiceField(label=_("模拟年度"), coerce=int)
    a_source = forms.ChoiceField(
        label=_("规则集 A"), choices=SOURCES, initial=BASELINE, widget=forms.RadioSelect
    )
    a_json = forms.CharField(
        label=_("规则集 A 的 JSON"),
        required=False,
        widget=forms.Textarea(attrs=RULES_TEXTAREA),
    )
    a_file = forms.FileField(label=_("或上传 JSON 文件"), required=False)
    b_source = forms.ChoiceField(
        label=_("规则集 B"), choices=SOURCES, initial=DEFAULT, widget=forms.RadioSelect
    )
    b_json = forms.CharField(
        label=_("规则集 B 的 JSON"),
        required=False,
        widget=forms.Textarea(attrs=RULES_TEXTAREA),
    )
    b_file = forms.FileField(label=_("或上传 JSON 文件"), required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, gettext("%(year)s 年") % {"year": y}) for y in years]
        # The latest whole year with records: a year still under way would look lighter
        # than it will be.
        this_year = timezone.localdate().year
        whole = [y for y in years if y < this_year]
        if years:
            self.fields["year"].initial = max(whole) if whole else max(years)
        text = default_json_text()
        for side in SIDES:
            self.fields[f"{side}_source"].widget.attrs["class"] = "form-check-input"
            self.fields[f"{side}_json"].initial = text
            self.fields[f"{side}_file"].widget.attrs["accept"] = ".json,application/json"

    @property
    def sides(self) -> list[SimpleNamespace]:
        """Each rule set's fields, for the template to lay A and B out alike."""
        return [
            SimpleNamespace(
                name=side,
                source=self[f"{side}_source"],
                json=self[f"{side}_json"],
                file=self[f"{side}_file"],
            )
            for side in SIDES
        ]

    def _side(self, side: str) -> dict:
        name = side.upper()
        source = self.cleaned_data.get(f"{side}_source")
        if source == BASELINE:
            return {"source": source, "label": gettext("现行（基线）"), "doc": None}
        if source == DEFAULT:
            doc = ruleset_to_json(default_ruleset())
            return {"source": source, "label": gettext("默认建议规则"), "doc": doc}
        upload = self.cleaned_data.get(f"{side}_file")
        field = f"{side}_file" if upload else f"{side}_json"
        if upload:
            if upload.size > MAX_JSON_BYTES:
                raise forms.ValidationError(
                    {field: gettext("文件过大：规则集 JSON 不应超过 256 KB")}
                )
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    {field: gettext("文件不是 UTF-8 编码的文本，请另存为 UTF-8 后重新上传")}
                ) from None
            label = gettext("自定义（%(name)s）") % {"name": Path(upload.name).name[:60]}
        else:
            text = self.cleaned_data.get(f"{side}_json") or ""
            if len(text.encode()) > MAX_JSON_BYTES:
                raise forms.ValidationError({field: gettext("规则集 JSON 不应超过 256 KB")})
            label = gettext("自定义（粘贴）")
        try:
            doc = json_document(text)
            ruleset = ruleset_from_json(doc)
        except forms.ValidationError as error:
            raise forms.ValidationError(
                {field: [gettext("规则集 %(side)s：") % {"side": name} + m for m in error.messages]}
            ) from None
        except RuleSetError as error:
            raise forms.ValidationError(
                {
                    field: gettext("规则集 %(side)s：%(error)s")
                    % {"side": name, "error": ruleset_error_text(error)}
                }
            ) from None
        # A document that names itself ("name") is shown by that name.
        if isinstance(doc.get("name"), str) and doc["name"].strip():
            label = gettext("自定义：%(name)s") % {"name": doc["name"].strip()[:60]}
        return {"source": source, "label": label, "doc": ruleset_to_json(ruleset)}

    def clean(self):
        data = super().clean()
        rules = {}
        for side in SIDES:
            try:
                rules[side] = self._side(side)
            except forms.ValidationError as error:
                self.add_error(None, error)
        if len(rules) == len(SIDES):
            a, b = rules["a"], rules["b"]
            if a["source"] == b["source"] != CUSTOM or (
                a["source"] == b["source"] == CUSTOM and a["doc"] == b["doc"]
            ):
                self.add_error(None, gettext("规则集 A 与 B 相同，比较不出差别：请改选其中一个"))
        data["rules"] = rules
        return data
