from django.urls import path

from wurao.enforcement import views

app_name = "enforcement"
urlpatterns = [
    path("actions/", views.action_list, name="action-list"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
]
