"""Forms of the conflict register, consultations and contact points (Chinese messages)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wurao.common.forms import FilterFormMixin, ServiceFormMixin
from wurao.registry.models import Department, Enterprise
from wurao.rulemaking import selectors
from wurao.rulemaking.choices import (
    REGISTER_STATUSES,
    AnswerKind,
    CommenterKind,
    ConsultationStatus,
    FeedbackChannel,
    Governing,
    MeetingKind,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _departments():
    return Department.objects.order_by("code")


class ConflictFilterForm(FilterFormMixin, forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=50)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部"))] + [(s.value, s.label) for s in REGISTER_STATUSES],
    )


class ConflictReportForm(ServiceFormMixin, forms.Form):
    topic = forms.CharField(label=_("冲突事项"), max_length=200)
    situation = forms.CharField(
        label=_("涉及的企业或情形"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def sides(self):
        return [
            [self[f"{name}_{i}"] for name in ("document", "number", "source", "text", "department")]
            for i in (1, 2)
        ]

    def clean(self):
        cleaned = super().clean()
        for i in (1, 2):
            document = cleaned.get(f"document_{i}", "")
            number = cleaned.get(f"number_{i}", "")
            cleaned[f"article_{i}"] = None
            if document or number:
                article = selectors.article_find(document=document, number=number)
                if article is None:
                    self.add_error(
                        f"number_{i}",
                        _(
                            "标准库中没有找到该文件的这一条；请核对标准号和条号，或清空后在“出处”中写明"
                        ),
                    )
                cleaned[f"article_{i}"] = article
        return cleaned


def _requirement_fields(i: int) -> dict:
    return {
        f"document_{i}": forms.CharField(
            label=_("文件（标准号或名称）"),
            required=False,
            max_length=200,
            widget=forms.TextInput(attrs={"list": "documents"}),
        ),
        f"number_{i}": forms.CharField(
            label=_("条号"),
            required=False,
            max_length=40,
            widget=forms.TextInput(attrs={"placeholder": _("如 6.2.7、第三条")}),
        ),
        f"source_{i}": forms.CharField(label=_("或写明出处"), required=False, max_length=300),
        f"text_{i}": forms.CharField(
            label=_("要求内容（引用原文）"), widget=forms.Textarea(attrs={"rows": 3})
        ),
        f"department_{i}": forms.ModelChoiceField(
            label=_("适用部门"), queryset=_departments(), required=False
        ),
    }


# Two requirements, each by its article (document and number) or by a description.
ConflictReportForm.base_fields.update(_requirement_fields(1) | _requirement_fields(2))


class TriageForm(ServiceFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("受理决定"),
        choices=[("accept", _("受理，列入冲突登记")), ("decline", _("不予受理"))],
        widget=forms.RadioSelect,
    )
    coordinating_department = forms.ModelChoiceField(
        label=_("协调部门"), queryset=_departments(), required=False
    )
    reason = forms.CharField(
        label=_("说明（不予受理时必填，报告人可见）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProgressForm(ServiceFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), choices=[(s.value, s.label) for s in REGISTER_STATUSES]
    )
    note = forms.CharField(
        label=_("协调进展"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    governing = forms.ChoiceField(
        label=_("适用结论"), required=False, choices=[("", "—")] + list(Governing.choices)
    )
    resolution = forms.CharField(
        label=_("理由或联合解释"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class StatementForm(ServiceFormMixin, forms.Form):
    text = forms.CharField(label=_("部门意见"), widget=forms.Textarea(attrs={"rows": 3}))


class ConsultationFilterForm(FilterFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部"))] + list(ConsultationStatus.choices),
    )


class ConsultationForm(ServiceFormMixin, forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    text = forms.CharField(label=_("征求意见稿正文"), widget=forms.Textarea(attrs={"rows": 10}))
    document = forms.ModelChoiceField(
        label=_("所涉标准文件（可选）"), queryset=selectors.document_choices(), required=False
    )
    starts_on = forms.DateField(label=_("征求意见开始"), widget=DATE)
    ends_on = forms.DateField(label=_("征求意见截止"), widget=DATE)
    effective_on = forms.DateField(label=_("拟施行日期"), widget=DATE, required=False)


class CommentForm(ServiceFormMixin, forms.Form):
    commenter_kind = forms.ChoiceField(
        label=_("署名方式"),
        choices=CommenterKind.choices,
        initial=CommenterKind.ENTERPRISE,
        widget=forms.RadioSelect,
    )
    organisation = forms.CharField(label=_("组织（协会）名称"), required=False, max_length=200)
    paragraph = forms.CharField(label=_("所涉条款或段落（可选）"), required=False, max_length=100)
    text = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 4}))


class AnswerForm(ServiceFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("处理结果"), choices=[("", "—"), *AnswerKind.choices])
    answer = forms.CharField(label=_("答复和理由"), widget=forms.Textarea(attrs={"rows": 2}))


class TransitionForm(ServiceFormMixin, forms.Form):
    action = forms.ChoiceField(
        label=_("操作"),
        choices=[
            ("publish", _("发布")),
            ("close", _("结束征集")),
            ("adopt", _("通过施行")),
            ("withdraw", _("撤回")),
        ],
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=1000)


class MeetingForm(ServiceFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=MeetingKind.choices)
    held_on = forms.DateField(label=_("日期"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=200)
    minutes = forms.CharField(
        label=_("纪要"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ContactPointForm(ServiceFormMixin, forms.Form):
    credit_code = forms.CharField(label=_("企业统一社会信用代码"), max_length=18)
    term_from = forms.DateField(label=_("任期开始"), widget=DATE)
    term_to = forms.DateField(label=_("任期结束"), widget=DATE)
    note = forms.CharField(label=_("备注"), required=False, max_length=200)
    error_fields = {"enterprise": "credit_code"}

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].strip().upper()
        enterprise = Enterprise.objects.filter(credit_code=code).first()
        if enterprise is None:
            raise forms.ValidationError(_("没有这个统一社会信用代码的企业"))
        self.cleaned_data["enterprise"] = enterprise
        return code


class FeedbackForm(ServiceFormMixin, forms.Form):
    received_on = forms.DateField(label=_("日期"), widget=DATE)
    channel = forms.ChoiceField(label=_("渠道"), choices=FeedbackChannel.choices)
    topic = forms.CharField(label=_("主题"), max_length=200)
    text = forms.CharField(label=_("反映内容"), widget=forms.Textarea(attrs={"rows": 3}))
    department = forms.ModelChoiceField(
        label=_("涉及部门"), queryset=_departments(), required=False
    )


class FollowUpForm(ServiceFormMixin, forms.Form):
    follow_up_by = forms.CharField(label=_("跟进人"), max_length=100)
    follow_up = forms.CharField(label=_("跟进情况"), widget=forms.Textarea(attrs={"rows": 2}))
    closed_on = forms.DateField(label=_("办结日期（未办结留空）"), widget=DATE, required=False)
