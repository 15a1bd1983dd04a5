from django.urls import path

from wurao.selfcheck import apis

urlpatterns = [
    path("selfcheck/inspections/", apis.InspectionListApi.as_view(), name="api-selfcheck-list"),
    path(
        "selfcheck/inspections/<int:pk>/",
        apis.InspectionDetailApi.as_view(),
        name="api-selfcheck-detail",
    ),
    path(
        "selfcheck/inspections/<int:pk>/entries/<int:entry>/",
        apis.EntryRecordApi.as_view(),
        name="api-selfcheck-entry-record",
    ),
    path("selfcheck/parks/", apis.ParkRateApi.as_view(), name="api-selfcheck-parks"),
]
