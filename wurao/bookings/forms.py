"""The bookings' forms: the enterprise's booking, reschedule and cancel; the team's team, slot,
decision and outcome; the slot filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wurao.bookings.choices import ServiceKind, TeamKind
from wurao.bookings.services import MAX_PEOPLE
from wurao.bookings.services_teams import MAX_CAPACITY, MAX_REPEAT
from wurao.common.forms import FilterFormMixin, ServiceFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class SlotFilterForm(FilterFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("服务类别"), required=False, choices=[("", _("全部"))] + ServiceKind.choices
    )
    team = forms.TypedChoiceField(label=_("服务队伍"), required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=DATE)

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", _("全部"))] + [(t.pk, t.name) for t in teams]


class BookForm(ServiceFormMixin, forms.Form):
    note = forms.CharField(
        label=_("需求说明"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("希望检查、演练或培训的内容，如：车间用电和消防通道"),
    )
    people = forms.IntegerField(label=_("参加人数"), min_value=1, max_value=MAX_PEOPLE, initial=1)


class CancelForm(ServiceFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("取消理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class RescheduleForm(ServiceFormMixin, forms.Form):
    slot = forms.TypedChoiceField(label=_("改约到"), coerce=int)

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [
            (s.pk, f"{s.date:%Y-%m-%d} {s.start:%H:%M}–{s.end:%H:%M} · {s.place}") for s in slots
        ]


class DecideForm(ServiceFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("处理"),
        choices=[("confirm", _("确认")), ("decline", _("婉拒"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("婉拒理由（企业会看到）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OutcomeForm(ServiceFormMixin, forms.Form):
    attended = forms.TypedChoiceField(
        label=_("到场情况"),
        choices=[("1", _("已到场服务")), ("0", _("企业未到场"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    done = forms.CharField(
        label=_("服务内容"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    advice = forms.CharField(
        label=_("意见建议"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    hazards = forms.CharField(
        label=_("体检发现的隐患（仅供企业自行整改）"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, checkup: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not checkup:
            del self.fields["hazards"]


class TeamForm(ServiceFormMixin, forms.Form):
    name = forms.CharField(label=_("队伍名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=TeamKind.choices, widget=forms.RadioSelect)
    provider = forms.CharField(label=_("服务机构（驻点队伍填写）"), max_length=100, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30)
    kinds = forms.MultipleChoiceField(
        label=_("服务类别"), choices=ServiceKind.choices, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("简介"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    active = forms.BooleanField(label=_("提供服务"), required=False, initial=True)


class SlotForm(ServiceFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("服务类别"))
    date = forms.DateField(label=_("日期"), widget=DATE)
    start = forms.TimeField(label=_("开始时间"), widget=TIME)
    end = forms.TimeField(label=_("结束时间"), widget=TIME)
    online = forms.BooleanField(label=_("线上服务"), required=False)
    place = forms.CharField(label=_("地点或会议链接"), max_length=200)
    capacity = forms.IntegerField(
        label=_("可约企业数"), min_value=1, max_value=MAX_CAPACITY, initial=5
    )
    topic = forms.CharField(label=_("主题（选填）"), max_length=100, required=False)
    description = forms.CharField(
        label=_("说明（选填）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    repeat_weeks = forms.IntegerField(
        label=_("连续发布周数"),
        min_value=1,
        max_value=MAX_REPEAT,
        initial=1,
        help_text=_("每周同一时间发布一个时段，如 4 表示连续 4 周"),
    )

    def __init__(self, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = team.kinds if team else ServiceKind.values
        self.fields["kind"].choices = [(k, ServiceKind(k).label) for k in kinds]
