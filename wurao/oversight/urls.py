from django.urls import path

from wurao.oversight import views, views_panels, views_simulator

app_name = "oversight"
urlpatterns = [
    # The dashboard's tabs (templates/oversight/base.html); H5's and H3's tabs are added below.
    path("", views.dashboard, name="dashboard"),
    path("burden/", views.burden, name="burden"),
    path("records/", views.records, name="records"),
    path("rules/", views_panels.rules, name="rules"),
    path("grades/", views_panels.grades, name="grades"),
    path("departments/", views_panels.departments, name="departments"),
    path("simulator/", views_simulator.simulator, name="simulator"),
    path("simulator/run/", views_simulator.simulator_run, name="simulator-run"),
    path("simulator/result/", views_simulator.simulator_result, name="simulator-result"),
]
