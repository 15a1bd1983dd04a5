"""Complaints API: the public follow-up (receipt + secret → status) and the supervision
office's list; a department's statement requests (the neutral summary only)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from wurao.accounts.policy import PUBLIC
from wurao.accounts.scope import scope_for
from wurao.common.api_fields import BAD_QUERY, choice_filter
from wurao.common.ratelimit import rate_limited
from wurao.complaints import selectors
from wurao.complaints.choices import Category, Finding, Status

TAGS = ["complaints 投诉"]
BAD_BODY = OpenApiResponse(description="请求体无效：按字段给出中文说明")
WRONG_RECEIPT = OpenApiResponse(description="回执号或查询密码不正确（二者错误时回答相同）")
NOT_OFFICE = OpenApiResponse(description="未登录，或不是司法局执法监督人员")
NOT_DEPARTMENT = OpenApiResponse(description="未登录，或不是有所属部门的执法人员、部门管理员")
TOO_MANY = OpenApiResponse(description="请求过于频繁（按来源地址限流），稍后再试")


class ComplaintStatusSerializer(serializers.Serializer):
    """What the filer may read of the case: never the office's internals, nobody's identity."""

    receipt = serializers.CharField(help_text="回执号")
    category = serializers.ChoiceField(choices=Category.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    status_display = serializers.CharField(source="get_status_display")
    filed_on = serializers.DateField()
    accept_due = serializers.DateField(help_text="受理期限")
    answer_due = serializers.DateField(allow_null=True, help_text="答复期限")
    not_accepted_reason = serializers.CharField()
    finding = serializers.ChoiceField(choices=Finding.choices, allow_blank=True)
    answer = serializers.CharField(help_text="执法监督机构的答复")
    rating = serializers.IntegerField(allow_null=True)


@rate_limited("public")  # one count with the public pages
class ComplaintTrackApi(APIView):
    """Follow a complaint by its receipt and secret, without signing in. Wrong receipt or
    wrong secret answer alike (404), so the endpoint tells nobody which receipts exist."""

    authentication_classes = ()
    policy = PUBLIC

    @extend_schema_serializer(component_name="ComplaintTrackRequest")
    class InputSerializer(serializers.Serializer):
        receipt = serializers.CharField(max_length=20, help_text="回执号")
        secret = serializers.CharField(max_length=30, help_text="查询密码")

    @extend_schema(
        tags=TAGS,
        summary="凭回执号和查询密码查询投诉进度（无需登录）",
        request=InputSerializer,
        responses={
            200: ComplaintStatusSerializer,
            400: BAD_BODY,
            404: WRONG_RECEIPT,
            429: TOO_MANY,
        },
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        complaint = selectors.complaint_track(**data.validated_data)
        if complaint is None:
            return Response({"detail": "回执号或查询密码不正确"}, status=404)
        return Response(ComplaintStatusSerializer(complaint).data)


class OfficeComplaintSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    category = serializers.ChoiceField(choices=Category.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    anonymous = serializers.BooleanField()
    department = serializers.CharField(source="department.name", allow_null=True, default=None)
    officer_badge = serializers.CharField(source="officer.badge_no", allow_null=True, default=None)
    filed_on = serializers.DateField()
    accept_due = serializers.DateField()
    answer_due = serializers.DateField(allow_null=True)
    escalated = serializers.BooleanField()
    finding = serializers.CharField()


class OfficeComplaintListApi(GenericAPIView):
    policy = "complaints.office"

    class FilterSerializer(serializers.Serializer):
        status = choice_filter(Status, "状态")
        category = choice_filter(Category, "投诉类别")
        overdue = serializers.BooleanField(required=False, help_text="只看逾期督办的")

    @extend_schema(
        tags=TAGS,
        summary="执法监督机构的投诉队列（仅司法局；不含投诉人身份）",
        parameters=[FilterSerializer],
        responses={200: OfficeComplaintSerializer(many=True), 400: BAD_QUERY, 403: NOT_OFFICE},
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        qs = selectors.complaint_list(scope=scope_for(request.user), filters=query.validated_data)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(OfficeComplaintSerializer(page, many=True).data)


class StatementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    summary = serializers.CharField(help_text="执法监督机构撰写的中性事项摘要")
    requested_at = serializers.DateTimeField()
    due_on = serializers.DateField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)


class StatementListApi(GenericAPIView):
    policy = "complaints.statement_browse"

    @extend_schema(
        tags=TAGS,
        summary="本部门收到的情况说明要求（只有事项摘要，不含投诉内容和投诉人）",
        responses={200: StatementSerializer(many=True), 403: NOT_DEPARTMENT},
    )
    def get(self, request):
        page = self.paginate_queryset(selectors.statement_list(scope=scope_for(request.user)))
        return self.get_paginated_response(StatementSerializer(page, many=True).data)
