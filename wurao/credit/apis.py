"""Credit API (信用分级分类): an enterprise's grade explained, and the grade changes, read-only.

Visibility as on the pages: departments and the justice bureau any enterprise (the registry is
shared), a street its own area, an enterprise only itself; anything else is "not found".
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from wurao.accounts.policy import SIGNED_IN
from wurao.accounts.scope import scope_for
from wurao.common.api_fields import BAD_QUERY, NOT_FOUND, choice_filter, date_filter
from wurao.credit import selectors
from wurao.credit.choices import Grade
from wurao.credit.selectors_grading import enterprise_breakdown
from wurao.registry import selectors as registry_selectors
from wurao.registry.models import Enterprise

TAGS = ["credit 信用分级"]


@extend_schema_serializer(component_name="CreditGradeEffect")
class GradeEffectOutputSerializer(serializers.Serializer):
    sampling_weight = serializers.FloatField(help_text="双随机抽查权重")
    visit_cap_per_year = serializers.IntegerField(
        allow_null=True, required=False, help_text="每年入企检查上限（无上限为 null）"
    )
    quiet_period_days = serializers.IntegerField(help_text="检查后的免扰天数")
    flags = serializers.ListField(child=serializers.CharField(), required=False)


@extend_schema_serializer(component_name="CreditBreakdownRow")
class BreakdownRowOutputSerializer(serializers.Serializer):
    date = serializers.DateField(allow_null=True, help_text="记录日期（风险标签、行业为 null）")
    indicator = serializers.CharField(help_text="指标代码")
    points = serializers.FloatField(help_text="加减分（负数为扣分）")
    reason = serializers.CharField(source="reason_zh", help_text="原因")
    source = serializers.CharField(help_text="记录来源：action、alert、commitment 等，无则为空")
    source_id = serializers.IntegerField(allow_null=True, help_text="记录编号")


class EnterpriseGradeApi(APIView):
    # Any signed-in user asks; the registry's scope answers (out of scope is a 404).
    policy = SIGNED_IN

    @extend_schema_serializer(component_name="EnterpriseCreditGrade")
    class OutputSerializer(serializers.Serializer):
        enterprise = serializers.IntegerField()
        enterprise_name = serializers.CharField()
        credit_code = serializers.CharField()
        grade = serializers.ChoiceField(
            choices=Grade.choices, allow_null=True, help_text="等级（尚未评级为 null）"
        )
        score = serializers.FloatField(allow_null=True, help_text="信用分")
        table_version = serializers.IntegerField(allow_null=True, help_text="计分表版本号")
        as_of = serializers.DateField(help_text="评价基准日")
        effects = GradeEffectOutputSerializer(
            allow_null=True, help_text="本等级的影响：抽查权重、检查上限、免扰期"
        )
        rows = BreakdownRowOutputSerializer(many=True, help_text="得分明细")

    @extend_schema(
        tags=TAGS,
        summary="企业信用等级及得分明细（部门、司法局任一企业；街道本辖区；企业仅本企业）",
        responses={200: OutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        scope = scope_for(request.user)
        try:
            # The registry's own rule, as on the page: an enterprise sees only itself.
            enterprise = registry_selectors.enterprise_get(scope=scope, pk=pk)
        except Enterprise.DoesNotExist:
            raise NotFound("未找到该企业，或您无权查看") from None
        grade = selectors.enterprise_grade_get(enterprise_id=enterprise.pk)
        if grade:
            # Explain the stored grade with the table and the date that made it.
            as_of = grade.as_of
            breakdown = enterprise_breakdown(
                enterprise_id=enterprise.pk, as_of=as_of, version=grade.table_version
            )
        else:
            as_of = timezone.localdate()
            breakdown = enterprise_breakdown(enterprise_id=enterprise.pk, as_of=as_of)
        letter = grade.grade if grade else None
        version = grade.table_version if grade else breakdown["version"]
        data = {
            "enterprise": enterprise.pk,
            "enterprise_name": enterprise.name,
            "credit_code": enterprise.credit_code,
            "grade": letter,
            "score": round(grade.score, 2) if grade else None,
            "table_version": version.version if version else None,
            "as_of": as_of,
            "effects": selectors.grade_effects(as_of=as_of).get(letter) if letter else None,
            "rows": [{**row, "points": round(row["points"], 2)} for row in breakdown["rows"]],
        }
        return Response(self.OutputSerializer(data).data)


@extend_schema_serializer(component_name="CreditGradeChange")
class GradeChangeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    enterprise = serializers.IntegerField(source="enterprise_id")
    enterprise_name = serializers.CharField(source="enterprise.name")
    credit_code = serializers.CharField(source="enterprise.credit_code")
    previous_grade = serializers.CharField(help_text="原等级（首次评级为空）")
    grade = serializers.ChoiceField(choices=Grade.choices, help_text="新等级")
    previous_score = serializers.FloatField(allow_null=True)
    score = serializers.FloatField()
    table_version = serializers.IntegerField(source="table_version.version")
    as_of = serializers.DateField(help_text="评价基准日")
    changed_at = serializers.DateTimeField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="主要原因")


class GradeChangeListApi(GenericAPIView):
    # Query parameters are validated by the FilterSerializer and applied by the selector;
    # any signed-in user asks, the scope answers.
    policy = SIGNED_IN

    class FilterSerializer(serializers.Serializer):
        grade = choice_filter(Grade, "等级")
        as_of = date_filter("评价基准日，YYYY-MM-DD")

    OutputSerializer = GradeChangeOutputSerializer

    @extend_schema(
        tags=TAGS,
        summary="信用等级变动（新的在前；按范围）",
        parameters=[FilterSerializer],
        responses={200: GradeChangeOutputSerializer(many=True), 400: BAD_QUERY},
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        changes = selectors.grade_change_list(
            scope=scope_for(request.user), filters=query.validated_data
        )
        page = self.paginate_queryset(changes)
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)
