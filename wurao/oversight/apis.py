"""Oversight API: the justice bureau's figures (the study's Table 1 and Figure 1) from live records."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from wurao.accounts.scope import scope_for
from wurao.common.api_fields import YEAR_ERROR
from wurao.oversight.selectors import oversight_summary

TAGS = ["oversight 执法监督"]


@extend_schema_serializer(component_name="OversightByKind")
class ByKindSerializer(serializers.Serializer):
    inspection = serializers.IntegerField(help_text="行政检查")
    penalty = serializers.IntegerField(help_text="行政处罚")
    coercive = serializers.IntegerField(help_text="行政强制")


@extend_schema_serializer(component_name="OversightShares")
class SharesSerializer(serializers.Serializer):
    inspection = serializers.FloatField(help_text="行政检查占比（%）")
    penalty = serializers.FloatField(help_text="行政处罚占比（%）")
    coercive = serializers.FloatField(help_text="行政强制占比（%）")


class OversightSummaryApi(APIView):
    policy = "oversight.supervise"  # refused with the rule's reason

    class FilterSerializer(serializers.Serializer):
        year = serializers.IntegerField(
            min_value=1900,
            max_value=2100,
            help_text="年份，如 2020",
            error_messages={
                "required": "请指定年份，如 ?year=2020",
                **{
                    key: YEAR_ERROR
                    for key in ("invalid", "min_value", "max_value", "max_string_length")
                },
            },
        )

    @extend_schema_serializer(component_name="OversightSummary")
    class OutputSerializer(serializers.Serializer):
        year = serializers.IntegerField()
        by_kind = ByKindSerializer(help_text="执法行为按类别计数（表1）")
        total = serializers.IntegerField(help_text="执法行为总数")
        shares = SharesSerializer(help_text="各类别占比，百分数，保留一位小数")
        by_department = serializers.DictField(
            child=serializers.IntegerField(), help_text="部门名称 → 执法行为数，多的在前（图1）"
        )
        district_inspections = serializers.IntegerField(help_text="区级部门的行政检查数")
        random_draw_inspections = serializers.IntegerField(help_text="其中双随机抽查数")
        joint_random_visits = serializers.IntegerField(
            help_text="跨部门联合双随机抽查的企业户次（同一联合检查编号、两个及以上部门）"
        )

    @extend_schema(
        tags=TAGS,
        summary="年度执法监督汇总（仅司法局）",
        parameters=[FilterSerializer],
        responses={
            200: OutputSerializer,
            400: OpenApiResponse(
                description='年份无效，如 {"year": ["请输入有效的年份，如 2020"]}'
            ),
            403: OpenApiResponse(description="未登录，或不是司法局、部门管理员或街道统筹人员"),
        },
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        summary = oversight_summary(
            scope=scope_for(request.user), year=query.validated_data["year"]
        )
        return Response(self.OutputSerializer(summary).data)
