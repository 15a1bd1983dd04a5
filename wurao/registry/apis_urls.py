from django.urls import path

from wurao.registry import apis

urlpatterns = [
    path("enterprises/", apis.EnterpriseListApi.as_view(), name="api-enterprise-list"),
    path("enterprises/<int:pk>/", apis.EnterpriseDetailApi.as_view(), name="api-enterprise-detail"),
    path("departments/", apis.DepartmentListApi.as_view(), name="api-department-list"),
    path("streets/", apis.StreetListApi.as_view(), name="api-street-list"),
    path("parks/", apis.ParkListApi.as_view(), name="api-park-list"),
    path("inspectors/", apis.InspectorListApi.as_view(), name="api-inspector-list"),
    path("risk-tags/", apis.RiskTagListApi.as_view(), name="api-risk-tag-list"),
]
