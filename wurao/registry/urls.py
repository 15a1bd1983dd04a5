from django.urls import path

from wurao.registry import views

app_name = "registry"
urlpatterns = [
    path("enterprises/", views.enterprise_list, name="enterprise-list"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise-detail"),
    path("inspectors/", views.inspector_list, name="inspector-list"),
    path("departments/", views.department_list, name="department-list"),
    path("streets/", views.street_list, name="street-list"),
]
