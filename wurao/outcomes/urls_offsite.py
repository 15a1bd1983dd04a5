from django.urls import path

from wurao.outcomes import views_offsite as views

app_name = "offsite"
urlpatterns = [
    path("", views.offsite_list, name="list"),
    path("new/", views.offsite_new, name="new"),
    path("<int:pk>/", views.offsite_detail, name="detail"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.offsite_evidence, name="evidence"),
]
