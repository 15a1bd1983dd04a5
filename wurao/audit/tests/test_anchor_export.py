"""The daily heads are published: a public page, a JSON export anyone can keep, and
`audit_verify --anchors` to check later that the platform's chain still holds every kept head."""

import json

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.core.management import call_command
from django.core.management.base import CommandError

from wurao.audit.models import AuditAnchor, AuditEvent
from wurao.audit.services import audit_anchor_sign
from wurao.audit.signing import anchor_message, private_key_load, sign, signature_valid
from wurao.audit.tests.anchoring import events_write, rewrite

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept_copy(signing_key, tmp_path):
    """Three events, the day's head signed, and the export a third party downloaded."""
    events_write(3)
    audit_anchor_sign()
    path = tmp_path / "anchors.json"
    call_command("audit_anchor", "--export", str(path))
    return path


def test_the_export_round_trip_verifies_against_the_chain(kept_copy, capsys):
    # given a kept copy and the chain grown since
    events_write(2)

    # when it is checked against the platform's chain
    call_command("audit_verify", "--anchors", str(kept_copy))

    # then its head is still in the chain
    out = capsys.readouterr().out
    assert "外部副本：1 个锚点的签名有效，链中仍有它们签名的链头" in out
    assert "校验通过" in out


def test_a_kept_copy_catches_a_rewrite_even_after_the_platforms_anchors_were_deleted(kept_copy):
    # given someone who rewrote event 2, recomputed the chain and deleted every anchor
    rewrite(2, {"n": 99})
    AuditAnchor.objects.all().delete()

    # when the third party's copy is checked
    with pytest.raises(CommandError) as failed:
        call_command("audit_verify", "--anchors", str(kept_copy))

    # then the rewrite shows, naming the kept anchor and the events it narrows down
    message = str(failed.value)
    assert message.startswith("审计链在第 3 号事件处断裂")
    assert "anchors.json 的第 1 个锚点" in message and "第 1 至 3 号事件中有事件被改动" in message


def test_a_kept_copy_catches_the_deleted_newest_events(kept_copy):
    AuditEvent.objects.filter(seq=3).delete()
    AuditAnchor.objects.all().delete()

    with pytest.raises(CommandError, match="现在链只到第 2 号"):
        call_command("audit_verify", "--anchors", str(kept_copy))


def test_a_third_party_verifies_the_export_with_nothing_but_the_file(kept_copy):
    # given only the downloaded file
    data = json.loads(kept_copy.read_text(encoding="utf-8"))
    (anchor,) = data["anchors"]
    (key,) = data["public_keys"]

    # when the message is rebuilt as documented and the signature checked with the PEM key
    message = f"wurao-audit-anchor-v1\n{anchor['seq']}\n{anchor['hash']}\n{anchor['signed_at']}"
    load_pem_public_key(key["pem"].encode()).verify(
        bytes.fromhex(anchor["signature"]), message.encode("utf-8")
    )

    # then it verifies (verify raises otherwise), and the file says what it signs
    assert data["message"] == "wurao-audit-anchor-v1\n{seq}\n{hash}\n{signed_at}"
    assert anchor["public_key"] == key["public_key"] and data["algorithm"] == "Ed25519"
    assert anchor["seq"] == 3 and anchor["hash"] == AuditEvent.objects.get(seq=3).hash


def test_the_signed_message_is_the_published_format_byte_for_byte():
    # The format is a public promise (docs/audit.md): this vector must never change. The key is
    # RFC 8032's first test key; Ed25519 signs deterministically.
    seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
    public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    message = anchor_message(seq=42, hash="ab" * 32, signed_at="2026-12-07T00:00:03.123456+00:00")

    assert message == (
        b"wurao-audit-anchor-v1\n42\n" + b"ab" * 32 + b"\n2026-12-07T00:00:03.123456+00:00"
    )
    signature = sign(private_key_load(seed), message)
    assert signature == (
        "53a489e906435ad15dde0ecac368bc7089028ba29cf6ace8dddbe8dab425a62c"
        "aabd03ac0d94fc202c8dcf5f3c1b5705bf38eab127a593c61d9665aae4ddbd0c"
    )
    assert signature_valid(public_hex=public, signature=signature, message=message)
    assert not signature_valid(public_hex=public, signature=signature, message=message + b"\n")


def test_a_malformed_copy_is_refused_naming_the_entry_and_field(kept_copy):
    data = json.loads(kept_copy.read_text(encoding="utf-8"))
    data["anchors"][0]["seq"] = "three"
    kept_copy.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(CommandError, match="第 1 个锚点的 seq 无效"):
        call_command("audit_verify", "--anchors", str(kept_copy))


def test_the_public_page_shows_the_daily_heads_and_the_key_to_anyone(client, signing_key):
    # given a signed daily head
    events_write(2)
    anchor = audit_anchor_sign()

    # when a visitor who is not signed in opens the page and downloads the export
    page = client.get("/public/audit/")
    download = client.get("/public/audit/anchors.json")

    # then the head's hash, signature and the public key are there, and the file carries them
    html = page.content.decode()
    assert page.status_code == 200
    assert anchor.hash in html and anchor.signature in html and signing_key in html
    assert "attachment" in download["Content-Disposition"]
    exported = json.loads(download.content)
    assert exported["anchors"][0]["signature"] == anchor.signature


def test_the_public_menu_offers_the_page_to_visitors(client):
    html = client.get("/public/audit/").content.decode()

    assert 'href="/public/audit/"' in html and "审计链公示" in html
