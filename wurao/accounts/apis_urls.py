from django.urls import path

from wurao.accounts import apis

urlpatterns = [
    path("token/", apis.TokenObtainApi.as_view(), name="api-token-obtain"),
    path("me/", apis.MeApi.as_view(), name="api-me"),
]
