from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wurao.audit.backups import BackupError, database_restore
from wurao.audit.selectors import audit_chain_verify
from wurao.audit.services import audit_record
from wurao.audit.verification import fault_headline, report_lines


class Command(BaseCommand):
    help = (
        "用 wurao backup 的备份文件替换整个数据库，然后核对每张表的行数和审计链头，并校验审计链。"
        "目标数据库已有数据时须加 --force。 / Restore a backup made by `wurao backup`, then verify."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="wurao backup 写出的备份文件")
        parser.add_argument(
            "--force", action="store_true", help="目标数据库已有数据时仍然覆盖（其数据将丢失）"
        )

    def handle(self, *args, file: str, force: bool, **options):
        try:
            state = database_restore(Path(file), force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        audit_record(
            actor="wurao restore",
            verb="database.restore",
            object_type="database",
            payload={"file": Path(file).name, "rows": state.rows, "head_seq": state.head_seq},
        )
        try:
            report = audit_chain_verify()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "已从 %(file)s 恢复：%(tables)s 张表、%(rows)s 行，与备份一致；"
                "审计链头第 %(seq)s 号事件。"
            )
            % {"file": file, "tables": len(state.counts), "rows": state.rows, "seq": state.head_seq}
        )
        if not report.intact:
            raise CommandError(
                _("恢复后的审计链校验未通过：%(fault)s")
                % {"fault": fault_headline(report.first_fault)}
            )
        for line in report_lines(report):
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(_("恢复完成。若备份来自较早的版本，请接着运行 wurao migrate。"))
        )
