from django.urls import path

from wurao.oversight import apis

urlpatterns = [
    path("oversight/summary/", apis.OversightSummaryApi.as_view(), name="api-oversight-summary"),
]
