from django.urls import path

from wurao.outcomes import apis_offsite

urlpatterns = [
    path(
        "offsite-inspections/",
        apis_offsite.OffsiteListApi.as_view(),
        name="api-offsite-inspection-list",
    ),
]
