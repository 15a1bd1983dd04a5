from django.urls import path, re_path

from wurao.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("confirm/", views.commit, name="commit"),
    path("result/", views.result, name="result"),
    re_path(r"^report/(?P<sha256>[0-9a-f]{64})\.json$", views.report_download, name="report"),
    re_path(
        r"^templates/(?P<target>enterprises|inspectors|items)\.(?P<fmt>csv|xlsx)$",
        views.template_download,
        name="template",
    ),
]
