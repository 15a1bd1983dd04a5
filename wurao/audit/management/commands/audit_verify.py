from django.core.management.base import BaseCommand, CommandError

from wurao.audit.models import AuditEvent
from wurao.audit.selectors import audit_chain_first_broken


class Command(BaseCommand):
    help = "校验审计日志哈希链 / Verify the audit log's hash chain; exit 1 naming the first broken event."

    def handle(self, *args, **options):
        broken = audit_chain_first_broken()
        if broken is not None:
            seq, reason = broken
            raise CommandError(f"审计链在第 {seq} 号事件处断裂：{reason}")
        count = AuditEvent.objects.count()
        self.stdout.write(self.style.SUCCESS(f"审计链完整：{count} 个事件全部校验通过。"))
