from django.urls import path

from wurao.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.item_list, name="item-list"),
    path("<int:pk>/", views.item_detail, name="item-detail"),
    path("departments/", views.department_list, name="department-list"),
]
