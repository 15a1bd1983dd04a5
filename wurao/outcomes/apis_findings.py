"""整改 API: rectifications (read, scoped as on the pages), the enterprise's report, the
department's closure (documentary check or re-check), and an inspection's item results.

Visibility: a department its own; a street its area's; an enterprise itself; the bureau all.
Every id a body names is checked against the rectification: a re-check action of another
department, enterprise or origin is a 400 naming `action`."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from wurao.accounts.policy import require
from wurao.accounts.scope import scope_for
from wurao.common.api_fields import BAD_QUERY, NOT_FOUND, choice_filter, date_filter
from wurao.common.forms import INTEGER_MAX
from wurao.enforcement.models import EnforcementAction
from wurao.outcomes import selectors_findings as selectors
from wurao.outcomes import services_findings
from wurao.outcomes.choices import (
    CheckResult,
    ClosedBy,
    Hazard,
    RectificationStatus,
    Topic,
)
from wurao.outcomes.models import Rectification

TAGS = ["outcomes 检查发现与整改"]
BAD_BODY = OpenApiResponse(description="请求有误：{字段: [中文说明]}，未保存任何内容")
FORBIDDEN = OpenApiResponse(description="无权使用：未登录，或角色不允许")
MISSING = "未找到该整改，或您无权查看"


def _service_errors(error: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(
        error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    )


@extend_schema_serializer(component_name="RectificationReport")
class ReportOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    rejected_reason = serializers.CharField(help_text="退回理由（未退回为空）")
    files = serializers.SerializerMethodField(help_text="附件地址（按权限提供）")

    def get_files(self, report) -> list[str]:
        return [f"/outcomes/evidence/{f.pk}/" for f in report.files.all()]


@extend_schema_serializer(component_name="Rectification")
class RectificationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    enterprise = serializers.IntegerField(source="enterprise_id")
    enterprise_name = serializers.CharField(source="enterprise.name")
    department = serializers.IntegerField(source="department_id")
    department_name = serializers.CharField(source="department.name")
    notice_number = serializers.CharField(source="notice.number", help_text="责令改正通知书编号")
    issued_on = serializers.DateField(source="notice.issued_on", help_text="告知日期")
    item_code = serializers.CharField(source="item_check.item.code")
    item_name = serializers.CharField(source="item_check.item.name")
    finding = serializers.CharField(source="item_check.description", help_text="发现的问题")
    hazard = serializers.IntegerField(source="item_check.hazard", help_text="隐患等级 0/1/3")
    topic = serializers.ChoiceField(choices=Topic.choices, help_text="整改领域")
    requirement = serializers.CharField(help_text="整改要求")
    deadline = serializers.DateField(help_text="整改期限")
    status = serializers.ChoiceField(choices=RectificationStatus.choices)
    overdue = serializers.BooleanField(source="is_overdue", help_text="已过期限且未完成")
    overdue_on = serializers.DateField(allow_null=True, help_text="逾期日（期限后第一天）")
    closed_on = serializers.DateField(allow_null=True)
    closed_how = serializers.CharField(
        help_text="recheck 现场复查 / documentary 书面核查；未关闭为空"
    )
    recheck = serializers.IntegerField(source="recheck_id", allow_null=True, help_text="复查记录")


def _rectification(request, pk: int) -> Rectification:
    try:
        return selectors.rectification_get(scope=scope_for(request.user), pk=pk)
    except Rectification.DoesNotExist:
        raise NotFound(MISSING) from None


class RectificationListApi(GenericAPIView):
    policy = "findings.read"

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(
            choices=[(selectors.OPEN, "未完成"), *RectificationStatus.choices],
            required=False,
            help_text="状态：open（未完成）、ordered、reported、closed",
            error_messages={
                "invalid_choice": "“{input}”不是有效的状态，可选：open、ordered、reported、closed"
            },
        )
        overdue = serializers.BooleanField(
            required=False,
            default=False,
            help_text="只看已逾期（true）",
            error_messages={"invalid": "“overdue”应为 true 或 false"},
        )
        topic = choice_filter(Topic, "整改领域")
        date_from = date_filter("告知日期起，YYYY-MM-DD")
        date_to = date_filter("告知日期止，YYYY-MM-DD")

    @extend_schema(
        tags=TAGS,
        summary="整改列表（部门本部门；街道本辖区；企业本企业；司法局全部）",
        parameters=[FilterSerializer],
        responses={
            200: RectificationOutputSerializer(many=True),
            400: BAD_QUERY,
            403: FORBIDDEN,
        },
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        qs = selectors.rectification_list(
            scope=scope_for(request.user), filters=query.validated_data
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(RectificationOutputSerializer(page, many=True).data)


class RectificationDetailApi(APIView):
    policy = "findings.read"

    @extend_schema_serializer(component_name="RectificationDetail")
    class OutputSerializer(RectificationOutputSerializer):
        reports = ReportOutputSerializer(many=True, help_text="企业的整改报告")

    @extend_schema(
        tags=TAGS,
        summary="一项整改及企业的整改报告",
        responses={200: OutputSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        rectification = _rectification(request, pk)
        data = {**RectificationOutputSerializer(rectification).data}
        data["reports"] = ReportOutputSerializer(
            selectors.reports_of(rectification), many=True
        ).data
        return Response(data)


class RectificationReportApi(APIView):
    policy = "findings.report"

    @extend_schema_serializer(component_name="RectificationReportInput")
    class InputSerializer(serializers.Serializer):
        text = serializers.CharField(
            max_length=4000,
            help_text="整改情况：做了什么、何时完成（照片和材料请在门户页面上传）",
            error_messages={
                "required": "请写明整改情况",
                "blank": "请写明整改情况",
                "max_length": "整改情况最多 4000 字",
            },
        )

    @extend_schema(
        tags=TAGS,
        summary="报告整改情况（被责令整改的企业本身）",
        request=InputSerializer,
        responses={
            200: RectificationOutputSerializer,
            400: BAD_BODY,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def post(self, request, pk: int):
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rectification = _rectification(request, pk)
        if scope_for(request.user).enterprise_id != rectification.enterprise_id:
            raise NotFound(MISSING)
        try:
            services_findings.rectification_report(
                actor=request.user, rectification=rectification, text=body.validated_data["text"]
            )
        except DjangoValidationError as error:
            raise _service_errors(error) from None
        return Response(RectificationOutputSerializer(_rectification(request, pk)).data)


class RectificationCloseApi(APIView):
    policy = "findings.close"

    @extend_schema_serializer(component_name="RectificationCloseInput")
    class InputSerializer(serializers.Serializer):
        how = serializers.ChoiceField(
            choices=ClosedBy.choices,
            help_text="documentary 书面核查（须企业已报告）/ recheck 现场复查",
            error_messages={
                "invalid_choice": "“{input}”不是有效的核查方式，可选：documentary、recheck",
                "required": "请选择核查方式：documentary 或 recheck",
            },
        )
        note = serializers.CharField(
            required=False, allow_blank=True, max_length=4000, help_text="核查或复查意见"
        )
        action = serializers.IntegerField(
            required=False,
            min_value=1,
            max_value=INTEGER_MAX,
            help_text="复查记录（本部门对该企业、来源为整改复查的检查）编号；recheck 时必填",
            error_messages={
                key: "请输入有效的复查记录编号（正整数）"
                for key in ("invalid", "min_value", "max_value", "max_string_length")
            },
        )
        passed = serializers.BooleanField(
            required=False,
            default=True,
            help_text="复查是否通过；未通过须给出新期限",
            error_messages={"invalid": "“passed”应为 true 或 false"},
        )
        new_deadline = serializers.DateField(
            required=False,
            allow_null=True,
            input_formats=["%Y-%m-%d"],
            help_text="复查未通过时的新整改期限（晚于今天）",
            error_messages={"invalid": "请输入有效的日期，格式为 YYYY-MM-DD"},
        )

    @extend_schema(
        tags=TAGS,
        summary="核查整改：书面核查关闭，或记录现场复查结论（下达整改的部门）",
        request=InputSerializer,
        responses={
            200: RectificationOutputSerializer,
            400: BAD_BODY,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def post(self, request, pk: int):
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        rectification = _rectification(request, pk)
        require(request.user, "findings.close", rectification)
        try:
            if data["how"] == ClosedBy.DOCUMENTARY:
                services_findings.rectification_close_documentary(
                    actor=request.user, rectification=rectification, note=data.get("note", "")
                )
            else:
                action = self._recheck_action(rectification, data.get("action"))
                services_findings.rectification_recheck(
                    actor=request.user,
                    rectification=rectification,
                    action=action,
                    passed=data["passed"],
                    note=data.get("note", ""),
                    new_deadline=data.get("new_deadline"),
                )
        except DjangoValidationError as error:
            raise _service_errors(error) from None
        return Response(RectificationOutputSerializer(_rectification(request, pk)).data)

    @staticmethod
    def _recheck_action(rectification: Rectification, pk: int | None) -> EnforcementAction:
        """Only the department's own re-checks of the enterprise: any other id is a 400 that
        says so, without telling whether the id exists."""
        if pk is None:
            raise serializers.ValidationError({"action": ["现场复查须给出复查记录编号"]})
        action = selectors.rechecks_for(rectification=rectification).filter(pk=pk).first()
        if action is None:
            raise serializers.ValidationError(
                {"action": ["复查记录须是本部门在告知后对该企业、来源为“整改复查”的检查"]}
            )
        return action


@extend_schema_serializer(component_name="ItemCheck")
class CheckOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    item = serializers.IntegerField(source="item_id")
    item_code = serializers.CharField(source="item.code")
    item_name = serializers.CharField(source="item.name")
    result = serializers.ChoiceField(choices=CheckResult.choices)
    description = serializers.CharField()
    hazard = serializers.ChoiceField(choices=Hazard.choices)
    serious_risk = serializers.BooleanField()
    rectification = serializers.SerializerMethodField(help_text="整改编号（未下达为 null）")
    evidence = serializers.SerializerMethodField(help_text="照片地址（按权限提供）")

    def get_rectification(self, check) -> int | None:
        rectification = getattr(check, "rectification", None)
        return rectification.pk if rectification else None

    def get_evidence(self, check) -> list[str]:
        return [f"/outcomes/evidence/{e.pk}/" for e in check.evidence.all()]


class ActionChecksApi(APIView):
    policy = "findings.read"

    @extend_schema(
        tags=TAGS,
        summary="一次检查的逐项结果",
        responses={200: CheckOutputSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        try:
            action = selectors.action_for_findings(scope=scope_for(request.user), pk=pk)
        except EnforcementAction.DoesNotExist:
            raise NotFound("未找到该检查，或您无权查看") from None
        checks = selectors.checks_of(action)
        return Response(CheckOutputSerializer(checks, many=True).data)
