"""Cases API: cases (list, detail with the platform's proposal, open, decide); the rules they
apply (discretion standards, exemption lists, observation periods) are in apis_cases_rules.py.

Visibility as on the pages: a department its own cases, an enterprise its own decided ones,
the bureau all; the published rules every officer. Every id a body names is looked up in the
writer's own scope: a finding, officer, standard or band of another department is refused
with a 400 naming the field."""

from django.core.exceptions import ValidationError as DjangoValidationError
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

from wurao.accounts.scope import scope_for
from wurao.common.api_fields import BAD_QUERY, NOT_FOUND, choice_filter, id_filter
from wurao.common.forms import INTEGER_MAX
from wurao.outcomes import selectors_cases as selectors
from wurao.outcomes import services_cases
from wurao.outcomes.choices import (
    CaseKind,
    CaseStatus,
    Disposition,
    ExemptionKind,
    Level,
    Proposal,
    Sector,
    SoftMeasure,
)
from wurao.outcomes.models import Case, DiscretionStandard, ItemCheck
from wurao.outcomes.selectors_cases_proposal import case_proposal
from wurao.registry.models import Inspector

TAGS = ["cases 案件与裁量"]
BAD_BODY = OpenApiResponse(description="请求有误：{字段: [中文说明]}，未保存任何内容")
FORBIDDEN = OpenApiResponse(description="无权使用：未登录，或角色不允许")
DATE_FORMATS = ["%Y-%m-%d"]
DATE_MESSAGES = {"invalid": "请输入有效的日期，格式为 YYYY-MM-DD"}


def _service_errors(error: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(
        error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    )


def _id(label: str, **kwargs) -> serializers.IntegerField:
    message = f"请输入有效的{label}编号（正整数）"
    return serializers.IntegerField(
        min_value=1,
        max_value=INTEGER_MAX,
        help_text=f"{label}编号（id）",
        error_messages={k: message for k in ("invalid", "min_value", "max_value")},
        **kwargs,
    )


def _ids(label: str, **kwargs) -> serializers.ListField:
    return serializers.ListField(child=_id(label), max_length=50, **kwargs)


# ---------------------------------------------------------------- output


@extend_schema_serializer(component_name="DiscretionBand")
class BandSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    name = serializers.CharField()
    circumstances = serializers.CharField()
    measure = serializers.CharField()
    min_amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    max_amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)


@extend_schema_serializer(component_name="DiscretionStandard")
class StandardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    department = serializers.IntegerField(source="department_id")
    department_name = serializers.CharField(source="department.name")
    code = serializers.CharField()
    violation = serializers.CharField()
    item = serializers.IntegerField(source="item_id", allow_null=True)
    breached_article = serializers.IntegerField(source="breached_article_id", allow_null=True)
    penalty_article = serializers.IntegerField(source="penalty_article_id", allow_null=True)
    legal_basis = serializers.CharField()
    active = serializers.BooleanField()
    bands = BandSerializer(many=True, source="bands.all")


@extend_schema_serializer(component_name="ExemptionEntry")
class EntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    exemption_list = serializers.IntegerField(source="exemption_list_id")
    kind = serializers.ChoiceField(choices=ExemptionKind.choices)
    sector = serializers.ChoiceField(choices=Sector.choices)
    violation = serializers.CharField()
    item = serializers.IntegerField(source="item_id", allow_null=True)
    standard = serializers.IntegerField(source="standard_id", allow_null=True)
    legal_basis = serializers.CharField()
    needs_first_offence = serializers.BooleanField()
    needs_minor_harm = serializers.BooleanField()
    needs_corrected = serializers.BooleanField()
    lookback_days = serializers.IntegerField()
    active = serializers.BooleanField()


@extend_schema_serializer(component_name="ExemptionList")
class ListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    level = serializers.ChoiceField(choices=Level.choices)
    department = serializers.IntegerField(source="department_id", allow_null=True)
    title = serializers.CharField()
    published_on = serializers.DateField()
    entries = EntrySerializer(many=True, source="entries.all")


@extend_schema_serializer(component_name="ObservationType")
class ObservationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    industry_codes = serializers.ListField(child=serializers.CharField())
    tags = serializers.SerializerMethodField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    note = serializers.CharField()

    def get_tags(self, observation) -> list[str]:
        return [t.code for t in observation.tags.all()]


@extend_schema_serializer(component_name="Case")
class CaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="案件编号")
    kind = serializers.ChoiceField(choices=CaseKind.choices)
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    enterprise = serializers.IntegerField(source="enterprise_id")
    enterprise_name = serializers.CharField(source="enterprise.name")
    department = serializers.IntegerField(source="department_id")
    department_name = serializers.CharField(source="department.name")
    opened_on = serializers.DateField()
    standard = serializers.IntegerField(source="standard_id", allow_null=True)
    disposition = serializers.CharField(help_text="处理结果（未决定为空）")
    proposed = serializers.CharField(help_text="决定时平台的建议（未决定为空）")
    band = serializers.IntegerField(source="band_id", allow_null=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    measure = serializers.CharField()
    soft_measure = serializers.CharField()
    override_reason = serializers.CharField(help_text="不采纳平台建议的理由")
    decided_on = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    action = serializers.IntegerField(source="action_id", allow_null=True)


@extend_schema_serializer(component_name="CaseCondition")
class ConditionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    holds = serializers.BooleanField(allow_null=True, help_text="null：待承办人确认")
    why = serializers.CharField()


@extend_schema_serializer(component_name="CaseProposal")
class ProposalSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Proposal.choices)
    reason = serializers.CharField()
    entry = serializers.SerializerMethodField(help_text="适用或可能适用的免罚清单事项")
    entry_inherited = serializers.SerializerMethodField()
    conditions = serializers.SerializerMethodField()
    observation = serializers.SerializerMethodField()
    serious_risk = serializers.BooleanField()
    refused_correction = serializers.BooleanField()
    penalty_needs_reason = serializers.BooleanField()

    def get_entry(self, proposal) -> int | None:
        return proposal.candidate.entry.pk if proposal.candidate else None

    def get_entry_inherited(self, proposal) -> bool | None:
        return proposal.candidate.inherited if proposal.candidate else None

    @extend_schema_field(ConditionSerializer(many=True))
    def get_conditions(self, proposal) -> list[dict]:
        if not proposal.candidate:
            return []
        return ConditionSerializer(proposal.candidate.conditions, many=True).data

    def get_observation(self, proposal) -> int | None:
        return proposal.observation.pk if proposal.observation else None


@extend_schema_serializer(component_name="CaseDetail")
class CaseDetailSerializer(CaseSerializer):
    facts = serializers.CharField()
    evidence_summary = serializers.CharField()
    checks = serializers.SerializerMethodField(help_text="所涉检查发现（ItemCheck 编号）")
    officers = serializers.SerializerMethodField()
    band_reasons = serializers.CharField()
    legal_basis = serializers.CharField()
    reasoning = serializers.CharField()
    statement_offered_on = serializers.DateField(allow_null=True)
    hearing_offered = serializers.BooleanField()
    proposal = serializers.SerializerMethodField()

    def get_checks(self, case) -> list[int]:
        return [c.pk for c in case.checks.all()]

    def get_officers(self, case) -> list[int]:
        return [o.pk for o in case.officers.all()]

    @extend_schema_field(ProposalSerializer(allow_null=True))
    def get_proposal(self, case) -> dict | None:
        if self.context.get("enterprise"):
            return None
        decided = case.status in (CaseStatus.DECIDED, CaseStatus.CLOSED)
        proposal = (
            case_proposal(
                case,
                minor_harm=case.minor_harm,
                corrected_on_spot=case.corrected_on_spot,
                on=case.decided_on,
            )
            if decided
            else case_proposal(case)
        )
        return ProposalSerializer(proposal).data


# ---------------------------------------------------------------- cases


def _case(request, pk: int) -> Case:
    try:
        return selectors.case_get(scope=scope_for(request.user), pk=pk)
    except Case.DoesNotExist:
        raise NotFound("未找到该案件，或您无权查看") from None


class CaseListApi(GenericAPIView):
    policy = {"GET": "cases.browse", "POST": "cases.handle"}

    class FilterSerializer(serializers.Serializer):
        status = choice_filter(CaseStatus, "状态")
        disposition = choice_filter(Disposition, "处理结果")
        enterprise = id_filter("企业")
        q = serializers.CharField(required=False, max_length=100, help_text="企业名称或案号")

    @extend_schema_serializer(component_name="CaseOpen")
    class InputSerializer(serializers.Serializer):
        checks = _ids("检查发现", help_text="检查发现（ItemCheck）编号，本部门对同一企业的")
        kind = serializers.ChoiceField(
            choices=CaseKind.choices,
            error_messages={"invalid_choice": "“{input}”不是有效的类别，可选：penalty、coercive"},
        )
        facts = serializers.CharField(max_length=4000)
        evidence_summary = serializers.CharField(required=False, allow_blank=True, max_length=4000)
        officers = _ids("执法人员", required=False)
        standard = _id("裁量基准", required=False, allow_null=True)
        opened_on = serializers.DateField(
            required=False, input_formats=DATE_FORMATS, error_messages=DATE_MESSAGES
        )

    @extend_schema(
        tags=TAGS,
        summary="案件列表（部门本部门；企业本企业已决定的；司法局全部）",
        parameters=[FilterSerializer],
        responses={200: CaseSerializer(many=True), 400: BAD_QUERY, 403: FORBIDDEN},
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        qs = selectors.case_list(scope=scope_for(request.user), filters=query.validated_data)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(CaseSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="立案（本部门执法人员，从本部门的检查发现）",
        request=InputSerializer,
        responses={201: CaseDetailSerializer, 400: BAD_BODY, 403: FORBIDDEN},
    )
    def post(self, request):
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        scope = scope_for(request.user)
        checks = list(
            ItemCheck.objects.filter(
                pk__in=data["checks"],
                result="finding",
                action__department_id=scope.department_id,
            ).select_related("action__enterprise", "action__department", "item")
        )
        errors = {}
        if len(checks) != len(set(data["checks"])):
            errors["checks"] = ["只能选择本部门检查发现的问题"]
        officers = list(
            Inspector.objects.filter(
                pk__in=data.get("officers", []), department_id=scope.department_id
            )
        )
        if len(officers) != len(set(data.get("officers", []))):
            errors["officers"] = ["只能选择本部门的执法人员"]
        standard = None
        if data.get("standard"):
            standard = DiscretionStandard.objects.filter(
                pk=data["standard"], department_id=scope.department_id, active=True
            ).first()
            if standard is None:
                errors["standard"] = ["只能选择本部门有效的裁量基准"]
        if errors:
            raise serializers.ValidationError(errors)
        extra = {"opened_on": data["opened_on"]} if data.get("opened_on") else {}
        try:
            case = services_cases.case_open(
                actor=request.user,
                checks=checks,
                kind=data["kind"],
                facts=data["facts"],
                evidence_summary=data.get("evidence_summary", ""),
                officers=officers,
                standard=standard,
                **extra,
            )
        except DjangoValidationError as error:
            raise _service_errors(error) from None
        case = selectors.case_get(scope=scope, pk=case.pk)
        return Response(CaseDetailSerializer(case).data, status=201)


class CaseDetailApi(APIView):
    policy = "cases.browse"

    @extend_schema(
        tags=TAGS,
        summary="一个案件及平台建议（企业不含平台建议）",
        responses={200: CaseDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        case = _case(request, pk)
        context = {"enterprise": bool(scope_for(request.user).enterprise_id)}
        return Response(CaseDetailSerializer(case, context=context).data)


class CaseDecideApi(APIView):
    policy = "cases.handle"

    @extend_schema_serializer(component_name="CaseDecide")
    class InputSerializer(serializers.Serializer):
        disposition = serializers.ChoiceField(
            choices=Disposition.choices,
            error_messages={
                "invalid_choice": "“{input}”不是有效的处理结果，可选：penalty、measure、exempted、soft"
            },
        )
        reasoning = serializers.CharField(max_length=4000, help_text="说理")
        legal_basis = serializers.CharField(required=False, allow_blank=True, max_length=4000)
        band = _id("裁量档次", required=False, allow_null=True)
        band_reasons = serializers.CharField(required=False, allow_blank=True, max_length=4000)
        amount = serializers.DecimalField(
            max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
        )
        measure = serializers.CharField(required=False, allow_blank=True, max_length=4000)
        soft_measure = serializers.ChoiceField(
            choices=SoftMeasure.choices, required=False, allow_blank=True
        )
        minor_harm = serializers.BooleanField(required=False, default=False)
        corrected_on_spot = serializers.BooleanField(required=False, default=False)
        override_reason = serializers.CharField(required=False, allow_blank=True, max_length=4000)
        hearing_requested = serializers.BooleanField(required=False, default=False)
        decided_on = serializers.DateField(
            required=False, input_formats=DATE_FORMATS, error_messages=DATE_MESSAGES
        )
        served_on = serializers.DateField(
            required=False,
            allow_null=True,
            input_formats=DATE_FORMATS,
            error_messages=DATE_MESSAGES,
        )

    @extend_schema(
        tags=TAGS,
        summary="作出决定（处罚、强制措施、依免罚清单不予处罚或柔性措施）",
        request=InputSerializer,
        responses={200: CaseDetailSerializer, 400: BAD_BODY, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        case = _case(request, pk)
        self.check_object_permissions(request, case)
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        band = None
        if data.get("band"):
            band = case.standard.bands.filter(pk=data["band"]).first() if case.standard_id else None
            if band is None:
                raise serializers.ValidationError({"band": ["只能选择本案裁量基准的档次"]})
        extra = {"decided_on": data["decided_on"]} if data.get("decided_on") else {}
        try:
            services_cases.case_decide(
                actor=request.user,
                case=case,
                disposition=data["disposition"],
                reasoning=data["reasoning"],
                legal_basis=data.get("legal_basis", ""),
                band=band,
                band_reasons=data.get("band_reasons", ""),
                amount=data.get("amount"),
                measure=data.get("measure", ""),
                soft_measure=data.get("soft_measure", ""),
                minor_harm=data["minor_harm"],
                corrected_on_spot=data["corrected_on_spot"],
                override_reason=data.get("override_reason", ""),
                hearing_requested=data["hearing_requested"],
                served_on=data.get("served_on"),
                **extra,
            )
        except DjangoValidationError as error:
            raise _service_errors(error) from None
        return Response(CaseDetailSerializer(_case(request, pk)).data)
