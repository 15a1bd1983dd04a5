"""Documents and duty records, mounted at /outcomes/docs/ (app outcome_docs).

Documents take the format in the URL: …/decision.docx or …/decision.pdf."""

from django.urls import path, re_path

from wurao.outcomes import views_documents as views

app_name = "outcome_docs"

FMT = r"(?P<fmt>docx|pdf)"

urlpatterns = [
    re_path(rf"^cases/(?P<pk>[0-9]+)/decision\.{FMT}$", views.case_decision, name="case-decision"),
    re_path(
        rf"^notices/(?P<pk>[0-9]+)/notice\.{FMT}$", views.notice_document, name="notice-document"
    ),
    re_path(rf"^actions/(?P<pk>[0-9]+)/record\.{FMT}$", views.action_record, name="action-record"),
    path("duty/cases/<int:pk>/", views.duty_case, name="duty-case"),
    path("duty/cases/<int:pk>/pdf/", views.duty_case_pdf, name="duty-case-pdf"),
    path("duty/visits/<int:pk>/", views.duty_visit, name="duty-visit"),
    path("duty/visits/<int:pk>/pdf/", views.duty_visit_pdf, name="duty-visit-pdf"),
    path("duty/actions/<int:pk>/", views.duty_action, name="duty-action"),
    path("duty/actions/<int:pk>/pdf/", views.duty_action_pdf, name="duty-action-pdf"),
]
