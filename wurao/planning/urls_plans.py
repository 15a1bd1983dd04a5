from django.urls import path, re_path

from wurao.planning import views_plans as views
from wurao.planning import views_plans_import

app_name = "planning_plans"
urlpatterns = [
    path("plans/", views.plans, name="plans"),
    path("plans/entries/new/", views.entry_add, name="entry-add"),
    path("plans/entries/<int:pk>/withdraw/", views.entry_withdraw, name="entry-withdraw"),
    path("plans/submit/", views.plan_submit, name="submit"),
    path("plans/import/", views_plans_import.plan_import, name="import"),
    path("plans/import/confirm/", views_plans_import.plan_import_confirm, name="import-confirm"),
    re_path(
        r"^plans/import/template\.(?P<fmt>csv|xlsx)$",
        views_plans_import.plan_import_template,
        name="import-template",
    ),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/new/", views.campaign_new, name="campaign-new"),
    path("campaigns/<int:pk>/publish/", views.campaign_publish, name="campaign-publish"),
    path("capacity/", views.capacity, name="capacity"),
]
