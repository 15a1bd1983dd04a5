from django.urls import path

from wurao.disclosure import views

app_name = "disclosure"
urlpatterns = [
    path("", views.index, name="index"),
    path("items/", views.item_departments, name="item-departments"),
    path("items/<str:code>/", views.items, name="items"),
    path("inspectors/", views.inspectors, name="inspectors"),
    path("inspectors/<str:code>/", views.department_inspectors, name="department-inspectors"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("joint/", views.joint, name="joint"),
    path("figures/", views.figures, name="figures"),
]
