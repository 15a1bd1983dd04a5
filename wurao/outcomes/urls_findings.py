from django.urls import path

from wurao.outcomes import views_findings as views

app_name = "findings"
urlpatterns = [
    path("", views.rectification_list, name="rectification-list"),
    path("actions/<int:pk>/", views.action_page, name="action"),
    path("actions/<int:pk>/checks/", views.action_checks, name="action-checks"),
    path("actions/<int:pk>/notice/", views.action_notice, name="action-notice"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification"),
    path(
        "rectifications/<int:pk>/reject/",
        views.rectification_reject,
        name="rectification-reject",
    ),
    path("rectifications/<int:pk>/close/", views.rectification_close, name="rectification-close"),
    path(
        "rectifications/<int:pk>/recheck/",
        views.rectification_recheck,
        name="rectification-recheck",
    ),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("clashes/", views.clash_list, name="clash-list"),
    path("clashes/<int:pk>/decide/", views.clash_decide, name="clash-decide"),
    path("mine/", views.mine, name="mine"),
    path("mine/notices/<int:pk>/", views.mine_notice, name="mine-notice"),
    path("mine/<int:pk>/", views.mine_rectification, name="mine-rectification"),
    path("mine/<int:pk>/report/", views.mine_report, name="mine-report"),
]
