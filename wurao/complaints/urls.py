from django.urls import path

from wurao.complaints import views_department, views_mine, views_office, views_public, views_whistle

app_name = "complaints"
urlpatterns = [
    # public: file and follow (no login)
    path("complaints/new/", views_public.complaint_new, name="new"),
    path("complaints/track/", views_public.complaint_track, name="track"),
    path("complaints/track/case/", views_public.complaint_track_case, name="track-case"),
    path("complaints/track/rate/", views_public.complaint_track_rate, name="track-rate"),
    path("complaints/track/forget/", views_public.track_forget, name="track-forget"),
    # an enterprise's own named complaints
    path("complaints/mine/", views_mine.mine_list, name="mine"),
    path("complaints/mine/<int:pk>/", views_mine.mine_detail, name="mine-detail"),
    # the supervision office
    path("complaints/office/", views_office.office_list, name="office"),
    path("complaints/office/<int:pk>/", views_office.office_detail, name="office-detail"),
    path("complaints/office/<int:pk>/accept/", views_office.office_accept, name="office-accept"),
    path(
        "complaints/office/<int:pk>/statement/",
        views_office.office_statement,
        name="office-statement",
    ),
    path("complaints/office/<int:pk>/answer/", views_office.office_answer, name="office-answer"),
    path("complaints/office/<int:pk>/reveal/", views_office.office_reveal, name="office-reveal"),
    # a department's statement requests
    path("complaints/statements/", views_department.statement_list, name="statements"),
    path(
        "complaints/statements/<int:pk>/",
        views_department.statement_detail,
        name="statement-detail",
    ),
    # whistleblowing
    path("whistle/new/", views_public.whistle_new, name="whistle-new"),
    path("whistle/track/", views_public.whistle_track, name="whistle-track"),
    path("whistle/office/", views_whistle.whistle_office_list, name="whistle-office"),
    path(
        "whistle/office/<int:pk>/",
        views_whistle.whistle_office_detail,
        name="whistle-office-detail",
    ),
    path(
        "whistle/office/<int:pk>/assign/",
        views_whistle.whistle_office_assign,
        name="whistle-office-assign",
    ),
    path(
        "whistle/office/<int:pk>/conclude/",
        views_whistle.whistle_office_conclude,
        name="whistle-office-conclude",
    ),
    path(
        "whistle/office/<int:pk>/evidence/",
        views_whistle.whistle_evidence,
        name="whistle-evidence",
    ),
    path(
        "whistle/office/<int:pk>/reveal/",
        views_whistle.whistle_reveal_request,
        name="whistle-reveal-request",
    ),
    path(
        "whistle/reveals/<int:pk>/approve/",
        views_whistle.whistle_reveal_approve,
        name="whistle-reveal-approve",
    ),
    path(
        "whistle/reveals/<int:pk>/read/",
        views_whistle.whistle_reveal_read,
        name="whistle-reveal-read",
    ),
    path("whistle/assigned/", views_department.whistle_assigned_list, name="whistle-assigned"),
    path(
        "whistle/assigned/<int:pk>/",
        views_department.whistle_assigned_detail,
        name="whistle-assigned-detail",
    ),
]
