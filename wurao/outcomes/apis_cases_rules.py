"""Cases API, the rules a decision applies: discretion standards, exemption lists (with a
department's effective entries) and observation periods. Published rules: every officer reads
them; only their keeper writes (the bureau the city's and district's lists and the observation
periods, a department its own standards and list). Serializers and helpers are apis_cases'."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from wurao.catalogue.models import InspectionItem
from wurao.common.api_fields import BAD_QUERY, NOT_FOUND, choice_filter, id_filter
from wurao.outcomes import selectors_cases as selectors
from wurao.outcomes import services_exemptions
from wurao.outcomes.apis_cases import (
    BAD_BODY,
    DATE_FORMATS,
    DATE_MESSAGES,
    FORBIDDEN,
    TAGS,
    EntrySerializer,
    ListSerializer,
    ObservationSerializer,
    StandardSerializer,
    _id,
    _service_errors,
)
from wurao.outcomes.choices import (
    ExemptionKind,
    Level,
    Sector,
)
from wurao.outcomes.models import DiscretionStandard, ExemptionList
from wurao.registry.models import Department, RiskTag
from wurao.standards.models import Article

# ---------------------------------------------------------------- discretion standards


class StandardListApi(GenericAPIView):
    policy = {"GET": "cases.standards_browse", "POST": "cases.standard_manage"}

    class FilterSerializer(serializers.Serializer):
        department = id_filter("部门")

    @extend_schema_serializer(component_name="DiscretionBandInput")
    class BandInput(serializers.Serializer):
        name = serializers.CharField(max_length=40)
        circumstances = serializers.CharField(max_length=4000)
        measure = serializers.CharField(max_length=4000)
        min_amount = serializers.DecimalField(
            max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
        )
        max_amount = serializers.DecimalField(
            max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
        )

    @extend_schema_serializer(component_name="DiscretionStandardInput")
    class InputSerializer(serializers.Serializer):
        code = serializers.CharField(max_length=40)
        violation = serializers.CharField(max_length=300)
        legal_basis = serializers.CharField(max_length=4000)
        item = _id("检查事项", required=False, allow_null=True)
        breached_article = _id("违反条款", required=False, allow_null=True)
        penalty_article = _id("处罚依据条款", required=False, allow_null=True)
        active = serializers.BooleanField(required=False, default=True)
        bands = serializers.ListField(min_length=1, max_length=10)

        def validate_bands(self, value):
            rows = []
            for row in value:
                band = StandardListApi.BandInput(data=row)
                if not band.is_valid():
                    raise serializers.ValidationError(band.errors)
                rows.append(band.validated_data)
            return rows

    @extend_schema(
        tags=TAGS,
        summary="裁量基准（各部门公布的，所有执法人员可查）",
        parameters=[FilterSerializer],
        responses={200: StandardSerializer(many=True), 400: BAD_QUERY, 403: FORBIDDEN},
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.standard_list(filters=query.validated_data))
        return self.get_paginated_response(StandardSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="新增本部门的裁量基准（部门管理员）",
        request=InputSerializer,
        responses={201: StandardSerializer, 400: BAD_BODY, 403: FORBIDDEN},
    )
    def post(self, request):
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        department = request.user.department
        errors = {}
        item = None
        if data.get("item"):
            item = InspectionItem.objects.filter(pk=data["item"], department=department).first()
            if item is None:
                errors["item"] = ["只能对应本部门的检查事项"]
        articles = {}
        for field in ("breached_article", "penalty_article"):
            articles[field] = None
            if data.get(field):
                articles[field] = Article.objects.filter(pk=data[field]).first()
                if articles[field] is None:
                    errors[field] = ["标准库中没有这一条款"]
        if errors:
            raise serializers.ValidationError(errors)
        try:
            standard = services_exemptions.standard_save(
                actor=request.user,
                department=department,
                code=data["code"],
                violation=data["violation"],
                legal_basis=data["legal_basis"],
                bands=data["bands"],
                item=item,
                active=data["active"],
                **articles,
            )
        except DjangoValidationError as error:
            raise _service_errors(error) from None
        return Response(StandardSerializer(selectors.standard_get(pk=standard.pk)).data, status=201)


class StandardDetailApi(APIView):
    policy = "cases.standards_browse"

    @extend_schema(
        tags=TAGS,
        summary="一个裁量基准及其档次",
        responses={200: StandardSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        try:
            return Response(StandardSerializer(selectors.standard_get(pk=pk)).data)
        except DiscretionStandard.DoesNotExist:
            raise NotFound("未找到该裁量基准") from None


# ---------------------------------------------------------------- exemption lists


class ExemptionListApi(GenericAPIView):
    policy = "cases.exemptions_browse"

    class FilterSerializer(serializers.Serializer):
        level = choice_filter(Level, "层级")
        department = id_filter("部门")

    @extend_schema(
        tags=TAGS,
        summary="免罚清单（市级、区级、部门）及其事项",
        parameters=[FilterSerializer],
        responses={200: ListSerializer(many=True), 400: BAD_QUERY, 403: FORBIDDEN},
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        qs = selectors.exemption_list_list(
            level=query.validated_data.get("level", ""),
            department_id=query.validated_data.get("department"),
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(ListSerializer(page, many=True).data)


class EffectiveEntriesApi(APIView):
    policy = "cases.exemptions_browse"

    class FilterSerializer(serializers.Serializer):
        department = id_filter("部门")

    @extend_schema_serializer(component_name="ExemptionEffectiveEntry")
    class OutputSerializer(EntrySerializer):
        inherited = serializers.BooleanField(help_text="继承自市级或区级清单（部门只读）")
        level = serializers.ChoiceField(choices=Level.choices, source="exemption_list.level")

    @extend_schema(
        tags=TAGS,
        summary="一个部门适用的免罚事项：市级、区级清单加本部门清单（部门默认本部门）",
        parameters=[FilterSerializer],
        responses={200: OutputSerializer(many=True), 400: BAD_QUERY, 403: FORBIDDEN},
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        department_id = query.validated_data.get("department") or request.user.department_id
        if not department_id:
            raise serializers.ValidationError({"department": ["请指定部门编号"]})
        if not Department.objects.filter(pk=department_id).exists():
            raise serializers.ValidationError({"department": ["没有这个部门"]})
        rows = []
        for entry, inherited in selectors.effective_entries(department_id=department_id):
            entry.inherited = inherited
            rows.append(entry)
        return Response(self.OutputSerializer(rows, many=True).data)


class ExemptionEntryCreateApi(APIView):
    policy = "cases.exemption_manage"

    @extend_schema_serializer(component_name="ExemptionEntryInput")
    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(
            choices=ExemptionKind.choices,
            error_messages={
                "invalid_choice": "“{input}”不是有效的类型，可选：first_offence、minor"
            },
        )
        sector = serializers.ChoiceField(
            choices=Sector.choices,
            error_messages={"invalid_choice": "“{input}”不是有效的领域"},
        )
        violation = serializers.CharField(max_length=300)
        item = _id("检查事项", required=False, allow_null=True)
        standard = _id("裁量基准", required=False, allow_null=True)
        legal_basis = serializers.CharField(required=False, allow_blank=True, max_length=4000)
        needs_first_offence = serializers.BooleanField(required=False, default=True)
        needs_minor_harm = serializers.BooleanField(required=False, default=True)
        needs_corrected = serializers.BooleanField(required=False, default=True)
        lookback_days = serializers.IntegerField(
            required=False, default=730, min_value=1, max_value=3650
        )

    @extend_schema(
        tags=TAGS,
        summary="在清单中新增事项（市级、区级清单司法局；部门清单本部门管理员；不得免罚的领域拒绝）",
        request=InputSerializer,
        responses={201: EntrySerializer, 400: BAD_BODY, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        try:
            exemption_list = selectors.exemption_list_get(pk=pk)
        except ExemptionList.DoesNotExist:
            raise NotFound("未找到该清单") from None
        self.check_object_permissions(request, exemption_list)
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        own = exemption_list.department_id
        errors = {}
        item = standard = None
        if data.get("item"):
            items = InspectionItem.objects.filter(pk=data["item"], active=True)
            item = (items.filter(department_id=own) if own else items).first()
            if item is None:
                errors["item"] = ["没有这一有效检查事项，或不属于本部门"]
        if data.get("standard"):
            standards = DiscretionStandard.objects.filter(pk=data["standard"])
            standard = (standards.filter(department_id=own) if own else standards).first()
            if standard is None:
                errors["standard"] = ["没有这一裁量基准，或不属于本部门"]
        if errors:
            raise serializers.ValidationError(errors)
        try:
            entry = services_exemptions.exemption_entry_save(
                actor=request.user,
                exemption_list=exemption_list,
                kind=data["kind"],
                sector=data["sector"],
                violation=data["violation"],
                item=item,
                standard=standard,
                legal_basis=data.get("legal_basis", ""),
                needs_first_offence=data["needs_first_offence"],
                needs_minor_harm=data["needs_minor_harm"],
                needs_corrected=data["needs_corrected"],
                lookback_days=data["lookback_days"],
            )
        except DjangoValidationError as error:
            raise _service_errors(error) from None
        return Response(EntrySerializer(entry).data, status=201)


# ---------------------------------------------------------------- observation periods


class ObservationListApi(GenericAPIView):
    policy = {"GET": "cases.observation_browse", "POST": "cases.observation_manage"}

    class FilterSerializer(serializers.Serializer):
        current_on = serializers.DateField(
            required=False,
            input_formats=DATE_FORMATS,
            error_messages=DATE_MESSAGES,
            help_text="只列出这一天处于观察期的",
        )

    @extend_schema_serializer(component_name="ObservationTypeInput")
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=100)
        industry_codes = serializers.ListField(
            child=serializers.CharField(max_length=4), required=False, max_length=50
        )
        tags = serializers.ListField(
            child=serializers.CharField(max_length=30),
            required=False,
            max_length=50,
            help_text="风险标签代码",
        )
        starts_on = serializers.DateField(input_formats=DATE_FORMATS, error_messages=DATE_MESSAGES)
        ends_on = serializers.DateField(input_formats=DATE_FORMATS, error_messages=DATE_MESSAGES)
        note = serializers.CharField(required=False, allow_blank=True, max_length=4000)

    @extend_schema(
        tags=TAGS,
        summary="新业态观察期",
        parameters=[FilterSerializer],
        responses={200: ObservationSerializer(many=True), 400: BAD_QUERY, 403: FORBIDDEN},
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        qs = selectors.observation_list(current_on=query.validated_data.get("current_on"))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(ObservationSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="新增新业态观察期（司法局）",
        request=InputSerializer,
        responses={201: ObservationSerializer, 400: BAD_BODY, 403: FORBIDDEN},
    )
    def post(self, request):
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        codes = set(data.get("tags", []))
        tags = list(RiskTag.objects.filter(code__in=codes))
        if len(tags) != len(codes):
            unknown = sorted(codes - {t.code for t in tags})
            raise serializers.ValidationError({"tags": [f"没有这些风险标签：{'、'.join(unknown)}"]})
        try:
            observation = services_exemptions.observation_type_save(
                actor=request.user,
                name=data["name"],
                industry_codes=data.get("industry_codes", []),
                tags=tags,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                note=data.get("note", ""),
            )
        except DjangoValidationError as error:
            raise _service_errors(error) from None
        return Response(ObservationSerializer(observation).data, status=201)
