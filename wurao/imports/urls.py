from django.urls import path, re_path

from wurao.imports import views
from wurao.imports.specs import SPECS

TARGETS = "|".join(SPECS)

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("confirm/", views.commit, name="commit"),
    path("result/", views.result, name="result"),
    path("jobs/<int:pk>/", views.job_status, name="job"),
    re_path(r"^report/(?P<sha256>[0-9a-f]{64})\.json$", views.report_download, name="report"),
    re_path(
        rf"^templates/(?P<target>{TARGETS})\.(?P<fmt>csv|xlsx)$",
        views.template_download,
        name="template",
    ),
]
