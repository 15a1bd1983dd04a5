"""The enterprise's file over the API: its timeline, as far as the caller may see it."""

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView

from wurao.accounts.policy import SIGNED_IN
from wurao.accounts.scope import scope_for
from wurao.audit.services import audit_read
from wurao.common.api_fields import NOT_FOUND
from wurao.dossier.selectors import enterprise_timeline
from wurao.registry import selectors
from wurao.registry.apis import ENTERPRISE_NOT_FOUND, TAGS


class EnterpriseTimelineApi(GenericAPIView):
    policy = SIGNED_IN

    @extend_schema_serializer(component_name="TimelineEntry")
    class OutputSerializer(serializers.Serializer):
        date = serializers.DateField()
        organisation = serializers.CharField(help_text="执法部门或来访单位")
        is_enforcement = serializers.BooleanField(help_text="true 为执法行为，false 为非执法入企")
        label = serializers.CharField(help_text="类别（来源），或“非执法入企”")
        detail = serializers.CharField(help_text="检查事项、情况摘要或来访事由")
        record_id = serializers.IntegerField(
            source="pk", help_text="执法行为（/api/actions/<id>/）或非执法入企记录的编号"
        )

    @extend_schema(
        tags=TAGS,
        summary="一企一档：企业的全部入企记录（新的在前，按角色范围）",
        responses={200: OutputSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        scope = scope_for(request.user)
        try:
            enterprise = selectors.enterprise_get(scope=scope, pk=pk)
        except ObjectDoesNotExist:
            raise NotFound(ENTERPRISE_NOT_FOUND) from None
        audit_read(request, "read.enterprise_file", enterprise)
        timeline = enterprise_timeline(scope=scope, enterprise_id=enterprise.pk)
        page = self.paginate_queryset(timeline)
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)
