from django.urls import path

from wurao.visits import apis

urlpatterns = [
    path("visits/", apis.VisitListApi.as_view(), name="api-visit-list"),
    path("visits/<str:code>/", apis.VisitDetailApi.as_view(), name="api-visit-detail"),
    path("visits/<str:code>/check-in/", apis.VisitCheckInApi.as_view(), name="api-visit-check-in"),
    path(
        "visits/<str:code>/check-out/", apis.VisitCheckOutApi.as_view(), name="api-visit-check-out"
    ),
    path("visits/<str:code>/results/", apis.VisitResultApi.as_view(), name="api-visit-results"),
    path("visits/<str:code>/cancel/", apis.VisitCancelApi.as_view(), name="api-visit-cancel"),
    path("public/visits/<str:code>/", apis.PublicVisitApi.as_view(), name="api-public-visit"),
]
