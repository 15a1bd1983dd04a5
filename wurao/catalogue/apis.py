"""Catalogue API (一单): every department's published inspection items. 清单之外无事项.

The catalogue is public, so every signed-in role reads all of it.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from wurao.accounts.policy import SIGNED_IN
from wurao.catalogue.choices import ItemKind
from wurao.catalogue.models import InspectionItem
from wurao.catalogue.selectors import item_list
from wurao.common.api_fields import BAD_QUERY, id_filter

NOT_FOUND = OpenApiResponse(description="没有该检查事项")
TAGS = ["catalogue 一单"]
KIND_OPTIONS = "、".join(f"{value}（{name}）" for value, name in ItemKind.choices)


@extend_schema_serializer(component_name="InspectionItem")
class ItemOutputSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name")
    kind_display = serializers.CharField(source="get_kind_display")
    legal_basis = serializers.CharField(
        help_text="法律依据，如《中华人民共和国安全生产法》第六十五条"
    )
    applicable_tags = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="适用风险标签代码"
    )

    class Meta:
        model = InspectionItem
        fields = [
            "id",
            "code",
            "name",
            "department",
            "department_name",
            "kind",
            "kind_display",
            "law",
            "article",
            "legal_basis",
            "applicable_tags",
            "applicable_industries",
            "active",
        ]


class ItemListApi(GenericAPIView):
    policy = SIGNED_IN
    # Query parameters are validated by the FilterSerializer and applied by the selector.

    class FilterSerializer(serializers.Serializer):
        department = id_filter("部门")
        kind = serializers.ChoiceField(
            choices=ItemKind.choices,
            required=False,
            help_text="事项类别",
            error_messages={
                "invalid_choice": f"“{{input}}”不是有效的事项类别，可选：{KIND_OPTIONS}"
            },
        )
        q = serializers.CharField(
            required=False, max_length=100, help_text="事项名称或法规名称关键字，或事项编码前缀"
        )

    OutputSerializer = ItemOutputSerializer

    @extend_schema(
        tags=TAGS,
        summary="检查事项清单（有效事项）",
        parameters=[FilterSerializer],
        responses={200: ItemOutputSerializer(many=True), 400: BAD_QUERY},
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = self.paginate_queryset(item_list(filters=query.validated_data))
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)


class ItemDetailApi(APIView):
    policy = SIGNED_IN

    @extend_schema_serializer(component_name="InspectionItemDetail")
    class OutputSerializer(ItemOutputSerializer):
        class Meta(ItemOutputSerializer.Meta):
            fields = [*ItemOutputSerializer.Meta.fields, "check_points"]

    @extend_schema(
        tags=TAGS,
        summary="检查事项（含检查要点）",
        responses={200: OutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        # A withdrawn item stays readable: recorded actions still cite it.
        item = item_list(filters={"active_only": False}).filter(pk=pk).first()
        if item is None:
            raise NotFound("未找到该检查事项")
        return Response(self.OutputSerializer(item).data)
