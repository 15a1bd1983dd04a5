from django.urls import path

from wurao.outcomes import apis_cases as apis

urlpatterns = [
    path("cases/", apis.CaseListApi.as_view(), name="api-case-list"),
    path("cases/<int:pk>/", apis.CaseDetailApi.as_view(), name="api-case-detail"),
    path("cases/<int:pk>/decide/", apis.CaseDecideApi.as_view(), name="api-case-decide"),
    path(
        "discretion-standards/", apis.StandardListApi.as_view(), name="api-discretion-standard-list"
    ),
    path(
        "discretion-standards/<int:pk>/",
        apis.StandardDetailApi.as_view(),
        name="api-discretion-standard-detail",
    ),
    path("exemption-lists/", apis.ExemptionListApi.as_view(), name="api-exemption-list-list"),
    path(
        "exemption-lists/effective/",
        apis.EffectiveEntriesApi.as_view(),
        name="api-exemption-effective",
    ),
    path(
        "exemption-lists/<int:pk>/entries/",
        apis.ExemptionEntryCreateApi.as_view(),
        name="api-exemption-entry-create",
    ),
    path("observation-types/", apis.ObservationListApi.as_view(), name="api-observation-type-list"),
]
