"""Sampling API (双随机、一公开): draw tasks, read-only.

A department reads the tasks it leads or takes part in, the justice bureau all of them; anyone,
signed in or not, reads what the public pages show from a task's commitment on. The server seed
is never shown before the draw.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from wurao.accounts.policy import PUBLIC, SIGNED_IN
from wurao.accounts.scope import scope_for
from wurao.common.api_fields import BAD_QUERY, NOT_FOUND, choice_filter
from wurao.common.ratelimit import rate_limited
from wurao.sampling import services
from wurao.sampling.choices import TaskStatus
from wurao.sampling.selectors import draw_task_detail, draw_task_list, draw_task_public_list

TAGS = ["sampling 双随机抽查"]
PUBLIC_TAGS = ["public 一公开"]
# From the draw on, the seed and the selection are public (spec §7).
DRAWN = (TaskStatus.DRAWN, TaskStatus.IN_PROGRESS, TaskStatus.CLOSED)


@extend_schema_serializer(component_name="DrawTask")
class DrawTaskOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(help_text="任务编号")
    title = serializers.CharField(help_text="任务名称")
    status = serializers.ChoiceField(choices=TaskStatus.choices, help_text="状态")
    status_display = serializers.CharField(source="get_status_display")
    lead_department = serializers.IntegerField(source="lead_department_id")
    lead_department_name = serializers.CharField(source="lead_department.name")
    window_start = serializers.DateField(help_text="计划检查开始")
    window_end = serializers.DateField(help_text="计划检查结束")
    candidate_count = serializers.IntegerField(help_text="候选企业数（承诺时确定）")
    total = serializers.IntegerField(allow_null=True, help_text="抽取总数（承诺时确定）")
    selected_count = serializers.IntegerField(help_text="已抽中企业数")
    committed_at = serializers.DateTimeField(allow_null=True)
    drawn_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class DrawTaskListApi(GenericAPIView):
    # Query parameters are validated by the FilterSerializer and applied by the selector.
    # As the /draws/ page: the bureau and the departments (their own tasks, by the scope).
    policy = "sampling.browse"

    class FilterSerializer(serializers.Serializer):
        status = choice_filter(TaskStatus, "任务状态")

    OutputSerializer = DrawTaskOutputSerializer

    @extend_schema(
        tags=TAGS,
        summary="抽查任务列表（本部门牵头或参与的；司法局全部）",
        parameters=[FilterSerializer],
        responses={
            200: DrawTaskOutputSerializer(many=True),
            400: BAD_QUERY,
            403: OpenApiResponse(
                description="未登录，或是街道或企业用户（抽查任务由部门和司法局查看）"
            ),
        },
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        tasks = draw_task_list(scope=scope_for(request.user), filters=query.validated_data)
        page = self.paginate_queryset(tasks)
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)


# Plain serializers: another app's models are not imported here (apps meet through selectors).
@extend_schema_serializer(component_name="DrawParticipantItem")
class ParticipantItemOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(help_text="事项编码")
    name = serializers.CharField(help_text="事项名称")


@extend_schema_serializer(component_name="DrawParticipant")
class ParticipantOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    department = serializers.IntegerField(source="department_id")
    department_name = serializers.CharField(source="department.name")
    team_size = serializers.IntegerField(help_text="每组人数")
    items = ParticipantItemOutputSerializer(many=True, source="items.all")


class DrawTaskDetailApi(APIView):
    policy = SIGNED_IN

    @extend_schema_serializer(component_name="DrawTaskDetail")
    class OutputSerializer(DrawTaskOutputSerializer):
        scope = serializers.JSONField(help_text="抽查范围（筛选条件）")
        size_mode = serializers.CharField(help_text="抽取方式：total（总数）或 ratio（比例）")
        size_value = serializers.DecimalField(max_digits=12, decimal_places=4)
        weights = serializers.DictField(child=serializers.CharField(), help_text="各等级权重")
        grade_table = serializers.CharField(help_text="所用等级表")
        quotas = serializers.DictField(
            child=serializers.IntegerField(), help_text="各等级配额（承诺时确定）"
        )
        commitment = serializers.CharField(help_text="承诺值（抽取前公开）")
        snapshot_digest = serializers.CharField(help_text="候选快照摘要")
        server_seed = serializers.SerializerMethodField()
        external_entropy = serializers.CharField(help_text="外部随机数（抽取时）")
        observer = serializers.CharField(help_text="监督见证人")
        result_digest = serializers.CharField(help_text="结果摘要（抽取后）")
        participants = ParticipantOutputSerializer(many=True, source="participants.all")

        @extend_schema_field(
            serializers.CharField(
                allow_null=True, help_text="服务器种子：抽取后才公开，此前为 null"
            )
        )
        def get_server_seed(self, task) -> str | None:
            return task.server_seed if task.status in DRAWN else None

    @extend_schema(
        tags=TAGS,
        summary="抽查任务详情（参与部门及事项、配额、承诺值、快照摘要；种子抽取后公开）",
        responses={200: OutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        # The selector's scope decides: another department's task is "not found", not "forbidden".
        task = draw_task_list(scope=scope_for(request.user)).filter(pk=pk).first()
        if task is None:
            raise NotFound("未找到该抽查任务，或您无权查看")
        detail = draw_task_detail(task=task)
        detail.selected_count = task.selected_count
        return Response(self.OutputSerializer(detail).data)


@extend_schema_serializer(component_name="PublicDrawTask")
class PublicDrawTaskOutputSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="任务编号")
    title = serializers.CharField(help_text="任务名称")
    status = serializers.ChoiceField(choices=TaskStatus.choices, help_text="状态")
    status_display = serializers.CharField(source="get_status_display")
    lead_department_name = serializers.CharField(source="lead_department.name")
    window_start = serializers.DateField()
    window_end = serializers.DateField()
    candidate_count = serializers.IntegerField()
    total = serializers.IntegerField(allow_null=True)
    selected_count = serializers.IntegerField()
    commitment = serializers.CharField(help_text="承诺值")
    snapshot_digest = serializers.CharField(help_text="候选快照摘要")
    committed_at = serializers.DateTimeField(allow_null=True)
    drawn_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)


@rate_limited("public")  # [hardening] deploy: as the public pages
class PublicDrawTaskListApi(GenericAPIView):
    authentication_classes = ()
    policy = PUBLIC
    OutputSerializer = PublicDrawTaskOutputSerializer

    @extend_schema(
        tags=PUBLIC_TAGS,
        summary="公开的抽查任务（承诺后即公开，无需登录）",
        responses={200: PublicDrawTaskOutputSerializer(many=True)},
    )
    def get(self, request):
        page = self.paginate_queryset(draw_task_public_list())
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)


@rate_limited("public")  # [hardening] deploy: as the public pages
class PublicDrawBundleApi(APIView):
    authentication_classes = ()
    policy = PUBLIC

    @extend_schema(
        tags=PUBLIC_TAGS,
        summary="抽查任务的公开数据包（wurao-draw-v1，可自行复核抽取；无需登录）",
        responses={200: OpenApiTypes.OBJECT, 404: NOT_FOUND},
    )
    def get(self, request, code: str):
        task = draw_task_public_list().filter(code=code).first()
        if task is None:
            raise NotFound("未找到该公开的抽查任务")
        return Response(services.draw_task_bundle(task=task))
