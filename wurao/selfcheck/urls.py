from django.urls import path

from wurao.selfcheck import views, views_parks

app_name = "selfcheck"
urlpatterns = [
    path("", views.inspection_list, name="inspection-list"),
    path("new/", views.inspection_new, name="inspection-new"),
    path("<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("<int:pk>/complete/", views.inspection_complete, name="inspection-complete"),
    path("<int:pk>/entries/<int:entry>/", views.entry_detail, name="entry-detail"),
    path("<int:pk>/entries/<int:entry>/record/", views.entry_record, name="entry-record"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("parks/", views_parks.park_rates, name="park-rates"),
    path("campaigns/new/", views_parks.campaign_new, name="campaign-new"),
    path("campaigns/<int:pk>/", views_parks.campaign_detail, name="campaign-detail"),
]
