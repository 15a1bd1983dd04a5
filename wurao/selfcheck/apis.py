"""自查自纠 API: the self-inspections and their entries (read, scoped as on the pages), an
entry's result (the enterprise's write), and each park's self-inspection rate.

Visibility: an enterprise itself; a department the completed ones that cover its items, with
their entries only; a street its area, without the answers; the bureau everything."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from wurao.accounts.scope import scope_for
from wurao.common.api_fields import BAD_QUERY, NOT_FOUND, choice_filter
from wurao.selfcheck import selectors, services
from wurao.selfcheck.choices import EntryResult, InspectionStatus
from wurao.selfcheck.models import SelfInspection, SelfInspectionEntry

TAGS = ["selfcheck 企业自查"]
BAD_BODY = OpenApiResponse(description="请求有误：{字段: [中文说明]}，未保存任何内容")
FORBIDDEN = OpenApiResponse(description="无权使用：未登录，或角色不允许（如部门调用园区自查率）")
NOT_GRADING = "企业自查发现的问题是企业自己的发现，不是执法检查结论，不作为处罚依据，也不扣信用分。"


@extend_schema_serializer(component_name="SelfInspectionEntry")
class EntryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField(help_text="序号")
    item = serializers.IntegerField(source="item_id", help_text="检查事项编号")
    item_code = serializers.CharField(source="item.code")
    item_name = serializers.CharField(source="item.name")
    legal_basis = serializers.CharField(source="item.legal_basis", help_text="法律依据")
    check_points = serializers.CharField(source="item.check_points", help_text="检查要点")
    department = serializers.CharField(source="department.name", help_text="事项所属部门")
    result = serializers.CharField(
        help_text="compliant 符合 / problem 发现问题 / not_applicable 不适用；未填写为空"
    )
    note = serializers.CharField()
    fix_action = serializers.CharField(help_text="整改措施")
    fixed_on = serializers.DateField(allow_null=True, help_text="整改完成日期（未整改为 null）")
    open_problem = serializers.BooleanField(help_text="发现问题且尚未整改")
    photos = serializers.SerializerMethodField(help_text="照片地址（按权限提供）")

    def get_photos(self, entry) -> list[str]:
        return [f"/selfcheck/photos/{p.pk}/" for p in entry.photos.all()]


@extend_schema_serializer(component_name="SelfInspection")
class InspectionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    enterprise = serializers.IntegerField(source="enterprise_id")
    enterprise_name = serializers.CharField(source="enterprise.name")
    park = serializers.CharField(source="enterprise.park.name", default="", allow_null=True)
    status = serializers.ChoiceField(choices=InspectionStatus.choices)
    started_on = serializers.DateField()
    completed_on = serializers.DateField(allow_null=True)
    entry_total = serializers.IntegerField(help_text="事项数")
    entry_answered = serializers.IntegerField(help_text="已填写事项数")
    problem_count = serializers.SerializerMethodField(help_text="发现问题数（街道为 null）")
    open_count = serializers.SerializerMethodField(help_text="未整改问题数（街道为 null）")

    # The answers are the enterprise's, its departments' and the bureau's; a street sees the
    # completion only.
    def get_problem_count(self, inspection) -> int | None:
        return inspection.problem_count if self.context.get("answers") else None

    def get_open_count(self, inspection) -> int | None:
        return inspection.open_count if self.context.get("answers") else None


def _inspection(request, pk: int) -> SelfInspection:
    try:
        return selectors.inspection_get(scope=scope_for(request.user), pk=pk)
    except SelfInspection.DoesNotExist:
        raise NotFound("未找到该自查，或您无权查看") from None


class InspectionListApi(GenericAPIView):
    policy = "selfcheck.browse"

    class FilterSerializer(serializers.Serializer):
        status = choice_filter(InspectionStatus, "状态")

    @extend_schema(
        tags=TAGS,
        summary="企业自查列表（企业本企业；部门含本部门事项的已完成自查；街道本辖区；司法局全部）",
        parameters=[FilterSerializer],
        responses={200: InspectionOutputSerializer(many=True), 400: BAD_QUERY, 403: FORBIDDEN},
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        qs = selectors.inspection_list(scope=scope_for(request.user), filters=query.validated_data)
        page = self.paginate_queryset(qs)
        answers = {"answers": selectors.sees_answers(scope_for(request.user))}
        return self.get_paginated_response(
            InspectionOutputSerializer(page, many=True, context=answers).data
        )


class InspectionDetailApi(APIView):
    policy = "selfcheck.browse"

    @extend_schema_serializer(component_name="SelfInspectionDetail")
    class OutputSerializer(InspectionOutputSerializer):
        entries = EntryOutputSerializer(many=True, help_text="条目（部门仅本部门事项；街道不含）")
        notice = serializers.CharField(help_text="说明")

    @extend_schema(
        tags=TAGS,
        summary="一次企业自查及其条目",
        responses={200: OutputSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        inspection = _inspection(request, pk)
        entries = selectors.entry_list(scope=scope_for(request.user), inspection=inspection)
        inspection.entries_shown = list(entries)
        answers = {"answers": selectors.sees_answers(scope_for(request.user))}
        data = {**InspectionOutputSerializer(inspection, context=answers).data}
        data["entries"] = EntryOutputSerializer(inspection.entries_shown, many=True).data
        data["notice"] = NOT_GRADING
        return Response(data)


class EntryRecordApi(APIView):
    policy = "selfcheck.run"

    @extend_schema_serializer(component_name="SelfInspectionEntryRecord")
    class InputSerializer(serializers.Serializer):
        result = serializers.ChoiceField(
            choices=EntryResult.choices,
            help_text="compliant 符合 / problem 发现问题 / not_applicable 不适用",
            error_messages={
                "invalid_choice": "“{input}”不是有效的结果，可选：compliant、problem、not_applicable",
                "required": "请选择结果：compliant、problem 或 not_applicable",
            },
        )
        note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
        fix_action = serializers.CharField(required=False, allow_blank=True, max_length=2000)
        fixed_on = serializers.DateField(
            required=False,
            allow_null=True,
            input_formats=["%Y-%m-%d"],
            error_messages={"invalid": "请输入有效的整改日期，格式为 YYYY-MM-DD"},
        )

    @extend_schema(
        tags=TAGS,
        summary="填写一个自查条目的结果（企业本身；照片请在页面上传）",
        request=InputSerializer,
        responses={200: EntryOutputSerializer, 400: BAD_BODY, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk: int, entry: int):
        inspection = _inspection(request, pk)
        scope = scope_for(request.user)
        if scope.enterprise_id != inspection.enterprise_id:
            raise NotFound("未找到该自查，或您无权查看")
        try:
            the_entry = selectors.entry_get(scope=scope, inspection=inspection, pk=entry)
        except SelfInspectionEntry.DoesNotExist:
            raise NotFound("未找到该条目") from None
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            done = services.entry_record(
                actor=request.user,
                entry=the_entry,
                result=data["result"],
                note=data.get("note", ""),
                fix_action=data.get("fix_action", ""),
                fixed_on=data.get("fixed_on"),
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                error.message_dict
                if hasattr(error, "error_dict")
                else {"non_field_errors": error.messages}
            ) from None
        return Response(EntryOutputSerializer(done).data)


class ParkRateApi(APIView):
    policy = "selfcheck.parks"

    @extend_schema_serializer(component_name="SelfInspectionParkRate")
    class OutputSerializer(serializers.Serializer):
        park = serializers.IntegerField(source="park.pk")
        park_name = serializers.CharField(source="park.name")
        street = serializers.CharField(source="park.street.name")
        enterprises = serializers.IntegerField(help_text="园区存续企业数")
        completed = serializers.IntegerField(help_text="近 12 个月完成自查的企业数")
        rate = serializers.FloatField(allow_null=True, help_text="自查率（无企业为 null）")

    @extend_schema(
        tags=TAGS,
        summary="园区企业自查率（街道本街道园区；司法局全部）",
        responses={200: OutputSerializer(many=True), 403: FORBIDDEN},
    )
    def get(self, request):
        rows = selectors.park_rates(scope=scope_for(request.user), as_of=timezone.localdate())
        return Response(self.OutputSerializer(rows, many=True).data)
