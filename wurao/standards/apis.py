"""Standards API (执法标准与政策): the same search and documents as the public pages.

`GET /api/standards/?q=` ranks the articles of each document's current version that hold every
term of the query (docs/standards.md); public, as the library is.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from wurao.accounts.policy import PUBLIC
from wurao.common.api_fields import BAD_QUERY, choice_filter, id_filter
from wurao.standards import selectors
from wurao.standards.choices import DocumentKind
from wurao.standards.models import Article, Document

TAGS = ["standards 执法标准与政策"]
NOT_FOUND = OpenApiResponse(description="没有该文件或条文")


class SearchPagination(PageNumberPagination):
    """The project's page-number pagination, plus whether more articles matched than were
    ranked (`truncated`: a query of one common character)."""

    truncated = False

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["truncated"] = self.truncated
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["truncated"] = {
            "type": "boolean",
            "description": f"超过 {selectors.CANDIDATE_LIMIT} 条条文含有检索词，只排序了其中这些",
        }
        return schema


class FilterSerializer(serializers.Serializer):
    department = id_filter("执法部门")
    kind = choice_filter(DocumentKind, "类别")
    topic = serializers.CharField(required=False, max_length=50, help_text="主题")
    industry = serializers.CharField(required=False, max_length=20, help_text="适用行业")
    in_force = serializers.BooleanField(required=False, default=False, help_text="仅现行有效")


@extend_schema_serializer(component_name="StandardArticleHit")
class HitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="article.id")
    document = serializers.IntegerField(source="article.version.document_id")
    document_title = serializers.CharField(source="article.version.document.title")
    designation = serializers.CharField(source="article.version.document.designation")
    version = serializers.IntegerField(source="article.version_id")
    number = serializers.CharField(source="article.number")
    anchor = serializers.CharField(source="article.anchor")
    heading = serializers.CharField(source="article.heading")
    status = serializers.CharField(
        help_text="现行有效 in_force、尚未施行 not_yet、已被修订 superseded、已废止 repealed"
    )
    occurrences = serializers.IntegerField(help_text="检索词在条文中出现的次数")
    snippet = serializers.CharField(help_text="条文摘录，HTML 已转义，检索词以 <mark> 标出")
    url = serializers.SerializerMethodField()

    def get_url(self, hit) -> str:
        a = hit.article
        return f"/standards/{a.version.document_id}/versions/{a.version_id}/#{a.anchor}"


class SearchApi(GenericAPIView):
    policy = PUBLIC
    pagination_class = SearchPagination

    class QuerySerializer(FilterSerializer):
        # Optional, so that a bad filter is named on its own; no term finds nothing.
        q = serializers.CharField(
            max_length=100,
            required=False,
            allow_blank=True,
            default="",
            help_text="检索词：汉字（一个字起）、字母或数字；空格分隔的多个词须同时出现；"
            "不填则没有结果（浏览文件用 /api/standards/documents/）",
        )

    @extend_schema(
        tags=TAGS,
        summary="检索条文（各文件现行版本）",
        parameters=[QuerySerializer],
        responses={200: HitSerializer(many=True), 400: BAD_QUERY},
    )
    def get(self, request):
        query = self.QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = dict(query.validated_data)
        terms = filters.pop("q").strip()
        if not terms:
            self.paginator.truncated = False
            self.paginate_queryset([])
            return self.get_paginated_response([])
        result = selectors.article_search(query=terms, filters=filters)
        self.paginator.truncated = result.more
        page = self.paginate_queryset(result.hits)
        hits = selectors.hits_load(hits=page, terms=result.terms)
        return self.get_paginated_response(HitSerializer(hits, many=True).data)


@extend_schema_serializer(component_name="StandardArticle")
class ArticleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Article
        fields = ["id", "version", "position", "number", "anchor", "heading", "text"]


@extend_schema_serializer(component_name="StandardDocument")
class DocumentSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", default=None, allow_null=True)
    status = serializers.CharField(help_text="当前版本的状态；没有版本时为空")
    current_version = serializers.IntegerField(source="current.pk", default=None, allow_null=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "designation",
            "kind",
            "issuer",
            "department",
            "department_name",
            "topics",
            "industries",
            "status",
            "current_version",
        ]


class DocumentListApi(GenericAPIView):
    policy = PUBLIC

    @extend_schema(
        tags=TAGS,
        summary="文件列表",
        parameters=[FilterSerializer],
        responses={200: DocumentSerializer(many=True), 400: BAD_QUERY},
    )
    def get(self, request):
        query = FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.document_list(filters=query.validated_data))
        return self.get_paginated_response(DocumentSerializer(page, many=True).data)


class DocumentDetailApi(APIView):
    policy = PUBLIC

    @extend_schema_serializer(component_name="StandardDocumentDetail")
    class OutputSerializer(DocumentSerializer):
        articles = serializers.SerializerMethodField()

        class Meta(DocumentSerializer.Meta):
            fields = [*DocumentSerializer.Meta.fields, "articles"]

        def get_articles(self, document) -> list[dict]:
            if document.current is None:
                return []
            articles = document.current.articles.order_by("position")
            return ArticleSerializer(articles, many=True).data

    @extend_schema(
        tags=TAGS,
        summary="文件及其现行版本的条文",
        responses={200: OutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        try:
            document = selectors.document_get(pk=pk)
        except Document.DoesNotExist:
            raise NotFound("未找到该文件") from None
        return Response(self.OutputSerializer(document).data)


class ArticleDetailApi(APIView):
    policy = PUBLIC

    @extend_schema(tags=TAGS, summary="条文", responses={200: ArticleSerializer, 404: NOT_FOUND})
    def get(self, request, pk: int):
        try:
            article = selectors.article_get(pk=pk)
        except Article.DoesNotExist:
            raise NotFound("未找到该条文") from None
        return Response(ArticleSerializer(article).data)
