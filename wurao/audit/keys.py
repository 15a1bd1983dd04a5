"""Where the anchors' signing key comes from: outside the database (docs/audit.md).

`AUDIT_SIGNING_KEY` (the Ed25519 seed, 64 hexadecimal digits) or `AUDIT_SIGNING_KEY_FILE`
(a PEM file, made by `wurao audit_anchor --new-key FILE`). With DEBUG on and neither set, a
development key is made once under var/ (settings.AUDIT_DEVELOPMENT_KEY_FILE); with DEBUG off
there is no fallback: nothing is signed until a key is configured, and the system check
audit.W001 says so. Verifying needs only public keys: the signing key's own and
`AUDIT_PUBLIC_KEYS` (keys used before a rotation, or the current one on a host that does not
hold the private key).
"""

import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from wurao.audit.signing import (
    KeyFormatError,
    private_key_load,
    private_key_new_pem,
    public_key_hex,
    public_key_normalise,
)


class SigningKeyMissing(ImproperlyConfigured):
    """No signing key is configured, or the configured one cannot be read."""


def _configured_source() -> tuple[str, bytes | str] | None:
    """(where the key comes from, its content), or None when nothing is configured."""
    if settings.AUDIT_SIGNING_KEY:
        return "AUDIT_SIGNING_KEY", settings.AUDIT_SIGNING_KEY
    path = settings.AUDIT_SIGNING_KEY_FILE or settings.AUDIT_DEVELOPMENT_KEY_FILE
    if not path:
        return None
    if not settings.AUDIT_SIGNING_KEY_FILE:
        development_key_ensure(Path(path))
    try:
        return str(path), Path(path).read_bytes()
    except OSError as exc:
        raise SigningKeyMissing(
            _("无法读取审计签名密钥文件 %(path)s：%(error)s") % {"path": path, "error": exc}
        ) from exc


def signing_key_configured() -> bool:
    return bool(
        settings.AUDIT_SIGNING_KEY
        or settings.AUDIT_SIGNING_KEY_FILE
        or settings.AUDIT_DEVELOPMENT_KEY_FILE
    )


def signing_key() -> Ed25519PrivateKey:
    source = _configured_source()
    if source is None:
        raise SigningKeyMissing(
            _(
                "未配置审计签名密钥：请设置环境变量 AUDIT_SIGNING_KEY（64 位十六进制种子）"
                "或 AUDIT_SIGNING_KEY_FILE（PEM 文件，可用 wurao audit_anchor --new-key 文件 生成）。"
            )
        )
    where, content = source
    try:
        return private_key_load(content)
    except KeyFormatError as exc:
        raise SigningKeyMissing(
            _("审计签名密钥（%(where)s）无法使用：%(error)s") % {"where": where, "error": exc}
        ) from exc


def trusted_public_keys() -> frozenset[str]:
    """The public keys (64 hexadecimal digits) an anchor may be signed with, from outside the
    database: never from the anchors' own rows, which whoever rewrites the chain can rewrite."""
    keys = set()
    for text in settings.AUDIT_PUBLIC_KEYS:
        try:
            keys.add(public_key_normalise(text))
        except KeyFormatError as exc:
            raise ImproperlyConfigured(
                _("AUDIT_PUBLIC_KEYS 中的公钥 %(key)s 无法使用：%(error)s")
                % {"key": text[:20], "error": exc}
            ) from exc
    if signing_key_configured():
        keys.add(public_key_hex(signing_key()))
    return frozenset(keys)


def key_file_write(path: Path) -> str:
    """Write a new private key to `path` (readable by its owner only; an existing file is never
    overwritten) and return its public key."""
    pem = private_key_new_pem()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return public_key_hex(private_key_load(pem))


def development_key_ensure(path: Path) -> None:
    """The development key under var/, made on first use. Processes that start together (the
    test workers) may race: the key is written aside and linked into place, so every process
    reads the same complete key."""
    if path.exists():
        return
    aside = path.with_name(f".{path.name}.{os.getpid()}")
    aside.unlink(missing_ok=True)
    key_file_write(aside)
    try:
        os.link(aside, path)
    except FileExistsError:
        pass
    finally:
        aside.unlink(missing_ok=True)
