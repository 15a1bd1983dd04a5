from django.conf import settings
from django.core.checks import Warning, register

from wurao.audit.keys import signing_key_configured


@register()
def audit_signing_key_check(app_configs, **kwargs):
    """Production without a signing key runs, but nothing anchors its audit chain: a warning at
    every command (the worker's start included) rather than a refusal to start. The web process
    never signs, and a deployment may rightly keep the key off its web hosts (docs/audit.md)."""
    if signing_key_configured() or settings.AUDIT_PUBLIC_KEYS:
        return []
    return [
        Warning(
            "审计锚点签名密钥未配置：审计链的链头不会被签名，改写事件后重算哈希或删除最新事件都无法发现。",
            hint="在任务 worker 的环境中设置 AUDIT_SIGNING_KEY_FILE（wurao audit_anchor --new-key "
            "文件 生成）或 AUDIT_SIGNING_KEY；只校验的主机设置 AUDIT_PUBLIC_KEYS。见 docs/audit.md。",
            id="audit.W001",
        )
    ]
