from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand

from wurao.complaints.services_whistle import identities_rekey


class Command(BaseCommand):
    help = (
        "用 WURAO_IDENTITY_KEYS 的第一个（最新）密钥重新加密所有投诉人、举报人身份；"
        "不加 --commit 只统计（试运行）。--new-key 打印一个新的 Fernet 密钥。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="真正写入（默认只试运行）")
        parser.add_argument("--new-key", action="store_true", help="打印一个新密钥后退出")

    def handle(self, *args, commit=False, new_key=False, **options):
        if new_key:
            self.stdout.write(Fernet.generate_key().decode())
            return
        counts = identities_rekey(actor="complaints_rekey", commit=commit)
        mode = "re-encrypted" if commit else "dry run, would re-encrypt"
        self.stdout.write(f"{mode}: complaints {counts['complaints']}, whistle {counts['whistle']}")
