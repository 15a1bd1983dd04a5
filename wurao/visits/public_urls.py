from django.urls import path

from wurao.visits import views_public

app_name = "visits_public"
urlpatterns = [
    path("", views_public.code_form, name="code-form"),
    path("<str:code>/", views_public.code_check, name="code-check"),
    path("<str:code>/qr.svg", views_public.code_qr, name="code-qr"),
]
