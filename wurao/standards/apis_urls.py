from django.urls import path

from wurao.standards import apis

urlpatterns = [
    path("standards/", apis.SearchApi.as_view(), name="api-standards-search"),
    path("standards/documents/", apis.DocumentListApi.as_view(), name="api-standards-documents"),
    path(
        "standards/documents/<int:pk>/",
        apis.DocumentDetailApi.as_view(),
        name="api-standards-document",
    ),
    path(
        "standards/articles/<int:pk>/",
        apis.ArticleDetailApi.as_view(),
        name="api-standards-article",
    ),
]
