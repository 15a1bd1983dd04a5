from django.urls import path

from wurao.enforcement import apis

urlpatterns = [
    path("actions/", apis.ActionListApi.as_view(), name="api-action-list"),
    path("actions/<int:pk>/", apis.ActionDetailApi.as_view(), name="api-action-detail"),
]
