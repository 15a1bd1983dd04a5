from django.urls import path

from wurao.credit import apis

urlpatterns = [
    path(
        "credit/enterprises/<int:pk>/grade/",
        apis.EnterpriseGradeApi.as_view(),
        name="api-credit-enterprise-grade",
    ),
    path("credit/changes/", apis.GradeChangeListApi.as_view(), name="api-credit-change-list"),
]
