from django.urls import path

from wurao.bookings import views_enterprise as enterprise
from wurao.bookings import views_teams as teams

app_name = "bookings"
urlpatterns = [
    path("", enterprise.slot_list, name="slot-list"),
    path("slots/<int:pk>/book/", enterprise.book, name="book"),
    path("mine/", enterprise.mine, name="mine"),
    path("b/<int:pk>/", enterprise.booking_detail, name="booking-detail"),
    path("b/<int:pk>/reschedule/", enterprise.booking_reschedule, name="booking-reschedule"),
    path("b/<int:pk>/cancel/", enterprise.booking_cancel, name="booking-cancel"),
    path("b/<int:pk>/decide/", enterprise.booking_decide, name="booking-decide"),
    path("b/<int:pk>/outcome/", teams.booking_outcome, name="booking-outcome"),
    path("teams/", teams.team_list, name="team-list"),
    path("teams/new/", teams.team_new, name="team-new"),
    path("teams/<int:pk>/", teams.team_detail, name="team-detail"),
    path("teams/<int:pk>/edit/", teams.team_edit, name="team-edit"),
    path("teams/<int:pk>/slots/new/", teams.slot_new, name="slot-new"),
    path("slots/<int:pk>/", teams.slot_detail, name="slot-detail"),
    path("overview/", teams.overview, name="overview"),
]
