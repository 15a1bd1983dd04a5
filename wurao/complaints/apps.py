from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    """Complaints (投诉) routed to the justice bureau's supervision office, never to the department complained about; whistleblowing (内部举报); contact-point enterprises (涉企执法联系点)."""

    name = "wurao.complaints"
    verbose_name = "投诉与举报"
