"""Visits API (入企登记) for the inspectors' mobile client: read the visits in scope and
register one. Checking in and out, results and cancelling are in apis_onsite; checking a
visit code without signing in is in apis_public; the fields and answers they share in
apis_serializers.

Every write carries a `client_id` the client generates: a retry over a bad network gets the
first answer back and never writes twice (services.client_requests, one mechanism for all).
The views validate, call one service and render its answer.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from wurao.accounts.policy import SIGNED_IN
from wurao.accounts.scope import scope_for
from wurao.common.api_fields import (
    BAD_QUERY,
    NOT_FOUND,
    choice_filter,
    date_filter,
    id_filter,
    year_filter,
)
from wurao.common.credit_code import CreditCodeError, credit_code_normalise
from wurao.visits import selectors, services
from wurao.visits.apis_serializers import (
    BAD_BODY,
    FORBIDDEN,
    TAGS,
    RefusedOutputSerializer,
    ShallowFields,
    VisitDetailOutputSerializer,
    VisitOutputSerializer,
    answered,
    choice_field,
    client_id_field,
    codes_field,
    detail,
    detail_loaded,
    input_date,
    invalid,
    text_field,
    unique,
    valid,
    visit_for,
    with_lists,
)
from wurao.visits.choices import VisitKind, VisitOrigin, VisitPurpose, VisitStatus
from wurao.visits.services import ClientCall, Replay, request_digest


class VisitListApi(GenericAPIView):
    # Query parameters are validated by the FilterSerializer and applied by the selector.
    policy = {"GET": SIGNED_IN, "POST": "visits.register"}

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
    class InputSerializer(ShallowFields, serializers.Serializer):
        # Every registration builds one: the shallow copy saves 0.6 ms, a tenth of its CPU.

        client_id = client_id_field()
        enterprise = serializers.CharField(
            max_length=30,
            help_text="企业的统一社会信用代码（18 位，GB 32100）",
            error_messages={
                "required": "请填写企业的统一社会信用代码",
                "blank": "请填写企业的统一社会信用代码",
            },
        )
        kind = choice_field(VisitKind, "入企类别")
        origin = choice_field(VisitOrigin, "检查来源", required=False, allow_blank=True)
        purpose = choice_field(VisitPurpose, "来访事由类别", required=False, allow_blank=True)
        date = input_date("入企日期")
        officers = codes_field("执法证号", '"44030900001", "44030900002"')
        items = codes_field("检查事项编码", '"YJ-001"')
        approver = text_field("审批人", 50)
        approval_ref = text_field("审批文号", 60)
        approved_on = input_date("审批日期", required=False)
        note = text_field("事由说明")
        late_reason = text_field("事后补登的理由")
        override_reason = text_field("突破规则的理由（填写后登记待第二人审批）")

        def validate_enterprise(self, value: str) -> str:
            try:
                return credit_code_normalise(value)
            except CreditCodeError as error:
                raise serializers.ValidationError(error.message, code=error.code) from None

        def validate_officers(self, value: list[str]) -> list[str]:
            return unique(value)

        def validate_items(self, value: list[str]) -> list[str]:
            return unique(value)

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
            "入企前登记，得到入企码和核验地址。执法人员和检查事项须为本部门的，"
            "其他部门的返回 400（按字段说明），什么也不写入。"
            "违反入企规则时返回 409，列出触发的规则和不受限制的检查来源；"
            "填写 override_reason 时登记成功但状态为 pending_override，待第二人审批。"
            "同一 client_id 以相同内容重试：已登记的返回 200 和同一登记；被拒绝的返回同一 409，不再重复记录；"
            "同一 client_id 配上不同内容返回 409，不写入。"
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
                description=(
                    "违反入企规则被拒绝；或 client_id 已用于另一项操作或不同的请求内容（此时只有 detail）"
                ),
            ),
        },
    )
    def post(self, request):
        data = valid(self.InputSerializer, request)
        user = request.user
        call = ClientCall(
            user=user,
            client_id=data["client_id"],
            action="register",
            digest=request_digest(request.data),
        )
        reg = services.Registration(
            enterprise=data["enterprise"],  # codes: the service finds them, under its lock
            officers=tuple(data.get("officers", ())),
            items=tuple(data.get("items", ())),
            kind=data["kind"],
            department=user.department,
            day=data["date"],
            origin=data.get("origin", ""),
            purpose=data.get("purpose", ""),
            note=data.get("note", ""),
            approver=data.get("approver", ""),
            approval_ref=data.get("approval_ref", ""),
            approved_on=data.get("approved_on"),
            late_reason=data.get("late_reason", ""),
            override_reason=data.get("override_reason", ""),
            client_id=data["client_id"],
        )
        try:
            visit = services.visit_register(actor=user, reg=reg, call=call)
        except Replay as replay:
            return answered(replay.answer)
        except services.VisitRefused as refused:
            body = RefusedOutputSerializer(refused.answer).data
            return Response(body, status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as error:
            raise invalid(error) from None
        reg = getattr(visit, "registration", None)
        if reg is None:  # the visit the first attempt with this client id created
            return Response(detail_loaded(request, visit))
        departments = dict.fromkeys([reg.department, *(o.department for o in reg.officers)])
        visit = with_lists(visit, departments=departments, officers=reg.officers, items=reg.items)
        return Response(detail(request, visit), status=status.HTTP_201_CREATED)


class VisitDetailApi(APIView):
    policy = SIGNED_IN

    @extend_schema(
        tags=TAGS,
        summary="入企登记详情：入企单位、执法人员（证号、执法证有效期）、检查事项及法律依据、审批、签到签退、触发的规则、执法行为",
        responses={200: VisitDetailOutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request, code: str):
        visit = visit_for(request, code)
        return Response(detail_loaded(request, visit))
