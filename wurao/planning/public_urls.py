from django.urls import path

from wurao.planning import public_views

app_name = "planning_public"
urlpatterns = [
    path("", public_views.campaign_list, name="campaigns"),
    path("park-days/", public_views.park_day_list, name="park-days"),
    path("park-days/<str:code>/", public_views.park_day_detail, name="park-day"),
    path("park-days/<str:code>/inputs.json", public_views.park_day_inputs, name="park-day-inputs"),
]
