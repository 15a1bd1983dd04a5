from django.urls import path

from wurao.planning import views_forms

app_name = "planning_forms"
urlpatterns = [
    path("forms/<int:pk>/", views_forms.form_detail, name="form"),
    path("forms/<int:pk>/results/", views_forms.form_results, name="form-results"),
    path(
        "forms/<int:pk>/results/correct/",
        views_forms.form_results_correct,
        name="form-results-correct",
    ),
    path("forms/<int:pk>/pdf/", views_forms.form_pdf, name="form-pdf"),
    path("forms/<int:pk>/xlsx/", views_forms.form_xlsx, name="form-xlsx"),
    path("park-days/", views_forms.park_day_list, name="park-day-list"),
    path("park-days/setting/", views_forms.park_day_setting, name="park-day-setting"),
    path("park-days/new/", views_forms.park_day_new, name="park-day-new"),
    path("park-days/<int:pk>/", views_forms.park_day_detail, name="park-day-detail"),
]
