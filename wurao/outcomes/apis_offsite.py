"""Off-site inspection API (非现场检查): the list, scoped like the pages, and the record of one
by a department's officer — multipart, with its evidence files. Every code in the body is
looked up in the officer's own department (another department's item or officer is a 400
naming the field); the item results follow through the findings API."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from wurao.accounts.scope import Scope, scope_for
from wurao.catalogue import selectors as catalogue_selectors
from wurao.common.api_fields import BAD_QUERY, choice_filter, date_filter, id_filter, year_filter
from wurao.enforcement.choices import OffsiteMethod
from wurao.outcomes import selectors_offsite as selectors
from wurao.outcomes import services_offsite as services
from wurao.outcomes.choices import EvidenceKind
from wurao.registry import selectors as registry_selectors

TAGS = ["outcomes 非现场检查"]
BAD_BODY = OpenApiResponse(description="请求有误：{字段: [中文说明]}，未保存任何内容")
FORBIDDEN = OpenApiResponse(description="无权使用：未登录，或不是执法部门的人员")
ORIGIN_CHOICES = [(o.value, o.label) for o in services.ORIGINS]


@extend_schema_serializer(component_name="OffsiteInspection")
class OffsiteOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    enterprise = serializers.IntegerField(source="enterprise_id")
    enterprise_name = serializers.CharField(source="enterprise.name")
    enterprise_credit_code = serializers.CharField(source="enterprise.credit_code")
    department = serializers.IntegerField(source="department_id")
    department_name = serializers.CharField(source="department.name")
    origin = serializers.CharField(help_text="检查来源代码")
    origin_display = serializers.CharField(source="get_origin_display")
    method = serializers.CharField(source="offsite_method", help_text="非现场检查手段代码")
    method_display = serializers.CharField(source="get_offsite_method_display")
    summary = serializers.CharField()
    evidence_count = serializers.IntegerField(help_text="证据材料份数")


def _codes(value: str | list) -> list[str]:
    return [v.strip() for v in value if isinstance(v, str) and v.strip()]


class OffsiteListApi(GenericAPIView):
    policy = {"GET": "offsite.browse", "POST": "offsite.record"}
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    class FilterSerializer(serializers.Serializer):
        year = year_filter()
        method = choice_filter(OffsiteMethod, "检查手段")
        origin = serializers.ChoiceField(
            choices=ORIGIN_CHOICES, required=False, help_text="检查来源"
        )
        department = id_filter("部门")
        enterprise = id_filter("企业")
        date_from = date_filter("起始日期（含），YYYY-MM-DD")
        date_to = date_filter("截止日期（含），YYYY-MM-DD")

    @extend_schema_serializer(component_name="OffsiteInspectionInput")
    class InputSerializer(serializers.Serializer):
        enterprise = serializers.CharField(max_length=18, help_text="企业统一社会信用代码")
        date = serializers.DateField(help_text="检查日期，YYYY-MM-DD，不晚于今天")
        method = serializers.ChoiceField(choices=OffsiteMethod.choices, help_text="非现场检查手段")
        origin = serializers.ChoiceField(choices=ORIGIN_CHOICES, help_text="检查来源")
        items = serializers.ListField(
            child=serializers.CharField(max_length=40), help_text="检查事项编码（本部门清单内）"
        )
        officers = serializers.ListField(
            child=serializers.CharField(max_length=40), help_text="执法证号（本部门，至少两人）"
        )
        summary = serializers.CharField(max_length=4000, help_text="检查情况")
        evidence_kind = serializers.ChoiceField(
            choices=EvidenceKind.choices, help_text="材料类别（适用于本次上传的全部文件）"
        )
        evidence = serializers.ListField(
            child=serializers.FileField(),
            help_text="证据材料：PDF、JPG、PNG、CSV、XLSX，每个不超过 20 MB",
        )
        evidence_note = serializers.CharField(
            max_length=200, required=False, allow_blank=True, help_text="材料说明"
        )

        def validate_enterprise(self, value: str):
            code = value.strip().upper()
            enterprise = (
                registry_selectors.enterprise_list(scope=Scope(sees_all=True))
                .filter(credit_code=code)
                .first()
            )
            if enterprise is None:
                raise serializers.ValidationError(f"统一社会信用代码 {code} 不在企业库中")
            return enterprise

        def validate_items(self, value: list[str]):
            department = self.context["department"]
            codes = _codes(value)
            found = {
                i.code: i
                for i in catalogue_selectors.item_list(filters={"department": department.pk})
                .prefetch_related(None)
                .filter(code__in=codes)
            }
            if unknown := [c for c in codes if c not in found]:
                raise serializers.ValidationError(
                    f"检查事项 {'、'.join(unknown)} 不在“{department.name}”公布的有效检查事项清单内"
                )
            return [found[c] for c in dict.fromkeys(codes)]

        def validate_officers(self, value: list[str]):
            department = self.context["department"]
            badges = _codes(value)
            found = {
                o.badge_no: o
                for o in registry_selectors.inspector_list(
                    scope=Scope(department_id=department.pk)
                ).filter(badge_no__in=badges, active=True)
            }
            if unknown := [b for b in badges if b not in found]:
                raise serializers.ValidationError(
                    f"执法证号 {'、'.join(unknown)} 不是“{department.name}”在岗的执法人员"
                )
            return [found[b] for b in dict.fromkeys(badges)]

    @extend_schema(
        tags=TAGS,
        summary="非现场检查列表（按角色范围）",
        parameters=[FilterSerializer],
        responses={200: OffsiteOutputSerializer(many=True), 400: BAD_QUERY, 403: FORBIDDEN},
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = selectors.offsite_list(scope=scope_for(request.user), filters=query.validated_data)
        page = self.paginate_queryset(found)
        return self.get_paginated_response(OffsiteOutputSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="录入一次非现场检查（multipart/form-data，附证据材料；本部门执法人员）",
        request={"multipart/form-data": InputSerializer},
        responses={201: OffsiteOutputSerializer, 400: BAD_BODY, 403: FORBIDDEN},
    )
    def post(self, request):
        department = request.user.department
        body = self.InputSerializer(data=request.data, context={"department": department})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            action = services.offsite_record(
                actor=request.user,
                enterprise=data["enterprise"],
                department=department,
                day=data["date"],
                method=data["method"],
                origin=data["origin"],
                items=data["items"],
                officers=data["officers"],
                summary=data["summary"],
                evidence=[
                    {
                        "kind": data["evidence_kind"],
                        "file": f,
                        "note": data.get("evidence_note", ""),
                    }
                    for f in data["evidence"]
                ],
            )
        except DjangoValidationError as error:
            errors = (
                error.message_dict
                if hasattr(error, "error_dict")
                else {"non_field_errors": error.messages}
            )
            # The service speaks of the day; the body of the date.
            if "day" in errors:
                errors["date"] = errors.pop("day")
            raise serializers.ValidationError(errors) from None
        action = selectors.offsite_list(scope=Scope(sees_all=True)).get(pk=action.pk)
        return Response(OffsiteOutputSerializer(action).data, status=201)
