from django.urls import path

from wurao.credit import views

app_name = "credit"
urlpatterns = [
    path("", views.portal, name="portal"),
    path(
        "records/<str:source>/<int:record_id>/<str:kind>/",
        views.request_new,
        name="request-new",
    ),
    path("commitments/sign/", views.commitment_sign, name="commitment-sign"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise-detail"),
    path("reviews/", views.review_list, name="review-list"),
    path("reviews/<str:kind>/<int:pk>/", views.review_detail, name="review-detail"),
    path("reviews/<str:kind>/<int:pk>/decide/", views.review_decide, name="review-decide"),
    path("reviews/<str:kind>/<int:pk>/evidence/", views.review_evidence, name="review-evidence"),
    path("commitments/", views.commitment_list, name="commitment-list"),
    path("commitments/<int:pk>/decide/", views.commitment_decide, name="commitment-decide"),
    path("tables/", views.table_list, name="table-list"),
    path("tables/new/", views.table_new, name="table-new"),
    path("tables/<int:version>/", views.table_detail, name="table-detail"),
    path("regrade/", views.regrade, name="regrade"),
    path("changes/", views.change_list, name="change-list"),
]
