from django.urls import path

from wurao.credit import views_backtest, views_portal, views_reviews, views_tables

app_name = "credit"
urlpatterns = [
    path("", views_portal.portal, name="portal"),
    path(
        "records/<str:source>/<int:record_id>/<str:kind>/",
        views_portal.request_new,
        name="request-new",
    ),
    path("commitments/sign/", views_portal.commitment_sign, name="commitment-sign"),
    path("enterprises/<int:pk>/", views_portal.enterprise_detail, name="enterprise-detail"),
    path("reviews/", views_reviews.review_list, name="review-list"),
    path("reviews/<str:kind>/<int:pk>/", views_reviews.review_detail, name="review-detail"),
    path("reviews/<str:kind>/<int:pk>/decide/", views_reviews.review_decide, name="review-decide"),
    path(
        "reviews/<str:kind>/<int:pk>/evidence/",
        views_reviews.review_evidence,
        name="review-evidence",
    ),
    path("commitments/", views_reviews.commitment_list, name="commitment-list"),
    path("commitments/<int:pk>/decide/", views_reviews.commitment_decide, name="commitment-decide"),
    path("tables/", views_tables.table_list, name="table-list"),
    path("tables/new/", views_tables.table_new, name="table-new"),
    path("tables/backtest/", views_backtest.backtest_page, name="table-backtest"),
    path("tables/backtest/run/", views_backtest.backtest_run, name="table-backtest-run"),
    path("tables/backtest/calibrate/", views_backtest.calibrate_run, name="table-calibrate"),
    path("tables/backtest/result/", views_backtest.backtest_result, name="table-backtest-result"),
    path("tables/drafts/<int:pk>/", views_backtest.draft_detail, name="table-draft"),
    path("tables/<int:version>/", views_tables.table_detail, name="table-detail"),
    path("regrade/", views_tables.regrade, name="regrade"),
    path("changes/", views_tables.change_list, name="change-list"),
]
