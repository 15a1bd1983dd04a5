from django.urls import path  # noqa: F401  (filled in by the pages)

urlpatterns: list = []
