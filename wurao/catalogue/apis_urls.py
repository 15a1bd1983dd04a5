from django.urls import path

from wurao.catalogue import apis

urlpatterns = [
    path("items/", apis.ItemListApi.as_view(), name="api-item-list"),
    path("items/<int:pk>/", apis.ItemDetailApi.as_view(), name="api-item-detail"),
]
