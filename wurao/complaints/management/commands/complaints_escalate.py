from django.core.management.base import BaseCommand

from wurao.complaints.services import complaints_escalate


class Command(BaseCommand):
    help = "逾期督办：把超过受理或答复期限（工作日）的投诉标记逾期并报局领导（每个环节一次）。"

    def handle(self, *args, **options):
        raised = complaints_escalate(actor="complaints_escalate")
        self.stdout.write(f"escalated: {raised}")
