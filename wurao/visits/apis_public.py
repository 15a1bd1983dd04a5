"""Visits API (入企登记), public: check a visit code without signing in, as the verification
page (/v/<code>/) does."""

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from wurao.accounts.policy import PUBLIC
from wurao.common.ratelimit import rate_limited
from wurao.visits import selectors
from wurao.visits.apis_serializers import (
    TAGS,
    ItemOutputSerializer,
    OfficerOutputSerializer,
    item_facts,
    officer_facts,
)
from wurao.visits.choices import CodeState, VisitKind, VisitOrigin, VisitPurpose
from wurao.visits.models import visit_code_normalise

PUBLIC_TAGS = [*TAGS, "public 一公开"]


@rate_limited("code_check")  # one count with the page /v/<code>/
class PublicVisitApi(APIView):
    """What the public verification page (/v/<code>/) shows, for scanning apps: an unknown
    code is a plain 200 answer with state "unknown", never an error page."""

    authentication_classes = ()
    policy = PUBLIC

    @extend_schema_serializer(component_name="PublicVisit")
    class OutputSerializer(serializers.Serializer):
        state = serializers.ChoiceField(choices=CodeState.choices, help_text="入企码状态")
        state_display = serializers.CharField(help_text="状态说明")
        may_enter = serializers.BooleanField(
            help_text="true：有效或检查进行中；其余状态下企业可以拒绝本次入企"
        )
        code = serializers.CharField(help_text="规范化后的入企码")
        code_display = serializers.CharField(allow_null=True)
        kind = serializers.ChoiceField(choices=VisitKind.choices, allow_null=True)
        kind_display = serializers.CharField(allow_null=True)
        origin = serializers.ChoiceField(
            choices=VisitOrigin.choices, allow_blank=True, allow_null=True
        )
        origin_display = serializers.CharField(allow_null=True)
        purpose = serializers.ChoiceField(
            choices=VisitPurpose.choices, allow_blank=True, allow_null=True
        )
        purpose_display = serializers.CharField(allow_null=True)
        date = serializers.DateField(allow_null=True, help_text="入企日期")
        enterprise_name = serializers.CharField(allow_null=True, help_text="被检查企业")
        department_name = serializers.CharField(allow_null=True, help_text="牵头单位")
        departments = serializers.ListField(child=serializers.CharField(), help_text="入企单位")
        officers = OfficerOutputSerializer(many=True)
        items = ItemOutputSerializer(many=True)
        approver = serializers.CharField(allow_null=True, help_text="审批人")
        approval_ref = serializers.CharField(allow_null=True, help_text="审批文号")
        approved_on = serializers.DateField(allow_null=True, help_text="审批日期")
        after_the_fact = serializers.BooleanField(allow_null=True, help_text="事后补登")
        checked_in_at = serializers.DateTimeField(allow_null=True)
        checked_out_at = serializers.DateTimeField(allow_null=True)

    @extend_schema(
        tags=PUBLIC_TAGS,
        summary="核验入企码（无需登录；查无此码也返回 200，state 为 unknown）",
        auth=[{}],  # no sign-in (the policy is PUBLIC)
        responses={200: OutputSerializer},
    )
    def get(self, request, code: str):
        check = selectors.visit_code_check(raw=code)
        facts = {
            "state": check.state,
            "state_display": check.state.label,
            "may_enter": check.may_enter,
            "code": visit_code_normalise(code),
            "departments": [],
            "officers": [],
            "items": [],
        }
        if visit := check.visit:
            departments = sorted(visit.departments.all(), key=lambda d: d.pk != visit.department_id)
            names = {d.pk: d.name for d in departments}
            facts |= {
                "code": visit.code,
                "code_display": visit.code_display,
                "kind": visit.kind,
                "kind_display": visit.get_kind_display(),
                "origin": visit.origin,
                "origin_display": visit.get_origin_display(),
                "purpose": visit.purpose,
                "purpose_display": visit.get_purpose_display(),
                "date": visit.date,
                "enterprise_name": visit.enterprise.name,
                "department_name": visit.department.name,
                "departments": [d.name for d in departments],
                "officers": officer_facts(visit.officers.all(), day=visit.date, names=names),
                "items": item_facts(visit.items.all(), names=names),
                "approver": visit.approver,
                "approval_ref": visit.approval_ref,
                "approved_on": visit.approved_on,
                "after_the_fact": visit.after_the_fact,
                "checked_in_at": visit.checked_in_at,
                "checked_out_at": visit.checked_out_at,
            }
        return Response(self.OutputSerializer(_nulls(facts, self.OutputSerializer)).data)


def _nulls(facts: dict, serializer_class) -> dict:
    """Every field of the answer present: null where an unknown code has nothing to say."""
    return {name: facts.get(name) for name in serializer_class().fields} | facts
