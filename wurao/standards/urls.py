from django.urls import path

from wurao.standards import views

app_name = "standards"
urlpatterns = [
    path("", views.library, name="library"),
    path("import/", views.import_files, name="import"),
    path("<int:pk>/", views.document_detail, name="document-detail"),
    path("<int:pk>/versions/<int:version_pk>/", views.version_detail, name="version-detail"),
    path("articles/<int:pk>/", views.article_detail, name="article-detail"),
]
