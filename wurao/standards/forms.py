from django import forms
from django.utils.translation import gettext_lazy as _

from wurao.common.forms import FilterFormMixin, ServiceFormMixin
from wurao.registry import selectors as registry_selectors
from wurao.standards.choices import DocumentKind
from wurao.standards.grams import MAX_TERMS
from wurao.standards.readers import MAX_BYTES

MAX_FILES = 20


class SearchForm(FilterFormMixin, forms.Form):
    q = forms.CharField(
        label=_("检索条文"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("如：防火门、噪声、GB 50016")}),
    )
    department = forms.ModelChoiceField(
        label=_("执法部门"),
        queryset=registry_selectors.department_list(enforcement_only=True),
        required=False,
        empty_label=_("全部部门"),
    )
    kind = forms.ChoiceField(
        label=_("类别"), choices=[("", _("全部类别")), *DocumentKind.choices], required=False
    )
    topic = forms.ChoiceField(label=_("主题"), required=False, choices=[("", _("全部主题"))])
    industry = forms.ChoiceField(label=_("适用行业"), required=False, choices=[("", _("全部行业"))])
    in_force = forms.BooleanField(label=_("仅现行有效"), required=False)

    def __init__(self, *args, facets: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        facets = facets or {}
        self.fields["topic"].choices += [(t, t) for t in facets.get("topics", [])]
        self.fields["industry"].choices += [(i, i) for i in facets.get("industries", [])]

    def clean_q(self) -> str:
        q = self.cleaned_data["q"].strip()
        if len(q.split()) > MAX_TERMS:
            raise forms.ValidationError(_("检索词最多 %(n)s 个") % {"n": MAX_TERMS})
        return q

    def filters(self) -> dict:
        data = self.valid_data()
        return {
            "q": data["q"] or "",
            "department": data["department"].pk if data["department"] else None,
            "kind": data["kind"] or "",
            "topic": data["topic"] or "",
            "industry": data["industry"] or "",
            "in_force": bool(data["in_force"]),
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.docx,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [super(MultipleFileField, self).clean(f, initial) for f in files if f]
        if not files:
            raise forms.ValidationError(_("请选择至少一个文件"))
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("一次最多导入 %(n)s 个文件") % {"n": MAX_FILES})
        for f in files:
            if f.size > MAX_BYTES:
                raise forms.ValidationError(_("文件“%(name)s”超过 20 MB") % {"name": f.name})
        return files


class ImportForm(ServiceFormMixin, forms.Form):
    files = MultipleFileField(
        label=_("文件（.txt、.docx、.pdf，可多选）"),
        help_text=_("法律法规按“第X条”拆分，标准按“5.3.2”式条款编号拆分，章节标题保留。"),
    )
    department = forms.ModelChoiceField(
        label=_("执法部门"),
        queryset=registry_selectors.department_list(enforcement_only=True),
        required=False,
        empty_label=_("不限部门（通用法律，仅司法局）"),
    )
    kind = forms.ChoiceField(label=_("类别"), choices=DocumentKind.choices)
    title = forms.CharField(
        label=_("名称"),
        required=False,
        max_length=200,
        help_text=_("仅导入一个文件时使用；多个文件以各自第一行为名称"),
    )
    designation = forms.CharField(
        label=_("文号或标准号"), required=False, max_length=100, help_text=_("仅导入一个文件时使用")
    )
    issuer = forms.CharField(label=_("制定机关"), required=False, max_length=100)
    label = forms.CharField(label=_("版本"), required=False, max_length=100)
    effective_from = forms.DateField(
        label=_("施行日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    topics = forms.CharField(
        label=_("主题"), required=False, max_length=200, help_text=_("以顿号或逗号分隔")
    )
    commit = forms.BooleanField(
        label=_("确认写入（不勾选则只检查，不保存）"), required=False, initial=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and not (user.is_superuser or user.department_id is None):
            # A department's administrator imports for their own department only.
            self.fields["department"].queryset = self.fields["department"].queryset.filter(
                pk=user.department_id
            )
            self.fields["department"].required = True
            self.fields["department"].empty_label = None

    def topic_list(self) -> list[str]:
        raw = self.cleaned_data.get("topics") or ""
        for sep in "，,；;":
            raw = raw.replace(sep, "、")
        return [t.strip() for t in raw.split("、") if t.strip()]
