"""What the visits API reads and answers, shared by its endpoints: the input fields with
their Chinese messages, the output serializers (a visit, its detail, a refusal), a service's
refusal as a 400, and the answers kept for retries (services.client_requests) as responses."""

import copy
from collections.abc import Iterable

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import prefetch_related_objects
from drf_spectacular.utils import OpenApiResponse, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.response import Response

from wurao.accounts.scope import Scope, scope_for
from wurao.enforcement import selectors as enforcement_selectors
from wurao.visits import selectors
from wurao.visits.choices import (
    CheckInMethod,
    VisitKind,
    VisitOrigin,
    VisitPurpose,
    VisitStatus,
)
from wurao.visits.models import Visit
from wurao.visits.services import Answer

TAGS = ["visits 入企登记"]
VISIT_NOT_FOUND = "未找到该入企登记，或您无权查看"
# The service's field names, as the API calls them.
FIELD_NAMES = {"day": "date", "__all__": "non_field_errors"}

BAD_BODY = OpenApiResponse(
    description='请求体无效：按字段给出中文说明，如 {"officers": ["执法证号 4403…不在执法人员库中"]}'
)
FORBIDDEN = OpenApiResponse(description="未登录，或不是有所属部门的执法人员、部门管理员")


def invalid(error: DjangoValidationError) -> serializers.ValidationError:
    """A service's refusal as the API's 400: {field: [中文说明]}."""
    if not hasattr(error, "error_dict"):
        return serializers.ValidationError({"non_field_errors": error.messages})
    return serializers.ValidationError(
        {FIELD_NAMES.get(field, field): messages for field, messages in error.message_dict.items()}
    )


def answered(answer: Answer) -> Response:
    """An answer (kept for retries, or to keep) as the response."""
    return Response(answer.body, status=answer.status)


def valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def client_id_field() -> serializers.UUIDField:
    message = "请提供客户端生成的 client_id（UUID，如 1b4e28ba-2fa1-11d2-883f-0016d3cca427），重试时沿用同一个"
    return serializers.UUIDField(
        help_text="客户端为本次操作生成的 UUID；网络重试时沿用同一个，服务器只执行一次",
        error_messages={"required": message, "invalid": message, "null": message},
    )


def choice_field(
    choices, label: str, *, required: bool = True, **kwargs
) -> serializers.ChoiceField:
    options = "、".join(f"{value}（{name}）" for value, name in choices.choices if value != "")
    message = f"“{{input}}”不是有效的{label}，可选：{options}"
    return serializers.ChoiceField(
        choices=choices.choices,
        required=required,
        help_text=label,
        error_messages={"invalid_choice": message, "required": f"请选择{label}，可选：{options}"},
        **kwargs,
    )


def text_field(label: str, max_length: int = 1000) -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=max_length,
        help_text=label,
        error_messages={"max_length": f"{label}不能超过 {{max_length}} 个字符"},
    )


def codes_field(label: str, example: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        max_length=50,
        help_text=f"{label}列表，如 [{example}]",
        error_messages={"not_a_list": f"{label}应为列表，如 [{example}]"},
    )


def input_date(label: str, *, required: bool = True) -> serializers.DateField:
    message = f"请输入有效的{label}，格式为 YYYY-MM-DD，如 2026-03-02"
    return serializers.DateField(
        required=required,
        allow_null=not required,
        input_formats=["%Y-%m-%d"],
        help_text=f"{label}，YYYY-MM-DD",
        error_messages={"invalid": message, "required": message, "null": message},
    )


def unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v.strip()))


# Output ------------------------------------------------------------------------------------


class ShallowFields:
    """DRF deep-copies the declared fields for each serializer by constructing them again,
    nested serializers included: 1.3 ms for a visit's detail, every write's answer. The
    declared fields are never bound or changed, so a shallow copy serves: each instance
    binds its own copies (the nested serializers' children are shared, and hold no state
    of a request)."""

    def get_fields(self) -> dict:
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}


class BoundOnce:
    """An answer's fields, bound once per class instead of copied and bound for every
    instance as DRF does (a visit's detail has some 50 fields with its lists: that copying
    was the larger part of every write's answer). The answers are read-only and their fields
    keep nothing of a request; what needs the request is the instance's own (verify_url)."""

    @classmethod
    def _fields_bound_once(cls) -> list:
        fields = cls.__dict__.get("_bound_once")
        if fields is None:
            fields = [f for f in cls().fields.values() if not f.write_only]
            cls._bound_once = fields
        return fields

    def to_representation(self, instance) -> dict:
        # As Serializer.to_representation, with the class's fields.
        answer = {}
        for field in self._fields_bound_once():
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            value = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            answer[field.field_name] = None if value is None else field.to_representation(attribute)
        return answer


@extend_schema_serializer(component_name="VisitDepartment")
class DepartmentOutputSerializer(BoundOnce, serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(help_text="部门简码")
    name = serializers.CharField(help_text="部门名称")


@extend_schema_serializer(component_name="VisitOfficer")
class OfficerOutputSerializer(BoundOnce, serializers.Serializer):
    name = serializers.CharField(help_text="姓名")
    badge_no = serializers.CharField(help_text="执法证号")
    department_name = serializers.CharField(help_text="所属部门")
    certificate_valid_until = serializers.DateField(
        allow_null=True, help_text="执法证有效期至（未登记为 null）"
    )
    certificate_valid = serializers.BooleanField(
        allow_null=True, help_text="入企日期执法证是否在有效期内（未登记有效期为 null）"
    )


@extend_schema_serializer(component_name="VisitItem")
class ItemOutputSerializer(BoundOnce, serializers.Serializer):
    code = serializers.CharField(help_text="事项编码")
    name = serializers.CharField(help_text="事项名称")
    legal_basis = serializers.CharField(
        help_text="法律依据，如《中华人民共和国安全生产法》第六十五条"
    )
    department_name = serializers.CharField(help_text="实施部门")


@extend_schema_serializer(component_name="VisitViolation")
class ViolationOutputSerializer(BoundOnce, serializers.Serializer):
    rule = serializers.CharField(
        help_text="规则代码：department_cap、total_cap、quiet_period、quiet_day、duplicate"
    )
    label = serializers.CharField(help_text="规则名称")
    message = serializers.CharField(help_text="说明")
    visits = serializers.ListField(child=serializers.CharField(), help_text="触发规则的入企码")
    joinable = serializers.CharField(help_text="可加入的已登记入企码（跨层级重复时），无则为空")


class ChoiceLabelField(serializers.CharField):
    """The label of a choice, as `get_<field>_display()` gives it: DRF inspects the signature
    of a callable source on every use (0.3 ms a visit's detail, every write's answer)."""

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices.choices)
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return str(self.labels.get(value, value))


def officer_facts(officers, *, day, names: dict[int, str]) -> list[dict]:
    return [
        {
            "name": o.name,
            "badge_no": o.badge_no,
            "department_name": names.get(o.department_id) or o.department.name,
            "certificate_valid_until": o.certificate_valid_until,
            "certificate_valid": (
                None if o.certificate_valid_until is None else o.certificate_valid_until >= day
            ),
        }
        for o in officers
    ]


def item_facts(items, *, names: dict[int, str]) -> list[dict]:
    return [
        {
            "code": i.code,
            "name": i.name,
            "legal_basis": i.legal_basis,
            "department_name": names.get(i.department_id) or i.department.name,
        }
        for i in items
    ]


@extend_schema_serializer(component_name="Visit")
class VisitOutputSerializer(BoundOnce, serializers.Serializer):
    code = serializers.CharField(help_text="入企码（8 位，不含 0、O、1、I、L）")
    code_display = serializers.CharField(help_text="分段显示的入企码，如 AB3D-7KQM")
    verify_url = serializers.SerializerMethodField(help_text="核验地址（二维码内容）：/v/<入企码>/")
    kind = serializers.ChoiceField(choices=VisitKind.choices, help_text="类别")
    kind_display = ChoiceLabelField(VisitKind, source="kind")
    origin = serializers.ChoiceField(
        choices=VisitOrigin.choices, allow_blank=True, help_text="检查来源（非执法入企为空）"
    )
    origin_display = ChoiceLabelField(VisitOrigin, source="origin")
    purpose = serializers.ChoiceField(
        choices=VisitPurpose.choices, allow_blank=True, help_text="来访事由类别（执法检查为空）"
    )
    purpose_display = ChoiceLabelField(VisitPurpose, source="purpose")
    status = serializers.ChoiceField(choices=VisitStatus.choices, help_text="状态")
    status_display = ChoiceLabelField(VisitStatus, source="status")
    date = serializers.DateField(help_text="入企日期")
    enterprise = serializers.IntegerField(source="enterprise_id")
    enterprise_name = serializers.CharField(source="enterprise.name")
    credit_code = serializers.CharField(source="enterprise.credit_code")
    department = serializers.IntegerField(source="department_id", help_text="牵头单位")
    department_name = serializers.CharField(source="department.name")
    after_the_fact = serializers.BooleanField(help_text="事后补登")
    checked_in_at = serializers.DateTimeField(allow_null=True, help_text="签到时间")
    checked_out_at = serializers.DateTimeField(allow_null=True, help_text="签退时间")
    registered_at = serializers.DateTimeField(help_text="登记时间")

    def to_representation(self, instance) -> dict:
        answer = super().to_representation(instance)
        answer["verify_url"] = self.get_verify_url(instance)  # with this request's host
        return answer

    def get_verify_url(self, visit: Visit) -> str:
        path = f"/v/{visit.code}/"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


@extend_schema_serializer(component_name="VisitDetail")
class VisitDetailOutputSerializer(VisitOutputSerializer):
    departments = DepartmentOutputSerializer(
        many=True, source="department_list", help_text="入企单位（牵头单位在前）"
    )
    officers = OfficerOutputSerializer(many=True, source="officer_facts", help_text="执法人员")
    items = ItemOutputSerializer(many=True, source="item_facts", help_text="检查事项")
    note = serializers.CharField(help_text="事由说明")
    approver = serializers.CharField(help_text="审批人（行政检查审批）")
    approval_ref = serializers.CharField(help_text="审批文号")
    approved_on = serializers.DateField(allow_null=True, help_text="审批日期")
    late_reason = serializers.CharField(help_text="事后补登的理由")
    check_in_method = serializers.ChoiceField(
        choices=CheckInMethod.choices, allow_blank=True, help_text="签到方式"
    )
    rule_version = serializers.IntegerField(allow_null=True, help_text="判定所用的入企规则版本")
    violations = ViolationOutputSerializer(many=True, help_text="登记时触发的规则（突破规则时）")
    override_reason = serializers.CharField(help_text="突破规则的理由")
    override_decided_at = serializers.DateTimeField(allow_null=True, help_text="第二审批人审批时间")
    cancel_reason = serializers.CharField(help_text="撤销或不批准的理由")
    actions = serializers.ListField(
        child=serializers.IntegerField(),
        source="action_ids",
        help_text="本次入企录入的执法行为编号（见 /api/actions/<id>/，按查看范围）",
    )


def with_lists(visit: Visit, *, departments, officers, items, action_ids=()) -> Visit:
    """The visit with the lists its detail shows, from objects already in hand (no query)."""
    visit.department_list = list(departments)
    names = {d.pk: d.name for d in visit.department_list}
    visit.officer_facts = officer_facts(officers, day=visit.date, names=names)
    visit.item_facts = item_facts(items, names=names)
    visit.action_ids = list(action_ids)
    return visit


def loaded(visit: Visit, *, scope: Scope) -> Visit:
    """The visit with its departments, officers, items and (as far as the viewer may see
    them) the enforcement actions recorded on it: four queries."""
    prefetch_related_objects([visit], "departments", "officers", "items")
    actions = enforcement_selectors.action_list(scope=scope).filter(visit=visit)
    return with_lists(
        visit,
        departments=sorted(visit.departments.all(), key=lambda d: d.pk != visit.department_id),
        officers=visit.officers.all(),
        items=visit.items.all(),
        action_ids=actions.order_by("pk").values_list("pk", flat=True),
    )


def detail(request, visit: Visit) -> dict:
    """Every write's answer: the detail of a visit from `with_lists` or `loaded`."""
    return VisitDetailOutputSerializer(visit, context={"request": request}).data


def detail_loaded(request, visit: Visit) -> dict:
    """The detail of a visit read from the database, with what the requester may see."""
    return detail(request, loaded(visit, scope=scope_for(request.user)))


def visit_for(request, code: str) -> Visit:
    try:
        return selectors.visit_get(scope=scope_for(request.user), code=code)
    except Visit.DoesNotExist:
        raise NotFound(VISIT_NOT_FOUND) from None


@extend_schema_serializer(component_name="VisitExemptOrigin")
class ExemptOriginOutputSerializer(BoundOnce, serializers.Serializer):
    origin = serializers.ChoiceField(choices=VisitOrigin.choices)
    label = serializers.CharField()


@extend_schema_serializer(component_name="VisitRefused")
class RefusedOutputSerializer(BoundOnce, serializers.Serializer):
    detail = serializers.CharField(help_text="拒绝的原因，逐条列出触发的规则")
    violations = ViolationOutputSerializer(many=True)
    exempt_origins = ExemptOriginOutputSerializer(
        many=True, help_text="不受上述规则限制的检查来源：确属这些情形时按其登记"
    )
