from django.urls import path

from wurao.registry import views

app_name = "registry"
urlpatterns = [
    path("enterprises/", views.enterprise_list, name="enterprise-list"),
    path("inspectors/", views.inspector_list, name="inspector-list"),
    path("streets/", views.street_list, name="street-list"),
]
