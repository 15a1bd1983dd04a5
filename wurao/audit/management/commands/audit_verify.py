import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from wurao.audit.keys import trusted_public_keys
from wurao.audit.selectors import audit_anchor_latest, audit_chain_verify
from wurao.audit.signing import public_key_fingerprint
from wurao.audit.verification import AnchorFileError, anchors_read, fault_headline, report_lines

FAULTS_SHOWN = 10


class Command(BaseCommand):
    help = (
        "校验审计日志：哈希链、签名锚点，以及第三方保存的锚点副本（--anchors）；"
        "不通过时指出第一个有问题的事件并以非零状态退出。"
        " / Verify the audit chain, its signed anchors and kept copies of them."
    )
    # An operator's check: it must run even where another app's check would stop it.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchors",
            metavar="FILE",
            action="append",
            default=[],
            help="第三方保存的每日链头（公开页下载或 wurao audit_anchor --export 导出的 JSON），可多次给出",
        )

    def handle(self, *args, anchors: list[str], **options):
        try:
            copies = [claim for path in anchors for claim in anchors_read(Path(path))]
            report = audit_chain_verify(copies=copies)
        except (AnchorFileError, ImproperlyConfigured) as exc:
            raise CommandError(str(exc)) from exc
        if not report.intact:
            raise CommandError(self._failure(report))
        for line in report_lines(report):
            self.stdout.write(line)
        if copies:
            self.stdout.write(
                _("外部副本：%(count)s 个锚点的签名有效，链中仍有它们签名的链头。")
                % {"count": len(copies)}
            )
            self._foreign_keys(copies)
        self._stale(report)
        self.stdout.write(self.style.SUCCESS(_("校验通过。")))

    def _failure(self, report) -> str:
        lines = [fault_headline(report.first_fault)]
        others = report.faults[1:FAULTS_SHOWN]
        if others:
            lines.append(_("其他问题（按事件序号）："))
            lines += [f"  - {fault_headline(f)}" for f in others]
        hidden = len(report.faults) - 1 - len(others)
        if hidden > 0 or report.more_faults:
            lines.append(_("……另有 %(count)s 处以上问题未列出。") % {"count": max(hidden, 1)})
        return "\n".join(lines)

    def _foreign_keys(self, copies) -> None:
        try:
            trusted = trusted_public_keys()
        except ImproperlyConfigured:
            trusted = frozenset()
        for key in dict.fromkeys(c.public_key for c in copies):
            if key not in trusted:
                self.stdout.write(
                    _(
                        "注意：副本中的公钥 %(fingerprint)s 不是本机配置的公钥"
                        "（密钥已更换，或副本不是本平台的）。"
                    )
                    % {"fingerprint": public_key_fingerprint(key)}
                )

    def _stale(self, report) -> None:
        """Events wait for the next anchor at most AUDIT_ANCHOR_MINUTES: an older newest anchor
        means the worker is not signing, or the newer anchors were deleted."""
        latest = audit_anchor_latest()
        if latest is None or not report.unanchored:
            return
        age = timezone.now() - datetime.datetime.fromisoformat(latest.signed_at)
        interval = settings.AUDIT_ANCHOR_MINUTES
        if age > datetime.timedelta(minutes=3 * interval):
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "注意：最新锚点签于 %(signed_at)s，已过去 %(minutes)s 分钟，而定时签名每 "
                        "%(interval)s 分钟一次：任务 worker 可能没有运行，或较新的锚点被删除。"
                    )
                    % {
                        "signed_at": latest.signed_at,
                        "minutes": int(age.total_seconds() // 60),
                        "interval": interval,
                    }
                )
            )
