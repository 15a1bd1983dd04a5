"""Rulemaking API: the conflict register and consultations, read-only, scoped as the pages.

The register (accepted conflicts) and published consultations are public; a signed-in caller
also sees its own untriaged reports and, for a department, its own drafts. A commenter is
named by the enterprise or organisation, never by the account."""

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from wurao.accounts.policy import PUBLIC
from wurao.accounts.scope import scope_for
from wurao.common.api_fields import BAD_QUERY, NOT_FOUND, choice_filter
from wurao.common.ratelimit import rate_limited
from wurao.rulemaking import selectors
from wurao.rulemaking.choices import ConflictStatus, ConsultationStatus
from wurao.rulemaking.models import Conflict, Consultation

TAGS = ["rulemaking 标准冲突与征求意见"]


@extend_schema_serializer(component_name="ConflictRequirement")
class RequirementOutputSerializer(serializers.Serializer):
    side = serializers.IntegerField(help_text="1 或 2")
    document = serializers.SerializerMethodField(help_text="所引文件（无条文时为空）")
    article = serializers.IntegerField(source="article_id", allow_null=True, help_text="条文编号")
    article_number = serializers.SerializerMethodField()
    article_url = serializers.SerializerMethodField(help_text="标准库中该条的页面")
    source = serializers.CharField(help_text="未引用条文时的出处")
    text = serializers.CharField(help_text="要求内容")
    department = serializers.CharField(source="department.name", default="", help_text="适用部门")

    def get_document(self, r) -> str:
        return str(r.article.version.document) if r.article else ""

    def get_article_number(self, r) -> str:
        return r.article.number if r.article else ""

    def get_article_url(self, r) -> str:
        return selectors.article_url(r.article) if r.article else ""


@extend_schema_serializer(component_name="Conflict")
class ConflictOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    topic = serializers.CharField()
    situation = serializers.CharField(help_text="涉及的企业或情形")
    status = serializers.ChoiceField(choices=ConflictStatus.choices)
    coordinating_department = serializers.CharField(
        source="coordinating_department.name", default="", help_text="协调部门"
    )
    governing = serializers.CharField(help_text="a、b 或 joint（联合解释）；未解决为空")
    resolution = serializers.CharField(help_text="理由或联合解释")
    decline_reason = serializers.CharField(help_text="不予受理的理由（仅报告方和司法局可见）")
    reported_at = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    requirements = RequirementOutputSerializer(many=True)


@rate_limited("public")
class ConflictListApi(GenericAPIView):
    policy = PUBLIC
    OutputSerializer = ConflictOutputSerializer

    class FilterSerializer(serializers.Serializer):
        status = choice_filter(ConflictStatus, "状态")
        q = serializers.CharField(required=False, max_length=50, help_text="关键词")

    @extend_schema(
        tags=TAGS,
        summary="标准冲突登记（已受理的冲突，无需登录）",
        parameters=[FilterSerializer],
        responses={200: ConflictOutputSerializer(many=True), 400: BAD_QUERY},
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        conflicts = selectors.conflict_list(
            scope=scope_for(request.user), filters=query.validated_data
        )
        page = self.paginate_queryset(conflicts)
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)


@rate_limited("public")
class ConflictDetailApi(APIView):
    policy = PUBLIC

    @extend_schema(
        tags=TAGS,
        summary="一项标准冲突（未受理的报告仅报告方和司法局可见）",
        responses={200: ConflictOutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        try:
            conflict = selectors.conflict_get(scope=scope_for(request.user), pk=pk)
        except Conflict.DoesNotExist:
            raise NotFound("未找到该冲突，或您无权查看") from None
        return Response(ConflictOutputSerializer(conflict).data)


@extend_schema_serializer(component_name="ConsultationComment")
class CommentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    commenter = serializers.CharField(source="commenter_name", help_text="企业或组织名称")
    commenter_kind = serializers.CharField(help_text="enterprise 或 organisation")
    article_number = serializers.SerializerMethodField()
    paragraph = serializers.CharField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
    answer_kind = serializers.CharField(help_text="adopted、partly、not_adopted；未答复为空")
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)

    def get_article_number(self, c) -> str:
        return c.article.number if c.article else ""


@extend_schema_serializer(component_name="ConsultationMeeting")
class MeetingOutputSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="hearing 听证会 或 meeting 座谈会")
    held_on = serializers.DateField()
    place = serializers.CharField()
    minutes = serializers.CharField()


@extend_schema_serializer(component_name="Consultation")
class ConsultationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    department = serializers.CharField(source="department.name")
    status = serializers.ChoiceField(choices=ConsultationStatus.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    effective_on = serializers.DateField(allow_null=True)
    document = serializers.IntegerField(source="document_id", allow_null=True)


@extend_schema_serializer(component_name="ConsultationDetail")
class ConsultationDetailOutputSerializer(ConsultationOutputSerializer):
    text = serializers.CharField()
    decision_note = serializers.CharField()
    comments = CommentOutputSerializer(many=True)
    meetings = MeetingOutputSerializer(many=True)


@rate_limited("public")
class ConsultationListApi(GenericAPIView):
    policy = PUBLIC
    OutputSerializer = ConsultationOutputSerializer

    class FilterSerializer(serializers.Serializer):
        status = choice_filter(ConsultationStatus, "状态")

    @extend_schema(
        tags=TAGS,
        summary="征求意见（已发布的，无需登录；部门另见本部门草稿）",
        parameters=[FilterSerializer],
        responses={200: ConsultationOutputSerializer(many=True), 400: BAD_QUERY},
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        consultations = selectors.consultation_list(
            scope=scope_for(request.user), filters=query.validated_data
        )
        page = self.paginate_queryset(consultations)
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)


@rate_limited("public")
class ConsultationDetailApi(APIView):
    policy = PUBLIC

    @extend_schema(
        tags=TAGS,
        summary="一项征求意见：正文、全部意见及答复、听证会和座谈会",
        responses={200: ConsultationDetailOutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        try:
            consultation = selectors.consultation_get(scope=scope_for(request.user), pk=pk)
        except Consultation.DoesNotExist:
            raise NotFound("未找到该征求意见，或您无权查看") from None
        data = ConsultationDetailOutputSerializer(
            {
                **{
                    f: getattr(consultation, f)
                    for f in (
                        "id",
                        "title",
                        "department",
                        "status",
                        "starts_on",
                        "ends_on",
                        "effective_on",
                        "document_id",
                        "text",
                        "decision_note",
                    )
                },
                "comments": selectors.comment_list(consultation=consultation),
                "meetings": consultation.meetings.all(),
            }
        ).data
        return Response(data)
