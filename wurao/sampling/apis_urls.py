from django.urls import path

from wurao.sampling import apis

urlpatterns = [
    path("draws/", apis.DrawTaskListApi.as_view(), name="api-draw-list"),
    path("draws/<int:pk>/", apis.DrawTaskDetailApi.as_view(), name="api-draw-detail"),
    path("public/draws/", apis.PublicDrawTaskListApi.as_view(), name="api-public-draw-list"),
    path(
        "public/draws/<str:code>/bundle/",
        apis.PublicDrawBundleApi.as_view(),
        name="api-public-draw-bundle",
    ),
]
