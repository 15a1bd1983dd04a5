from django.urls import path

from wurao.audit import public_views

app_name = "audit_public"
urlpatterns = [
    path("", public_views.anchor_list, name="anchor-list"),
    path("anchors.json", public_views.anchor_export, name="anchor-export"),
]
