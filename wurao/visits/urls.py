from django.urls import path, re_path

from wurao.visits import views, views_visit
from wurao.visits.models import CODE_ALPHABET, CODE_LENGTH

app_name = "visits"

# A code in the stored form only (upper case, no look-alikes), so that the supervision pages
# mounted beside these (/visits/alerts/, /visits/mine/...) are never read as a code.
CODE = rf"(?P<code>[{CODE_ALPHABET}]{{{CODE_LENGTH}}})"

urlpatterns = [
    path("", views.visit_list, name="list"),
    path("new/", views.visit_new, name="new"),
    path("new/enterprises/", views.enterprise_lookup, name="enterprise-lookup"),
    path("new/late-reason/", views.late_reason, name="late-reason"),
    path("overrides/", views_visit.override_queue, name="override-queue"),
    re_path(rf"^{CODE}/$", views_visit.visit_detail, name="detail"),
    re_path(rf"^{CODE}/join/$", views.visit_join, name="join"),
    re_path(rf"^{CODE}/officers/$", views_visit.visit_staff, name="staff"),
    re_path(rf"^{CODE}/check-in/$", views_visit.visit_check_in, name="check-in"),
    re_path(rf"^{CODE}/check-out/$", views_visit.visit_check_out, name="check-out"),
    re_path(rf"^{CODE}/results/$", views_visit.visit_result, name="result"),
    re_path(
        rf"^{CODE}/results/(?P<pk>[0-9]+)/correct/$",
        views_visit.visit_result_correct,
        name="result-correct",
    ),
    re_path(rf"^{CODE}/cancel/$", views_visit.visit_cancel, name="cancel"),
    re_path(rf"^{CODE}/override/$", views_visit.override_decide, name="override-decide"),
]
