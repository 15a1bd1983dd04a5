from django.urls import path

from wurao.sampling import views

app_name = "sampling"
urlpatterns = [
    path("", views.task_list, name="task-list"),
    path("new/", views.task_create, name="task-create"),
    path("new/items/", views.task_create_items, name="task-create-items"),
    path("new/preview/", views.task_create_preview, name="task-create-preview"),
    path("<int:pk>/", views.task_detail, name="task-detail"),
    path("<int:pk>/commit/", views.task_commit, name="task-commit"),
    path("<int:pk>/draw/", views.task_draw, name="task-draw"),
    path("<int:pk>/close/", views.task_close, name="task-close"),
    path(
        "<int:pk>/selections/<int:selection_pk>/result/",
        views.result_record,
        name="result-record",
    ),
]
