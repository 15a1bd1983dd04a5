from django.urls import path

from wurao.outcomes import apis_findings as apis

urlpatterns = [
    path("rectifications/", apis.RectificationListApi.as_view(), name="api-rectification-list"),
    path(
        "rectifications/<int:pk>/",
        apis.RectificationDetailApi.as_view(),
        name="api-rectification-detail",
    ),
    path(
        "rectifications/<int:pk>/report/",
        apis.RectificationReportApi.as_view(),
        name="api-rectification-report",
    ),
    path(
        "rectifications/<int:pk>/close/",
        apis.RectificationCloseApi.as_view(),
        name="api-rectification-close",
    ),
    path("actions/<int:pk>/checks/", apis.ActionChecksApi.as_view(), name="api-action-checks"),
]
