"""Bookings API (预约服务): the slots an enterprise may book, its bookings, booking and cancelling.

Visibility as on the pages: an enterprise sees the slots of every department's teams and of its
own street's, and only its own bookings; a team's department or street its team's bookings; the
bureau all of them. The slot a body names is checked against the same scope (another street's
team is "not found"). A full slot answers 409 with "已约满".
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from wurao.accounts.scope import scope_for
from wurao.bookings import selectors, services
from wurao.bookings.choices import HOLDS_PLACE, BookingStatus, ServiceKind
from wurao.bookings.models import Booking, Slot
from wurao.common.api_fields import BAD_QUERY, NOT_FOUND, choice_filter, date_filter, id_filter

TAGS = ["bookings 预约服务"]
BAD_BODY = OpenApiResponse(
    description='请求体无效：按字段给出中文说明，如 {"note": ["请说明需求"]}'
)
FORBIDDEN = OpenApiResponse(
    description="未登录，或您的角色不能这样做（预约、取消只有企业本身可以）"
)
FULL = OpenApiResponse(
    description='该时段已约满：{"slot": ["该时段已约满（共 N 个名额），请选择其他时段"]}'
)


def _refused(error: DjangoValidationError) -> Response:
    """A service's refusal as 400 {field: [中文说明]}, or 409 when the slot is full."""
    if hasattr(error, "error_dict"):
        body = {
            k if k != "__all__" else "non_field_errors": v for k, v in error.message_dict.items()
        }
        full = any(e.code == "full" for errors in error.error_dict.values() for e in errors)
    else:
        body, full = {"non_field_errors": error.messages}, False
    return Response(body, status=status.HTTP_409_CONFLICT if full else status.HTTP_400_BAD_REQUEST)


@extend_schema_serializer(component_name="BookingSlot")
class SlotOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ServiceKind.choices, help_text="服务类别")
    kind_label = serializers.CharField(source="get_kind_display")
    date = serializers.DateField()
    start = serializers.CharField(source="start_text", help_text="开始时间，HH:MM")
    end = serializers.CharField(source="end_text", help_text="结束时间，HH:MM")
    online = serializers.BooleanField()
    place = serializers.CharField(help_text="地点或线上会议链接")
    topic = serializers.CharField()
    capacity = serializers.IntegerField(help_text="可约企业数")
    taken = serializers.IntegerField(help_text="已约企业数")
    team = serializers.IntegerField(source="team_id")
    team_name = serializers.CharField(source="team.name")
    owner = serializers.CharField(source="team.owner_name", help_text="所属部门或街道")


@extend_schema_serializer(component_name="ServiceBooking")
class BookingOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=BookingStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    slot = SlotOutputSerializer(help_text="预约的时段（taken 为空时不计）", required=False)
    enterprise = serializers.IntegerField(source="enterprise_id")
    note = serializers.CharField()
    people = serializers.IntegerField()
    booked_at = serializers.DateTimeField()
    reason = serializers.CharField(help_text="取消或婉拒的理由")
    outcome_done = serializers.CharField(help_text="服务内容")
    outcome_advice = serializers.CharField(help_text="意见建议")
    hazards = serializers.CharField(
        help_text="体检发现的隐患：仅供企业自行整改，不作为处罚或信用扣分的依据"
    )


def _with_taken(bookings):
    for b in bookings:
        if not hasattr(b.slot, "taken"):
            b.slot.taken = b.slot.bookings.filter(status__in=[s.value for s in HOLDS_PLACE]).count()
    return bookings


class SlotListApi(GenericAPIView):
    policy = "bookings.slots_read"

    class FilterSerializer(serializers.Serializer):
        kind = choice_filter(ServiceKind, "服务类别")
        team = id_filter("服务队伍")
        date_from = date_filter("起始日期（含），YYYY-MM-DD")
        date_to = date_filter("截止日期（含），YYYY-MM-DD")

    @extend_schema(
        tags=TAGS,
        summary="可预约的服务时段（未开始、尚有名额；企业可见各部门队伍和本街道的驻点队伍，"
        "部门和街道可见本部门、本街道队伍的，司法局可见全部）",
        parameters=[FilterSerializer],
        responses={200: SlotOutputSerializer(many=True), 400: BAD_QUERY, 403: FORBIDDEN},
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        slots = selectors.slot_available_list(
            scope=scope_for(request.user), filters=query.validated_data
        )
        page = self.paginate_queryset(slots)
        return self.get_paginated_response(SlotOutputSerializer(page, many=True).data)


class BookingListApi(GenericAPIView):
    policy = {"GET": "bookings.booking_view", "POST": "bookings.book"}

    class FilterSerializer(serializers.Serializer):
        status = choice_filter(BookingStatus, "状态")
        kind = choice_filter(ServiceKind, "服务类别")

    @extend_schema_serializer(component_name="ServiceBookingRequest")
    class InputSerializer(serializers.Serializer):
        slot = serializers.IntegerField(
            min_value=1,
            max_value=2**63 - 1,
            help_text="时段编号（来自 /api/bookings/slots/）",
            error_messages={
                "required": "请选择预约的时段（slot）",
                "invalid": "时段编号应为正整数",
            },
        )
        note = serializers.CharField(
            max_length=1000,
            help_text="需求说明：希望检查或培训的内容",
            error_messages={
                "required": "请说明需求：希望检查或培训的内容",
                "blank": "请说明需求：希望检查或培训的内容",
            },
        )
        people = serializers.IntegerField(
            min_value=1,
            max_value=services.MAX_PEOPLE,
            default=1,
            help_text="参加人数",
            error_messages={"invalid": "参加人数应为整数"},
        )

    @extend_schema(
        tags=TAGS,
        summary="预约列表（企业看本企业的，部门、街道看本队伍的，司法局看全部）",
        parameters=[FilterSerializer],
        responses={200: BookingOutputSerializer(many=True), 400: BAD_QUERY, 403: FORBIDDEN},
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        bookings = selectors.booking_list(
            scope=scope_for(request.user), filters=query.validated_data
        )
        page = self.paginate_queryset(bookings)
        return self.get_paginated_response(
            BookingOutputSerializer(_with_taken(page), many=True).data
        )

    @extend_schema(
        tags=TAGS,
        summary="预约一个时段（企业）",
        description="时段须在本企业可预约的范围内（否则 404）、尚未开始、本企业未约过；已约满返回 409。",
        request=InputSerializer,
        responses={
            201: BookingOutputSerializer,
            400: BAD_BODY,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: FULL,
        },
    )
    def post(self, request):
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:  # the slot the body names, as a URL id: out of scope is not found
            slot = selectors.slot_get(scope=scope_for(request.user), pk=data["slot"])
        except Slot.DoesNotExist:
            raise NotFound("未找到该服务时段，或不在本企业可预约的范围内") from None
        try:
            booking = services.booking_create(
                actor=request.user,
                slot_id=slot.pk,
                enterprise=request.user.enterprise,
                note=data["note"],
                people=data["people"],
            )
        except DjangoValidationError as error:
            return _refused(error)
        booking = selectors.booking_get(scope=scope_for(request.user), pk=booking.pk)
        return Response(
            BookingOutputSerializer(_with_taken([booking])[0]).data, status=status.HTTP_201_CREATED
        )


class BookingCancelApi(APIView):
    policy = "bookings.booking_change"

    @extend_schema_serializer(component_name="ServiceBookingCancel")
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(
            max_length=500,
            help_text="取消理由",
            error_messages={"required": "请填写取消的理由", "blank": "请填写取消的理由"},
        )

    @extend_schema(
        tags=TAGS,
        summary="取消预约（企业，服务开始前）",
        request=InputSerializer,
        responses={200: BookingOutputSerializer, 400: BAD_BODY, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        try:
            booking = selectors.booking_get(scope=scope_for(request.user), pk=pk)
        except Booking.DoesNotExist:
            raise NotFound("未找到该预约，或您无权查看") from None
        self.check_object_permissions(request, booking)
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.booking_cancel(
                actor=request.user, booking=booking, reason=body.validated_data["reason"]
            )
        except DjangoValidationError as error:
            return _refused(error)
        booking = selectors.booking_get(scope=scope_for(request.user), pk=pk)
        return Response(BookingOutputSerializer(_with_taken([booking])[0]).data)
