"""Visits API (入企登记), the writes on a registered visit: check in on arrival, check out on
leaving, record the results, cancel a visit not yet begun. Each runs once per client_id
(services.client_requests, as a registration does): a retry gets the first answer back."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from wurao.common.api_fields import NOT_FOUND
from wurao.common.credit_code import CreditCodeError, credit_code_normalise
from wurao.enforcement.choices import ActionKind, Finding, Severity
from wurao.visits import services
from wurao.visits.apis_serializers import (
    BAD_BODY,
    FORBIDDEN,
    TAGS,
    VisitDetailOutputSerializer,
    answered,
    choice_field,
    client_id_field,
    codes_field,
    detail_loaded,
    input_date,
    invalid,
    text_field,
    unique,
    valid,
    visit_for,
)
from wurao.visits.choices import CheckInMethod
from wurao.visits.services import Answer, ClientCall, Replay, client_request_once, request_digest

CLIENT_ID_REUSED = OpenApiResponse(
    description="client_id 已用于另一项操作，或以不同的请求内容重发：每项新操作请生成新的 client_id"
)

WRITE_RESPONSES = {
    400: BAD_BODY,
    403: FORBIDDEN,
    404: NOT_FOUND,
    409: CLIENT_ID_REUSED,
}


def _once(request, *, client_id, action: str, write) -> Response:
    """`write` (a service call and its answer) once per (user, client_id): a retry gets the
    first answer back (services.client_requests)."""
    call = ClientCall(
        user=request.user, client_id=client_id, action=action, digest=request_digest(request.data)
    )
    try:
        return answered(client_request_once(call=call, write=write))
    except Replay as replay:
        return answered(replay.answer)
    except DjangoValidationError as error:
        raise invalid(error) from None


class VisitOfficersApi(APIView):
    policy = "visits.register"

    @extend_schema_serializer(component_name="VisitOfficersRequest")
    class InputSerializer(serializers.Serializer):
        client_id = client_id_field()
        officers = codes_field("本部门参加本次入企的执法证号（不少于两人）", '"44030900001"')
        approver = text_field("审批人（本部门是牵头单位且尚无审批时必填）", 50)
        approval_ref = text_field("审批文号（同上）", 60)
        approved_on = input_date("审批日期（同上）", required=False)

    @extend_schema(
        tags=TAGS,
        summary="为尚未开始的入企指派本部门执法人员（牵头单位同时填写行政检查审批）",
        description=(
            "街道确认的联合检查登记时没有执法人员和审批：每个部门各自指派本部门的执法人员，"
            "再次提交会替换本部门原来的人员；牵头单位在尚无审批时须同时填写审批。备齐之前不能签到。"
        ),
        request=InputSerializer,
        responses={200: VisitDetailOutputSerializer, **WRITE_RESPONSES},
    )
    def post(self, request, code: str):
        data = valid(self.InputSerializer, request)
        visit = visit_for(request, code)
        errors: dict[str, list[str]] = {}
        officers = services.officers_named(unique(data.get("officers", [])), errors)
        if errors:
            raise serializers.ValidationError(errors)

        def write():
            done = services.visit_staff(
                actor=request.user,
                visit=visit,
                department=request.user.department,
                officers=officers,
                approver=data.get("approver", ""),
                approval_ref=data.get("approval_ref", ""),
                approved_on=data.get("approved_on"),
            )
            return Answer(status.HTTP_200_OK, detail_loaded(request, done))

        return _once(
            request, client_id=data["client_id"], action=f"officers:{visit.code}", write=write
        )


class VisitCheckInApi(APIView):
    policy = "visits.register"

    @extend_schema_serializer(component_name="VisitCheckInRequest")
    class InputSerializer(serializers.Serializer):
        client_id = client_id_field()
        method = choice_field(CheckInMethod, "签到方式")
        scanned = serializers.CharField(
            max_length=300,
            help_text="扫描企业码得到的内容，或输入的企业统一社会信用代码",
            error_messages={
                "required": "请扫描企业码或输入企业的统一社会信用代码",
                "blank": "请扫描企业码或输入企业的统一社会信用代码",
            },
        )

        def validate(self, attrs: dict) -> dict:
            if attrs["method"] == CheckInMethod.CREDIT_CODE:
                try:
                    attrs["scanned"] = credit_code_normalise(attrs["scanned"])
                except CreditCodeError as error:
                    raise serializers.ValidationError({"scanned": error.message}) from None
            return attrs

    @extend_schema(
        tags=TAGS,
        summary="到达企业后签到（扫企业码或输入信用代码，须为登记的企业，且在入企当天）",
        request=InputSerializer,
        responses={200: VisitDetailOutputSerializer, **WRITE_RESPONSES},
    )
    def post(self, request, code: str):
        data = valid(self.InputSerializer, request)
        visit = visit_for(request, code)

        def write():
            done = services.visit_check_in(
                actor=request.user, visit=visit, method=data["method"], scanned=data["scanned"]
            )
            return Answer(status.HTTP_200_OK, detail_loaded(request, done))

        return _once(
            request, client_id=data["client_id"], action=f"check_in:{visit.code}", write=write
        )


class VisitCheckOutApi(APIView):
    policy = "visits.register"

    @extend_schema_serializer(component_name="VisitCheckOutRequest")
    class InputSerializer(serializers.Serializer):
        client_id = client_id_field()

    @extend_schema(
        tags=TAGS,
        summary="离开企业时签退",
        request=InputSerializer,
        responses={200: VisitDetailOutputSerializer, **WRITE_RESPONSES},
    )
    def post(self, request, code: str):
        data = valid(self.InputSerializer, request)
        visit = visit_for(request, code)

        def write():
            done = services.visit_check_out(actor=request.user, visit=visit)
            return Answer(status.HTTP_200_OK, detail_loaded(request, done))

        return _once(
            request, client_id=data["client_id"], action=f"check_out:{visit.code}", write=write
        )


class VisitResultApi(APIView):
    policy = "visits.register"

    @extend_schema_serializer(component_name="VisitResultRequest")
    class InputSerializer(serializers.Serializer):
        client_id = client_id_field()
        kind = choice_field(ActionKind, "执法行为类别")
        finding = choice_field(Finding, "检查结果", required=False, allow_blank=True)
        summary = text_field("情况摘要", 5000)
        severity = choice_field(Severity, "情节档次", required=False, allow_null=True)
        items = codes_field("检查事项编码（不填为本部门在本次入企登记的事项）", '"YJ-001"')
        officers = codes_field("执法证号（不填为本部门在本次入企登记的人员）", '"44030900001"')

    @extend_schema_serializer(component_name="VisitResult")
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField(help_text="执法行为编号（/api/actions/<id>/）")
        visit = serializers.CharField(source="visit.code", help_text="入企码")
        date = serializers.DateField()
        kind = serializers.ChoiceField(choices=ActionKind.choices)
        kind_display = serializers.CharField(source="get_kind_display")
        finding = serializers.ChoiceField(choices=Finding.choices, allow_blank=True)
        summary = serializers.CharField()
        severity = serializers.ChoiceField(choices=Severity.choices, allow_null=True)
        department = serializers.IntegerField(source="department_id")
        department_name = serializers.CharField(source="department.name")
        items = serializers.ListField(
            child=serializers.CharField(), source="item_codes", help_text="检查事项编码"
        )
        officers = serializers.ListField(
            child=serializers.CharField(), source="badges", help_text="执法证号"
        )

    @extend_schema(
        tags=TAGS,
        summary="录入本部门在本次入企的检查结果（成为企业档案中的一条执法行为，关联本次入企）",
        request=InputSerializer,
        responses={201: OutputSerializer, **WRITE_RESPONSES},
    )
    def post(self, request, code: str):
        data = valid(self.InputSerializer, request)
        visit = visit_for(request, code)
        errors: dict[str, list[str]] = {}
        items = services.items_named(unique(data.get("items", [])), errors)
        officers = services.officers_named(unique(data.get("officers", [])), errors)
        if errors:
            raise serializers.ValidationError(errors)

        def write():
            action = services.visit_result_record(
                actor=request.user,
                visit=visit,
                department=request.user.department,
                kind=data["kind"],
                items=items,
                officers=officers,
                finding=data.get("finding", ""),
                summary=data.get("summary", ""),
                severity=data.get("severity"),
            )
            action.item_codes = [i.code for i in action.items.all()]
            action.badges = [o.badge_no for o in action.officers.all()]
            return Answer(status.HTTP_201_CREATED, self.OutputSerializer(action).data)

        return _once(
            request, client_id=data["client_id"], action=f"results:{visit.code}", write=write
        )


class VisitCancelApi(APIView):
    policy = "visits.register"

    @extend_schema_serializer(component_name="VisitCancelRequest")
    class InputSerializer(serializers.Serializer):
        client_id = client_id_field()
        reason = serializers.CharField(
            max_length=1000,
            help_text="撤销理由",
            error_messages={"required": "请说明撤销理由", "blank": "请说明撤销理由"},
        )

    @extend_schema(
        tags=TAGS,
        summary="撤销尚未开始的入企登记（入企码随即失效）",
        request=InputSerializer,
        responses={200: VisitDetailOutputSerializer, **WRITE_RESPONSES},
    )
    def post(self, request, code: str):
        data = valid(self.InputSerializer, request)
        visit = visit_for(request, code)

        def write():
            done = services.visit_cancel(actor=request.user, visit=visit, reason=data["reason"])
            return Answer(status.HTTP_200_OK, detail_loaded(request, done))

        return _once(
            request, client_id=data["client_id"], action=f"cancel:{visit.code}", write=write
        )
