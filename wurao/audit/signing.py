"""Ed25519 signatures over the audit chain's head, with no Django import.

An anchor says "when signed_at was written, the chain's newest event was number `seq` and its
hash was `hash`". It is signed with a key kept outside the database, so whoever can write the
database can rewrite the events and recompute every hash, but cannot sign the rewritten head.
Ed25519 lets anyone verify with the public key alone (docs/audit.md gives the steps).

The signed message is a public promise: third parties keep copies of the anchors and verify
them years later. Never change `anchor_message`; a new format takes a new version line.
"""

import hashlib
import re

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

MESSAGE_VERSION = "wurao-audit-anchor-v1"
ALGORITHM = "Ed25519"

_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX128 = re.compile(r"[0-9a-f]{128}")


class KeyFormatError(ValueError):
    """A key that is neither a PEM Ed25519 key nor 64 hexadecimal digits."""


def anchor_message(*, seq: int, hash: str, signed_at: str) -> bytes:
    """The exact bytes signed: four lines joined by "\\n", no final newline, UTF-8.

    wurao-audit-anchor-v1
    <seq: the event's number, decimal, no leading zeros>
    <hash: the event's SHA-256 hash, 64 lowercase hexadecimal digits>
    <signed_at: the signing time, ISO 8601 with its UTC offset, as stored>
    """
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise ValueError(f"seq must be a positive integer, not {seq!r}")
    if not _HEX64.fullmatch(hash):
        raise ValueError(f"hash must be 64 lowercase hexadecimal digits, not {hash!r}")
    if not signed_at or "\n" in signed_at:
        raise ValueError(f"signed_at must be one non-empty line, not {signed_at!r}")
    return f"{MESSAGE_VERSION}\n{seq}\n{hash}\n{signed_at}".encode()


def private_key_load(data: bytes | str) -> Ed25519PrivateKey:
    """A private key from a PEM file's content (PKCS#8, as `openssl genpkey -algorithm ed25519`
    writes it) or from its 32-byte seed written as 64 hexadecimal digits."""
    text = data.decode() if isinstance(data, bytes) else data
    text = text.strip()
    if _HEX64.fullmatch(text.lower()):
        return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(text))
    try:
        key = serialization.load_pem_private_key(text.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise KeyFormatError(
            "不是 Ed25519 私钥：应为 PEM 文件（-----BEGIN PRIVATE KEY-----）或 64 位十六进制种子"
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFormatError(f"不是 Ed25519 私钥，而是 {type(key).__name__}")
    return key


def private_key_new_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def public_key_hex(key: Ed25519PrivateKey) -> str:
    """The public key as its 32 raw bytes in 64 lowercase hexadecimal digits."""
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw.hex()


def public_key_normalise(text: str) -> str:
    """A public key written as 64 hexadecimal digits, or as a PEM public key, in the one form
    anchors store (64 lowercase hexadecimal digits)."""
    text = text.strip()
    if _HEX64.fullmatch(text.lower()):
        return text.lower()
    try:
        key = serialization.load_pem_public_key(text.encode())
    except (ValueError, TypeError) as exc:
        raise KeyFormatError("不是 Ed25519 公钥：应为 64 位十六进制或 PEM 公钥") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFormatError(f"不是 Ed25519 公钥，而是 {type(key).__name__}")
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def public_key_pem(public_hex: str) -> str:
    """The same public key as PEM, for `openssl pkeyutl -verify -rawin`."""
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def public_key_fingerprint(public_hex: str) -> str:
    """A short name for a public key: the first 16 hexadecimal digits of its SHA-256."""
    return hashlib.sha256(bytes.fromhex(public_hex)).hexdigest()[:16]


def sign(key: Ed25519PrivateKey, message: bytes) -> str:
    """The signature as 128 lowercase hexadecimal digits."""
    return key.sign(message).hex()


def signature_valid(*, public_hex: str, signature: str, message: bytes) -> bool:
    if not _HEX64.fullmatch(public_hex) or not _HEX128.fullmatch(signature):
        return False
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex)).verify(
            bytes.fromhex(signature), message
        )
    except (InvalidSignature, ValueError):
        return False
    return True
