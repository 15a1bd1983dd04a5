from django.urls import path

from wurao.complaints import apis

urlpatterns = [
    path("complaints/track/", apis.ComplaintTrackApi.as_view(), name="api-complaint-track"),
    path("complaints/", apis.OfficeComplaintListApi.as_view(), name="api-complaint-list"),
    path(
        "complaints/statements/",
        apis.StatementListApi.as_view(),
        name="api-complaint-statements",
    ),
]
