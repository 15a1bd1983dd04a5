import json
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wurao.audit.keys import key_file_write, signing_key
from wurao.audit.selectors import audit_anchors_export
from wurao.audit.services import audit_anchor_sign
from wurao.audit.signing import public_key_fingerprint, public_key_hex, public_key_pem


class Command(BaseCommand):
    help = (
        "签名审计链的当前链头（存为锚点）；--export 导出每日链头供第三方保存；"
        "--new-key 生成签名密钥文件；--public-key 显示公钥。"
        " / Sign the audit chain's head now, export the daily heads, or make a signing key."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_mutually_exclusive_group()
        actions.add_argument(
            "--export", metavar="FILE", help="把每日链头写入 JSON 文件（与公开页下载的相同）"
        )
        actions.add_argument(
            "--new-key",
            metavar="FILE",
            help="生成新的 Ed25519 签名密钥，写入 FILE（仅所有者可读；不覆盖已有文件）",
        )
        actions.add_argument(
            "--public-key", action="store_true", help="显示所配置签名密钥的公钥（十六进制与 PEM）"
        )

    def handle(self, *args, export: str | None, new_key: str | None, public_key: bool, **options):
        try:
            if new_key:
                return self._new_key(Path(new_key))
            if public_key:
                return self._public_key()
            if export:
                return self._export(Path(export))
            return self._sign()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc

    def _sign(self) -> None:
        anchor = audit_anchor_sign()
        if anchor is None:
            self.stdout.write(_("审计链为空，没有要签名的链头。"))
            return
        kind = _("每日链头") if anchor.daily else _("锚点")
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "已签名链头（%(kind)s #%(id)s）：第 %(seq)s 号事件，哈希 %(hash)s，"
                    "签于 %(signed_at)s，公钥 %(fingerprint)s。"
                )
                % {
                    "kind": kind,
                    "id": anchor.pk,
                    "seq": anchor.seq,
                    "hash": anchor.hash,
                    "signed_at": anchor.signed_at,
                    "fingerprint": public_key_fingerprint(anchor.public_key),
                }
            )
        )

    def _export(self, path: Path) -> None:
        data = audit_anchors_export()
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        self.stdout.write(
            _("已导出 %(count)s 个每日链头到 %(file)s。")
            % {"count": len(data["anchors"]), "file": path}
        )

    def _new_key(self, path: Path) -> None:
        try:
            public = key_file_write(path)
        except FileExistsError:
            raise CommandError(_("%(file)s 已存在，未覆盖。") % {"file": path}) from None
        except OSError as exc:
            raise CommandError(
                _("无法写入 %(file)s：%(error)s") % {"file": path, "error": exc}
            ) from exc
        self.stdout.write(
            _(
                "已生成签名密钥 %(file)s（仅所有者可读）。请在任务 worker 和签名命令的环境中设置 "
                "AUDIT_SIGNING_KEY_FILE=%(file)s，并公布公钥：\n%(public)s\n%(pem)s"
            )
            % {"file": path, "public": public, "pem": public_key_pem(public)}
        )

    def _public_key(self) -> None:
        public = public_key_hex(signing_key())
        self.stdout.write(
            _("公钥 %(fingerprint)s：\n%(public)s\n%(pem)s")
            % {
                "fingerprint": public_key_fingerprint(public),
                "public": public,
                "pem": public_key_pem(public),
            }
        )
