from django.urls import path

from wurao.visits import apis, apis_onsite, apis_public

urlpatterns = [
    path("visits/", apis.VisitListApi.as_view(), name="api-visit-list"),
    path("visits/<str:code>/", apis.VisitDetailApi.as_view(), name="api-visit-detail"),
    path(
        "visits/<str:code>/officers/",
        apis_onsite.VisitOfficersApi.as_view(),
        name="api-visit-officers",
    ),
    path(
        "visits/<str:code>/check-in/",
        apis_onsite.VisitCheckInApi.as_view(),
        name="api-visit-check-in",
    ),
    path(
        "visits/<str:code>/check-out/",
        apis_onsite.VisitCheckOutApi.as_view(),
        name="api-visit-check-out",
    ),
    path(
        "visits/<str:code>/results/",
        apis_onsite.VisitResultApi.as_view(),
        name="api-visit-results",
    ),
    path(
        "visits/<str:code>/cancel/", apis_onsite.VisitCancelApi.as_view(), name="api-visit-cancel"
    ),
    path(
        "public/visits/<str:code>/",
        apis_public.PublicVisitApi.as_view(),
        name="api-public-visit",
    ),
]
