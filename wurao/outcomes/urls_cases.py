from django.urls import path

from wurao.outcomes import views_cases, views_cases_rules

app_name = "cases"
urlpatterns = [
    path("", views_cases.case_list, name="case-list"),
    path("new/", views_cases.case_new, name="case-new"),
    path("<int:pk>/", views_cases.case_detail, name="case-detail"),
    path("<int:pk>/notify/", views_cases.case_notify, name="case-notify"),
    path("<int:pk>/decide/", views_cases.case_decide, name="case-decide"),
    path("<int:pk>/close/", views_cases.case_close, name="case-close"),
    path("standards/", views_cases_rules.standard_list, name="standard-list"),
    path("standards/new/", views_cases_rules.standard_new, name="standard-new"),
    path("standards/<int:pk>/", views_cases_rules.standard_detail, name="standard-detail"),
    path("standards/<int:pk>/edit/", views_cases_rules.standard_edit, name="standard-edit"),
    path("exemptions/", views_cases_rules.exemption_index, name="exemption-index"),
    path("exemptions/new/", views_cases_rules.exemption_list_new, name="exemption-list-new"),
    path(
        "exemptions/<int:pk>/",
        views_cases_rules.exemption_list_detail,
        name="exemption-list-detail",
    ),
    path(
        "exemptions/<int:pk>/entries/new/",
        views_cases_rules.exemption_entry_new,
        name="exemption-entry-new",
    ),
    path(
        "exemptions/<int:pk>/entries/<int:entry>/",
        views_cases_rules.exemption_entry_edit,
        name="exemption-entry-edit",
    ),
    path("observation/", views_cases_rules.observation_list, name="observation-list"),
    path("observation/new/", views_cases_rules.observation_new, name="observation-new"),
    path("observation/<int:pk>/", views_cases_rules.observation_edit, name="observation-edit"),
]
