from django.urls import path

from wurao.dossier import views

app_name = "dossier"
urlpatterns = [
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise-detail"),
]
