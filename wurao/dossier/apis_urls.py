from django.urls import path

from wurao.dossier import apis

urlpatterns = [
    path(
        "enterprises/<int:pk>/timeline/",
        apis.EnterpriseTimelineApi.as_view(),
        name="api-enterprise-timeline",
    ),
]
