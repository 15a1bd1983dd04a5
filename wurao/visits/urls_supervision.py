from django.urls import path

from wurao.visits import views_supervision

# Mounted at /visits/ beside the officers' pages, which own "" and "<code>/".
app_name = "visits_supervision"
urlpatterns = [
    path("mine/", views_supervision.portal, name="portal"),
    path("rules/", views_supervision.rules, name="rules"),
    path("alerts/", views_supervision.alerts, name="alerts"),
    path("ratings/", views_supervision.ratings, name="ratings"),
    path("refusals/", views_supervision.refusals, name="refusals"),
]
