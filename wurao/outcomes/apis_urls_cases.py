from django.urls import path

from wurao.outcomes import apis_cases as apis
from wurao.outcomes import apis_cases_rules as rules

urlpatterns = [
    path("cases/", apis.CaseListApi.as_view(), name="api-case-list"),
    path("cases/<int:pk>/", apis.CaseDetailApi.as_view(), name="api-case-detail"),
    path("cases/<int:pk>/decide/", apis.CaseDecideApi.as_view(), name="api-case-decide"),
    path(
        "discretion-standards/",
        rules.StandardListApi.as_view(),
        name="api-discretion-standard-list",
    ),
    path(
        "discretion-standards/<int:pk>/",
        rules.StandardDetailApi.as_view(),
        name="api-discretion-standard-detail",
    ),
    path("exemption-lists/", rules.ExemptionListApi.as_view(), name="api-exemption-list-list"),
    path(
        "exemption-lists/effective/",
        rules.EffectiveEntriesApi.as_view(),
        name="api-exemption-effective",
    ),
    path(
        "exemption-lists/<int:pk>/entries/",
        rules.ExemptionEntryCreateApi.as_view(),
        name="api-exemption-entry-create",
    ),
    path(
        "observation-types/", rules.ObservationListApi.as_view(), name="api-observation-type-list"
    ),
]
