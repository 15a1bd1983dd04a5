from django.urls import path

from wurao.rulemaking import apis

urlpatterns = [
    path("conflicts/", apis.ConflictListApi.as_view(), name="api-conflict-list"),
    path("conflicts/<int:pk>/", apis.ConflictDetailApi.as_view(), name="api-conflict-detail"),
    path("consultations/", apis.ConsultationListApi.as_view(), name="api-consultation-list"),
    path(
        "consultations/<int:pk>/",
        apis.ConsultationDetailApi.as_view(),
        name="api-consultation-detail",
    ),
]
