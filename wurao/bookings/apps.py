from django.apps import AppConfig


class BookingsConfig(AppConfig):
    """Service booking (预约服务): service teams offer training, drills, check-ups and policy consulting in slots; enterprises book them. A check-up is not an inspection."""

    name = "wurao.bookings"
    verbose_name = "预约服务"
