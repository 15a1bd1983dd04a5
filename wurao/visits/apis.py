"""Visits API (入企登记) for the inspectors' mobile client: read the visits in scope and
register one; and the output serializers, input fields and look-ups the other visit APIs share.
Checking in and out, results and cancelling are in apis_onsite; checking a visit code without
signing in is in apis_public.

Every write carries a `client_id` the client generates: a retry over a bad network gets the
first answer back and never writes twice. A registration is found again by Visit.client_id,
the other writes (and refused registrations) by their stored ClientRequest (apis_onsite._once).
"""

import copy
import hashlib
import json
from collections.abc import Iterable

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from wurao.accounts.choices import Role
from wurao.accounts.scope import Scope, scope_for
from wurao.catalogue import selectors as catalogue_selectors
from wurao.common.api_fields import (
    BAD_QUERY,
    NOT_FOUND,
    choice_filter,
    date_filter,
    id_filter,
    year_filter,
)
from wurao.common.credit_code import CreditCodeError, credit_code_normalise
from wurao.enforcement import selectors as enforcement_selectors
from wurao.registry import selectors as registry_selectors
from wurao.visits import selectors, services
from wurao.visits.choices import (
    CheckInMethod,
    VisitKind,
    VisitOrigin,
    VisitPurpose,
    VisitStatus,
)
from wurao.visits.models import ClientRequest, Visit

TAGS = ["visits 入企登记"]
VISIT_NOT_FOUND = "未找到该入企登记，或您无权查看"
ACTION_LABELS = {
    "register": "登记入企",
    "officers": "指派执法人员",
    "check_in": "签到",
    "check_out": "签退",
    "results": "录入检查结果",
    "cancel": "撤销登记",
}
# The service's field names, as the API calls them.
FIELD_NAMES = {"day": "date", "__all__": "non_field_errors"}

BAD_BODY = OpenApiResponse(
    description='请求体无效：按字段给出中文说明，如 {"officers": ["执法证号 4403…不在执法人员库中"]}'
)
FORBIDDEN = OpenApiResponse(description="未登录，或不是有所属部门的执法人员、部门管理员")


class MayWriteVisits(BasePermission):
    """Writes are for a department's people in the field, in the name of their own department;
    reads for everyone signed in (the selectors decide what each sees)."""

    message = (
        "只有执法人员或部门管理员（以本人所在部门）可以登记入企、签到签退、录入检查结果和撤销登记"
    )

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        return bool(
            user.is_authenticated
            and user.role in (Role.INSPECTOR, Role.DEPT_ADMIN)
            and user.department_id
        )


def _invalid(error: DjangoValidationError) -> serializers.ValidationError:
    """A service's refusal as the API's 400: {field: [中文说明]}."""
    if not hasattr(error, "error_dict"):
        return serializers.ValidationError({"non_field_errors": error.messages})
    return serializers.ValidationError(
        {FIELD_NAMES.get(field, field): messages for field, messages in error.message_dict.items()}
    )


def _client_id_reused(row_action: str) -> Response:
    verb, _, code = row_action.partition(":")
    done = ACTION_LABELS.get(verb, verb) + (f"（入企码 {code}）" if code else "")
    return Response(
        {"detail": f"该 client_id 已用于{done}；每项新的操作请生成新的 client_id"},
        status=status.HTTP_409_CONFLICT,
    )


def _request_digest(request) -> str:
    """The request body without its client_id, as a SHA-256 of canonical JSON."""
    body = {k: v for k, v in request.data.items() if k != "client_id"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _earlier(user, client_id) -> tuple[str, int, dict, str] | None:
    """What an earlier request with this client id did and answered (action, status, body,
    the digest of its request)."""
    return (
        ClientRequest.objects.filter(user=user, client_id=client_id)
        .values_list("action", "status_code", "response", "request_digest")
        .first()
    )


def _replay(row: tuple[str, int, dict, str], action: str, digest: str) -> Response:
    """The first answer again, for a retry: the same action with the same body. The same id
    on another body is a client's mistake, and doing nothing silently would lose that write."""
    done, status_code, body, first_digest = row
    if done != action:
        return _client_id_reused(done)
    if first_digest and first_digest != digest:
        return Response(
            {
                "detail": "该 client_id 已用于内容不同的同一操作：重试须发送与第一次相同的内容；"
                "新的操作请生成新的 client_id"
            },
            status=status.HTTP_409_CONFLICT,
        )
    return Response(body, status=status_code)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _client_id_field() -> serializers.UUIDField:
    message = "请提供客户端生成的 client_id（UUID，如 1b4e28ba-2fa1-11d2-883f-0016d3cca427），重试时沿用同一个"
    return serializers.UUIDField(
        help_text="客户端为本次操作生成的 UUID；网络重试时沿用同一个，服务器只执行一次",
        error_messages={"required": message, "invalid": message, "null": message},
    )


def _choice(choices, label: str, *, required: bool = True, **kwargs) -> serializers.ChoiceField:
    options = "、".join(f"{value}（{name}）" for value, name in choices.choices if value != "")
    message = f"“{{input}}”不是有效的{label}，可选：{options}"
    return serializers.ChoiceField(
        choices=choices.choices,
        required=required,
        help_text=label,
        error_messages={"invalid_choice": message, "required": f"请选择{label}，可选：{options}"},
        **kwargs,
    )


def _text(label: str, max_length: int = 1000) -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=max_length,
        help_text=label,
        error_messages={"max_length": f"{label}不能超过 {{max_length}} 个字符"},
    )


def _codes(label: str, example: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        max_length=50,
        help_text=f"{label}列表，如 [{example}]",
        error_messages={"not_a_list": f"{label}应为列表，如 [{example}]"},
    )


def _input_date(label: str, *, required: bool = True) -> serializers.DateField:
    message = f"请输入有效的{label}，格式为 YYYY-MM-DD，如 2026-03-02"
    return serializers.DateField(
        required=required,
        allow_null=not required,
        input_formats=["%Y-%m-%d"],
        help_text=f"{label}，YYYY-MM-DD",
        error_messages={"invalid": message, "required": message, "null": message},
    )


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v.strip()))


def _officers_by_badge(badges: list[str], errors: dict, found: dict | None = None) -> tuple:
    """Officers in the order given, in one query (none when `found` has them by badge). Any
    department's: a joint visit lists the other departments' officers too, and badges are
    public (an enterprise looks them up)."""
    if found is None:
        found = {
            o.badge_no: o
            for o in registry_selectors.inspector_list(scope=Scope(sees_all=True))
            .filter(badge_no__in=badges)
            .order_by()
        }
    if unknown := [b for b in badges if b not in found]:
        errors["officers"] = [f"执法证号 {'、'.join(unknown)} 不在执法人员库中"]
    return tuple(found[b] for b in badges if b in found)


def _items_by_code(codes: list[str], errors: dict, found: dict | None = None) -> tuple:
    """Catalogue items in the order given, in one query (none when `found` has them by code);
    withdrawn ones too, so that the service can say they are no longer on the list."""
    if found is None:
        found = {
            i.code: i
            for i in catalogue_selectors.item_list(filters={"active_only": False})
            .prefetch_related(None)
            .filter(code__in=codes)
            .order_by()
        }
    if unknown := [c for c in codes if c not in found]:
        errors["items"] = [
            f"检查事项编码 {'、'.join(unknown)} 不在检查事项清单中（清单之外无事项）"
        ]
    return tuple(found[c] for c in codes if c in found)


# Output ------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="VisitDepartment")
class DepartmentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(help_text="部门简码")
    name = serializers.CharField(help_text="部门名称")


@extend_schema_serializer(component_name="VisitOfficer")
class OfficerOutputSerializer(serializers.Serializer):
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
class ItemOutputSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="事项编码")
    name = serializers.CharField(help_text="事项名称")
    legal_basis = serializers.CharField(
        help_text="法律依据，如《中华人民共和国安全生产法》第六十五条"
    )
    department_name = serializers.CharField(help_text="实施部门")


@extend_schema_serializer(component_name="VisitViolation")
class ViolationOutputSerializer(serializers.Serializer):
    rule = serializers.CharField(
        help_text="规则代码：department_cap、total_cap、quiet_period、quiet_day、duplicate"
    )
    label = serializers.CharField(help_text="规则名称")
    message = serializers.CharField(help_text="说明")
    visits = serializers.ListField(child=serializers.CharField(), help_text="触发规则的入企码")
    joinable = serializers.CharField(help_text="可加入的已登记入企码（跨层级重复时），无则为空")


def _officer_facts(officers, *, day, names: dict[int, str]) -> list[dict]:
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


def _item_facts(items, *, names: dict[int, str]) -> list[dict]:
    return [
        {
            "code": i.code,
            "name": i.name,
            "legal_basis": i.legal_basis,
            "department_name": names.get(i.department_id) or i.department.name,
        }
        for i in items
    ]


def _with_lists(visit: Visit, *, departments, officers, items, action_ids=()) -> Visit:
    """The visit with the lists its detail shows, from objects already in hand (no query)."""
    visit.department_list = list(departments)
    names = {d.pk: d.name for d in visit.department_list}
    visit.officer_facts = _officer_facts(officers, day=visit.date, names=names)
    visit.item_facts = _item_facts(items, names=names)
    visit.action_ids = list(action_ids)
    return visit


def _loaded(visit: Visit, *, scope: Scope) -> Visit:
    """The visit with its departments, officers, items and (as far as the viewer may see
    them) the enforcement actions recorded on it: four queries."""
    prefetch_related_objects([visit], "departments", "officers", "items")
    actions = enforcement_selectors.action_list(scope=scope).filter(visit=visit)
    return _with_lists(
        visit,
        departments=sorted(visit.departments.all(), key=lambda d: d.pk != visit.department_id),
        officers=visit.officers.all(),
        items=visit.items.all(),
        action_ids=actions.order_by("pk").values_list("pk", flat=True),
    )


@extend_schema_serializer(component_name="Visit")
class VisitOutputSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="入企码（8 位，不含 0、O、1、I、L）")
    code_display = serializers.CharField(help_text="分段显示的入企码，如 AB3D-7KQM")
    verify_url = serializers.SerializerMethodField(help_text="核验地址（二维码内容）：/v/<入企码>/")
    kind = serializers.ChoiceField(choices=VisitKind.choices, help_text="类别")
    kind_display = serializers.CharField(source="get_kind_display")
    origin = serializers.ChoiceField(
        choices=VisitOrigin.choices, allow_blank=True, help_text="检查来源（非执法入企为空）"
    )
    origin_display = serializers.CharField(source="get_origin_display")
    purpose = serializers.ChoiceField(
        choices=VisitPurpose.choices, allow_blank=True, help_text="来访事由类别（执法检查为空）"
    )
    purpose_display = serializers.CharField(source="get_purpose_display")
    status = serializers.ChoiceField(choices=VisitStatus.choices, help_text="状态")
    status_display = serializers.CharField(source="get_status_display")
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


# The detail is every write's answer. VisitDetailOutputSerializer documents it; building it
# with the serializer cost 1.3 ms a registration (DRF copies every field of every nested
# serializer on each use), so it is built here, formatting dates and times with DRF's own
# fields, and a test keeps the two equal.
_DATE = serializers.DateField()
_DATETIME = serializers.DateTimeField()


def _date(value) -> str | None:
    return None if value is None else _DATE.to_representation(value)


def _datetime(value) -> str | None:
    return None if value is None else _DATETIME.to_representation(value)


def _detail(request, visit: Visit) -> dict:
    """What VisitDetailOutputSerializer(visit).data gives, for a visit from `_with_lists`."""
    keys = ViolationOutputSerializer._declared_fields
    return {
        "code": visit.code,
        "code_display": visit.code_display,
        "verify_url": request.build_absolute_uri(f"/v/{visit.code}/"),
        "kind": visit.kind,
        "kind_display": visit.get_kind_display(),
        "origin": visit.origin,
        "origin_display": visit.get_origin_display(),
        "purpose": visit.purpose,
        "purpose_display": visit.get_purpose_display(),
        "status": visit.status,
        "status_display": visit.get_status_display(),
        "date": _date(visit.date),
        "enterprise": visit.enterprise_id,
        "enterprise_name": visit.enterprise.name,
        "credit_code": visit.enterprise.credit_code,
        "department": visit.department_id,
        "department_name": visit.department.name,
        "after_the_fact": visit.after_the_fact,
        "checked_in_at": _datetime(visit.checked_in_at),
        "checked_out_at": _datetime(visit.checked_out_at),
        "registered_at": _datetime(visit.registered_at),
        "departments": [
            {"id": d.pk, "code": d.code, "name": d.name} for d in visit.department_list
        ],
        "officers": [
            fact | {"certificate_valid_until": _date(fact["certificate_valid_until"])}
            for fact in visit.officer_facts
        ],
        "items": visit.item_facts,
        "note": visit.note,
        "approver": visit.approver,
        "approval_ref": visit.approval_ref,
        "approved_on": _date(visit.approved_on),
        "late_reason": visit.late_reason,
        "check_in_method": visit.check_in_method,
        "rule_version": visit.rule_version,
        "violations": [{k: v[k] for k in keys} for v in visit.violations],
        "override_reason": visit.override_reason,
        "override_decided_at": _datetime(visit.override_decided_at),
        "cancel_reason": visit.cancel_reason,
        "actions": visit.action_ids,
    }


def _detail_loaded(request, visit: Visit) -> dict:
    """The detail of a visit read from the database, with what the requester may see."""
    return _detail(request, _loaded(visit, scope=scope_for(request.user)))


def _visit_for(request, code: str) -> Visit:
    try:
        return selectors.visit_get(scope=scope_for(request.user), code=code)
    except Visit.DoesNotExist:
        raise NotFound(VISIT_NOT_FOUND) from None


# Read and register -------------------------------------------------------------------------


@extend_schema_serializer(component_name="VisitExemptOrigin")
class ExemptOriginOutputSerializer(serializers.Serializer):
    origin = serializers.ChoiceField(choices=VisitOrigin.choices)
    label = serializers.CharField()


@extend_schema_serializer(component_name="VisitRefused")
class RefusedOutputSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="拒绝的原因，逐条列出触发的规则")
    violations = ViolationOutputSerializer(many=True)
    exempt_origins = ExemptOriginOutputSerializer(
        many=True, help_text="不受上述规则限制的检查来源：确属这些情形时按其登记"
    )


class _RegisteredMeanwhile(Exception):
    """A refused registration whose client id has a visit by now (see VisitListApi.post)."""


class VisitListApi(GenericAPIView):
    # Query parameters are validated by the FilterSerializer and applied by the selector.
    permission_classes = (IsAuthenticated, MayWriteVisits)

    class FilterSerializer(serializers.Serializer):
        kind = choice_filter(VisitKind, "入企类别")
        status = choice_filter(VisitStatus, "状态")
        origin = choice_filter(VisitOrigin, "检查来源")
        enterprise = id_filter("企业")
        year = year_filter()
        date_from = date_filter("起始日期（含），YYYY-MM-DD")
        date_to = date_filter("截止日期（含），YYYY-MM-DD")

        def validate(self, attrs: dict) -> dict:
            start, end = attrs.get("date_from"), attrs.get("date_to")
            if start and end and end < start:
                raise serializers.ValidationError(
                    {
                        "date_to": f"截止日期 {end:%Y-%m-%d} 早于起始日期 {start:%Y-%m-%d}，请调换或更正"
                    }
                )
            return attrs

    @extend_schema_serializer(component_name="VisitRegisterRequest")
    class InputSerializer(serializers.Serializer):
        """Every registration builds one; DRF deep-copies the declared fields for each
        instance by constructing them again (0.6 ms here, a tenth of the registration's CPU).
        The declared fields are never bound or changed, so a shallow copy serves: each
        instance binds its own copies."""

        def get_fields(self) -> dict:
            return {name: copy.copy(field) for name, field in self._declared_fields.items()}

        client_id = _client_id_field()
        enterprise = serializers.CharField(
            max_length=30,
            help_text="企业的统一社会信用代码（18 位，GB 32100）",
            error_messages={
                "required": "请填写企业的统一社会信用代码",
                "blank": "请填写企业的统一社会信用代码",
            },
        )
        kind = _choice(VisitKind, "入企类别")
        origin = _choice(VisitOrigin, "检查来源", required=False, allow_blank=True)
        purpose = _choice(VisitPurpose, "来访事由类别", required=False, allow_blank=True)
        date = _input_date("入企日期")
        officers = _codes("执法证号", '"44030900001", "44030900002"')
        items = _codes("检查事项编码", '"YJ-001"')
        approver = _text("审批人", 50)
        approval_ref = _text("审批文号", 60)
        approved_on = _input_date("审批日期", required=False)
        note = _text("事由说明")
        late_reason = _text("事后补登的理由")
        override_reason = _text("突破规则的理由（填写后登记待第二人审批）")

        def validate_enterprise(self, value: str) -> str:
            try:
                return credit_code_normalise(value)
            except CreditCodeError as error:
                raise serializers.ValidationError(error.message, code=error.code) from None

    @extend_schema(
        tags=TAGS,
        summary="入企登记列表（部门看本部门参加的，街道看本辖区，企业看自己，司法局看全部）",
        parameters=[FilterSerializer],
        responses={200: VisitOutputSerializer(many=True), 400: BAD_QUERY},
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        visits = selectors.visit_list(scope=scope_for(request.user), filters=query.validated_data)
        page = self.paginate_queryset(visits)
        serializer = VisitOutputSerializer(page, many=True, context={"request": request})
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        tags=TAGS,
        summary="登记入企（执法人员、部门管理员；登记部门为本人所在部门）",
        description=(
            "入企前登记，得到入企码和核验地址。违反入企规则时返回 409，列出触发的规则和不受限制的检查来源；"
            "填写 override_reason 时登记成功但状态为 pending_override，待第二人审批。"
            "同一 client_id 重试：已登记的返回 200 和同一登记；被拒绝的返回同一 409，不再重复记录。"
        ),
        request=InputSerializer,
        responses={
            201: VisitDetailOutputSerializer,
            200: OpenApiResponse(
                VisitDetailOutputSerializer, description="重试：同一 client_id 已登记"
            ),
            400: BAD_BODY,
            403: FORBIDDEN,
            409: OpenApiResponse(
                RefusedOutputSerializer,
                description="违反入企规则被拒绝；或 client_id 已用于另一项操作（此时只有 detail）",
            ),
        },
    )
    def post(self, request):
        data = _valid(self.InputSerializer, request)
        digest = _request_digest(request)
        try:
            return self._register(request, data, digest)
        except (IntegrityError, _RegisteredMeanwhile):
            # A retry sent while the first attempt was still running waited for the
            # enterprise's lock, but its look-up had begun before the first one committed,
            # so it did not see that visit: the visit's unique client id stopped it, or the
            # rules refused it for that very visit (then the refusal was undone).
            visit = Visit.objects.filter(client_id=data["client_id"]).first()
            if visit is None or visit.registered_by_id != request.user.pk:
                raise
            return Response(_detail_loaded(request, visit))

    def _register(self, request, data: dict, digest: str) -> Response:
        user = request.user
        badges, item_codes = _unique(data.get("officers", [])), _unique(data.get("items", []))
        # One transaction from the look-up, which locks the enterprise, to the answer kept.
        with transaction.atomic():
            found = selectors.registration_lookup(
                user_id=user.pk,
                client_id=data["client_id"],
                credit_code=data["enterprise"],
                badges=badges,
                item_codes=item_codes,
            )
            if found.earlier_request_id:
                return _replay(_earlier(user, data["client_id"]), "register", digest)
            errors: dict[str, list[str]] = {}
            if found.enterprise is None:
                errors["enterprise"] = [f"统一社会信用代码 {data['enterprise']} 不在企业库中"]
            officers = _officers_by_badge(badges, errors, found.officers)
            items = _items_by_code(item_codes, errors, found.items)
            if errors:
                raise serializers.ValidationError(errors)
            reg = self._registration(
                data,
                enterprise=found.enterprise,
                officers=officers,
                items=items,
                department=user.department,
            )
            started = timezone.now()
            answers = []

            def keep(refused: services.VisitRefused) -> None:
                # Read after the lock: a first attempt that committed meanwhile shows here.
                if Visit.objects.filter(client_id=data["client_id"]).exists():
                    raise _RegisteredMeanwhile
                answers.append(self._refusal_kept(user, data["client_id"], refused, digest))

            try:
                visit = services.visit_register(
                    actor=user, reg=reg, locked=found.locked, on_refusal=keep
                )
            except services.VisitRefused:
                return Response(answers[0], status=status.HTTP_409_CONFLICT)
            except DjangoValidationError as error:
                raise _invalid(error) from None
        if visit.registered_by_id != user.pk:
            return _client_id_reused("register")
        if visit.registered_at < started:
            # visit_register returned the visit the first attempt created.
            return Response(_detail_loaded(request, visit))
        departments = dict.fromkeys([reg.department, *(o.department for o in reg.officers)])
        visit = _with_lists(visit, departments=departments, officers=reg.officers, items=reg.items)
        return Response(_detail(request, visit), status=status.HTTP_201_CREATED)

    @staticmethod
    def _registration(
        data: dict, *, enterprise, officers, items, department
    ) -> services.Registration:
        return services.Registration(
            enterprise=enterprise,
            kind=data["kind"],
            department=department,
            day=data["date"],
            origin=data.get("origin", ""),
            purpose=data.get("purpose", ""),
            officers=officers,
            items=items,
            note=data.get("note", ""),
            approver=data.get("approver", ""),
            approval_ref=data.get("approval_ref", ""),
            approved_on=data.get("approved_on"),
            late_reason=data.get("late_reason", ""),
            override_reason=data.get("override_reason", ""),
            client_id=data["client_id"],
        )

    @staticmethod
    def _refusal_kept(user, client_id, refused: services.VisitRefused, digest: str) -> dict:
        """The refusal's answer (what RefusedOutputSerializer gives, built directly as the
        detail is), kept under the client id in the refusal's transaction: a retry gets it
        back instead of being counted as a second refused attempt."""
        keys = ViolationOutputSerializer._declared_fields
        body = {
            "detail": "登记未通过入企规则：" + "；".join(refused.messages),
            "violations": [
                {k: found[k] for k in keys} for found in (v.as_json() for v in refused.violations)
            ],
            "exempt_origins": [
                {"origin": o.value, "label": str(o.label)}
                for o in VisitOrigin
                if o.label in refused.exempt
            ],
        }
        # A concurrent retry (waiting on the enterprise's lock) may store the same refusal
        # first: then it stands.
        ClientRequest.objects.bulk_create(
            [
                ClientRequest(
                    user=user,
                    client_id=client_id,
                    action="register",
                    status_code=status.HTTP_409_CONFLICT,
                    response=body,
                    request_digest=digest,
                )
            ],
            ignore_conflicts=True,
        )
        return body


class VisitDetailApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="入企登记详情：入企单位、执法人员（证号、执法证有效期）、检查事项及法律依据、审批、签到签退、触发的规则、执法行为",
        responses={200: VisitDetailOutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request, code: str):
        visit = _visit_for(request, code)
        return Response(_detail_loaded(request, visit))
