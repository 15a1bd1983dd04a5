from django.urls import path

from wurao.sampling import public_views

app_name = "sampling_public"
urlpatterns = [
    path("", public_views.task_list, name="task-list"),
    path("verify/", public_views.verify, name="verify"),
    path("<str:code>/", public_views.task_detail, name="task-detail"),
    path("<str:code>/bundle.json", public_views.task_bundle, name="task-bundle"),
    path("<str:code>/verify/", public_views.task_verify, name="task-verify"),
]
