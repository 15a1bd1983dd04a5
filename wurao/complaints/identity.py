"""The protected identity of a complainant or a whistleblower: encrypted at rest with Fernet.

Keys come from the environment (settings.WURAO_IDENTITY_KEYS, newest first, see
config/settings.py): MultiFernet encrypts with the newest and decrypts with any, so a new key
is added in front and `wurao complaints_rekey --commit` re-encrypts every row with it before
the old one is dropped. Production refuses to start without a key (settings); the development
key derived from SECRET_KEY exists only with DEBUG on.

The stored value is the Fernet token as text: neither the name nor the phone can be read from
the database or its dump without a key.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet() -> MultiFernet:
    keys = list(settings.WURAO_IDENTITY_KEYS)
    if not keys:
        raise ImproperlyConfigured("WURAO_IDENTITY_KEYS is empty: no key for protected identities")
    try:
        return MultiFernet([Fernet(key.strip()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"WURAO_IDENTITY_KEYS holds a key that is no Fernet key: {exc}"
        ) from exc


def identity_encrypt(identity: dict) -> str:
    """The identity's fields as one token ("" for nobody: an anonymous filer without contact)."""
    cleaned = {k: v for k, v in identity.items() if v not in (None, "")}
    if not cleaned:
        return ""
    text = json.dumps(cleaned, ensure_ascii=False, sort_keys=True)
    return _fernet().encrypt(text.encode()).decode()


def identity_decrypt(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "a protected identity cannot be decrypted with WURAO_IDENTITY_KEYS (a key missing?)"
        ) from exc


def identity_rotate(token: str) -> str:
    """The same identity encrypted with the newest key."""
    return _fernet().rotate(token.encode()).decode() if token else ""


def token_is_current(token: str) -> bool:
    """Whether the newest key alone decrypts it."""
    if not token:
        return True
    try:
        Fernet(settings.WURAO_IDENTITY_KEYS[0].strip()).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def filer_tag(enterprise_id: int | None) -> str:
    """A keyed digest naming the enterprise that filed, so its own list can be found without
    its id readable at rest (SECRET_KEY is the key: a new SECRET_KEY loses the link, not the
    identity, which stays in the encrypted column)."""
    if not enterprise_id:
        return ""
    key = hashlib.sha256(f"wurao-complaint-filer:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, str(enterprise_id).encode(), hashlib.sha256).hexdigest()
