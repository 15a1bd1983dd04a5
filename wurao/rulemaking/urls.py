from django.urls import path

from wurao.rulemaking import views_conflicts, views_consultations, views_contacts

app_name = "rulemaking"
urlpatterns = [
    path("conflicts/", views_conflicts.conflict_list, name="conflict-list"),
    path("conflicts/reports/", views_conflicts.report_list, name="report-list"),
    path("conflicts/new/", views_conflicts.conflict_new, name="conflict-new"),
    path("conflicts/<int:pk>/", views_conflicts.conflict_detail, name="conflict-detail"),
    path(
        "conflicts/<int:pk>/triage/",
        views_conflicts.conflict_triage_view,
        name="conflict-triage",
    ),
    path(
        "conflicts/<int:pk>/progress/",
        views_conflicts.conflict_progress_view,
        name="conflict-progress",
    ),
    path(
        "conflicts/<int:pk>/statement/",
        views_conflicts.conflict_statement_view,
        name="conflict-statement",
    ),
    path("consultations/", views_consultations.consultation_list, name="consultation-list"),
    path("consultations/new/", views_consultations.consultation_new, name="consultation-new"),
    path(
        "consultations/<int:pk>/",
        views_consultations.consultation_detail,
        name="consultation-detail",
    ),
    path(
        "consultations/<int:pk>/edit/",
        views_consultations.consultation_edit,
        name="consultation-edit",
    ),
    path(
        "consultations/<int:pk>/status/",
        views_consultations.consultation_transition_view,
        name="consultation-transition",
    ),
    path(
        "consultations/<int:pk>/comments/",
        views_consultations.comment_new,
        name="comment-new",
    ),
    path(
        "consultations/<int:pk>/comments/<int:comment_pk>/answer/",
        views_consultations.comment_answer_view,
        name="comment-answer",
    ),
    path(
        "consultations/<int:pk>/meetings/",
        views_consultations.meeting_new,
        name="meeting-new",
    ),
    path("contact-points/", views_contacts.contact_point_list, name="contact-point-list"),
    path("contact-points/new/", views_contacts.contact_point_new, name="contact-point-new"),
    path(
        "contact-points/<int:pk>/",
        views_contacts.contact_point_detail,
        name="contact-point-detail",
    ),
    path(
        "contact-points/<int:pk>/feedback/",
        views_contacts.feedback_new,
        name="feedback-new",
    ),
    path(
        "contact-points/<int:pk>/feedback/<int:feedback_pk>/follow-up/",
        views_contacts.feedback_follow_up_view,
        name="feedback-follow-up",
    ),
]
