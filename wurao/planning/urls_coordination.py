from django.urls import path

from wurao.planning import views_coordination as views
from wurao.planning import views_portal

app_name = "planning_coordination"

urlpatterns = [
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/run/", views.schedule_run, name="schedule-run"),
    path("schedule/jobs/<str:task_id>/", views.schedule_job, name="schedule-job"),
    path("schedule/duplicates/", views.duplicates_check, name="duplicates-check"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/move/", views.visit_move, name="visit-move"),
    path("visits/<int:pk>/split/", views.visit_split, name="visit-split"),
    path("visits/<int:pk>/merge/", views.visit_merge, name="visit-merge"),
    path("visits/<int:pk>/confirm/", views.visit_confirm, name="visit-confirm"),
    path("assignments/", views.assignments, name="assignments"),
    path("mine/", views_portal.portal_mine, name="portal"),
    path("mine/<int:pk>/change/", views_portal.portal_change, name="portal-change"),
    path("slots/", views_portal.slots, name="slots"),
    path("slots/<int:pk>/delete/", views_portal.slot_delete, name="slot-delete"),
]
