from django.urls import path

from wurao.bookings import apis

urlpatterns = [
    path("bookings/", apis.BookingListApi.as_view(), name="api-booking-list"),
    path("bookings/slots/", apis.SlotListApi.as_view(), name="api-booking-slot-list"),
    path("bookings/<int:pk>/cancel/", apis.BookingCancelApi.as_view(), name="api-booking-cancel"),
]
