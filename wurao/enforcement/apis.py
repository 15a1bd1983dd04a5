"""Enforcement API (一企一档): enforcement actions and non-enforcement visits, read-only.

Scoped like the pages: a department sees its own records, a street those in its
area, an enterprise those on itself, the justice bureau all of them.
"""

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
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
from wurao.enforcement.choices import ActionKind, Mode, Origin
from wurao.enforcement.models import EnforcementAction
from wurao.enforcement.selectors import action_list

TAGS = ["enforcement 执法记录"]


@extend_schema_serializer(component_name="EnforcementAction")
class ActionOutputSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")
    origin_display = serializers.CharField(source="get_origin_display")
    department_level_display = serializers.CharField(source="get_department_level_display")
    mode_display = serializers.CharField(source="get_mode_display", help_text="检查方式")
    enterprise_name = serializers.CharField(source="enterprise.name")
    enterprise_credit_code = serializers.CharField(source="enterprise.credit_code")
    department_name = serializers.CharField(source="department.name")

    class Meta:
        model = EnforcementAction
        fields = [
            "id",
            "date",
            "kind",
            "kind_display",
            "origin",
            "origin_display",
            "enterprise",
            "enterprise_name",
            "enterprise_credit_code",
            "department",
            "department_name",
            "department_level",
            "department_level_display",
            "joint_ref",
            "mode",
            "mode_display",
            "offsite_method",
        ]


class ActionListApi(GenericAPIView):
    policy = SIGNED_IN
    # Query parameters are validated by the FilterSerializer and applied by the selector.

    class FilterSerializer(serializers.Serializer):
        year = year_filter()
        kind = choice_filter(ActionKind, "类别")
        origin = choice_filter(Origin, "来源")
        mode = choice_filter(Mode, "检查方式")
        department = id_filter("部门")
        enterprise = id_filter("企业")
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

    OutputSerializer = ActionOutputSerializer

    @extend_schema(
        tags=TAGS,
        summary="执法行为列表（按角色范围）",
        parameters=[FilterSerializer],
        responses={200: ActionOutputSerializer(many=True), 400: BAD_QUERY},
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        actions = action_list(scope=scope_for(request.user), filters=query.validated_data)
        page = self.paginate_queryset(actions)
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)


# Plain serializers: another app's models are not imported here (apps meet through selectors).
@extend_schema_serializer(component_name="ActionItem")
class ActionItemOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(help_text="事项编码")
    name = serializers.CharField(help_text="事项名称")
    legal_basis = serializers.CharField(
        help_text="法律依据，如《中华人民共和国安全生产法》第六十五条"
    )


@extend_schema_serializer(component_name="ActionOfficer")
class ActionOfficerOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="姓名")
    badge_no = serializers.CharField(help_text="执法证号")


class ActionDetailApi(APIView):
    policy = SIGNED_IN

    @extend_schema_serializer(component_name="EnforcementActionDetail")
    class OutputSerializer(ActionOutputSerializer):
        items = ActionItemOutputSerializer(many=True)
        officers = ActionOfficerOutputSerializer(many=True)

        class Meta(ActionOutputSerializer.Meta):
            fields = [
                *ActionOutputSerializer.Meta.fields,
                "items",
                "officers",
                "summary",
                "created_at",
            ]

    @extend_schema(
        tags=TAGS,
        summary="执法行为详情（检查事项及法律依据、执法人员及证号）",
        responses={200: OutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        # The selector's scope decides: another department's action is "not found", not "forbidden".
        action = (
            action_list(scope=scope_for(request.user))
            .prefetch_related("items", "officers")
            .filter(pk=pk)
            .first()
        )
        if action is None:
            raise NotFound("未找到该执法记录，或您无权查看")
        return Response(self.OutputSerializer(action).data)
