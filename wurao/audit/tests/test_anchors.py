"""Signed anchors catch what the hash chain alone cannot: an event rewritten with every later
hash recomputed, and the newest events deleted. Verification names the first bad event."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wurao.audit.checks import audit_signing_key_check
from wurao.audit.models import AuditAnchor, AuditEvent
from wurao.audit.selectors import audit_chain_verify
from wurao.audit.services import audit_anchor_sign
from wurao.audit.signing import anchor_message, private_key_load, sign
from wurao.audit.tasks import audit_anchor_periodic
from wurao.audit.tests.anchoring import events_write, key_pair, rewrite, use_key

pytestmark = pytest.mark.django_db


def _verify(capsys, *args) -> str:
    call_command("audit_verify", *args)
    return capsys.readouterr().out


def test_verification_names_the_first_event_whose_anchor_no_longer_matches(signing_key):
    # given events 1-2 anchored, then events 3-5 anchored
    events_write(2)
    audit_anchor_sign()
    events_write(3)
    audit_anchor_sign()

    # when event 4 is changed and its hash and event 5's are recomputed
    rewrite(4, {"n": 99})

    # then verification fails at event 5, the anchored head whose hash changed, and says the
    # change lies in events 3-5 (after the last anchor that still matches)
    with pytest.raises(CommandError) as failed:
        call_command("audit_verify")
    message = str(failed.value)
    assert message.startswith("审计链在第 5 号事件处断裂")
    assert "第 3 至 5 号事件中有事件被改动" in message


def test_the_chain_alone_does_not_see_a_rewrite_with_recomputed_hashes(signing_key, capsys):
    # given five events and no anchor
    events_write(5)

    # when event 4 is rewritten and every later hash recomputed
    rewrite(4, {"n": 99})

    # then the chain checks: only an anchor could have told, and the output says what is at risk
    out = _verify(capsys)
    assert "5 个事件全部校验通过" in out
    assert "尚无锚点：全部 5 个事件仅由哈希链保护" in out


def test_deleting_the_newest_events_is_caught_and_the_first_missing_event_named(signing_key):
    # given five events, anchored
    events_write(5)
    audit_anchor_sign()

    # when the two newest are deleted (the chain that is left is still consistent)
    AuditEvent.objects.filter(seq__gte=4).delete()

    # then verification names event 4, the first missing, and how far the chain now goes
    with pytest.raises(CommandError) as failed:
        call_command("audit_verify")
    message = str(failed.value)
    assert message.startswith("审计链在第 4 号事件处断裂")
    assert "签名时链头是第 5 号事件，现在链只到第 3 号" in message


def test_an_anchor_from_another_key_is_not_trusted(settings, signing_key):
    # given an anchor signed with the platform's key
    events_write(3)
    audit_anchor_sign()

    # when verification runs with another key configured (a wrong key, or a forger's anchors)
    other_seed, _ = key_pair()
    use_key(settings, other_seed)

    # then the anchor is refused, naming the keys that are trusted
    with pytest.raises(CommandError, match="审计锚点无效") as failed:
        call_command("audit_verify")
    assert "公钥不在本机信任的公钥中" in str(failed.value)


def test_an_anchor_re_signed_by_a_forger_with_their_own_key_is_refused(settings, signing_key):
    # given anchored events
    events_write(3)
    anchor = audit_anchor_sign()

    # when someone rewrites event 2 and re-signs the new head with a key of their own, storing
    # their public key in the anchor
    rewrite(2, {"n": 99})
    forger_seed, forger_public = key_pair()
    head = AuditEvent.objects.get(seq=3)
    forged = sign(
        private_key_load(forger_seed),
        anchor_message(seq=3, hash=head.hash, signed_at=anchor.signed_at),
    )
    AuditAnchor.objects.filter(pk=anchor.pk).update(
        hash=head.hash, signature=forged, public_key=forger_public
    )

    # then the anchor is refused: its key is not one configured outside the database
    with pytest.raises(CommandError, match="公钥不在本机信任的公钥中"):
        call_command("audit_verify")


def test_an_anchor_edited_to_match_a_rewritten_chain_fails_its_signature(signing_key):
    # given anchored events
    events_write(3)
    audit_anchor_sign()

    # when event 2 is rewritten and the anchor's hash edited to the new head's
    rewrite(2, {"n": 99})
    AuditAnchor.objects.update(hash=AuditEvent.objects.get(seq=3).hash)

    # then the signature no longer verifies
    with pytest.raises(CommandError, match="签名无效"):
        call_command("audit_verify")


def test_anchors_signed_before_a_key_rotation_verify_with_the_old_public_key(
    settings, signing_key, capsys
):
    # given an anchor signed with the old key
    events_write(2)
    audit_anchor_sign()

    # when the key is rotated, the old public key kept in AUDIT_PUBLIC_KEYS, and a new anchor signed
    new_seed, _ = key_pair()
    use_key(settings, new_seed, public_keys=(signing_key,))
    events_write(1)
    audit_anchor_sign()

    # then both anchors verify
    out = _verify(capsys)
    assert "锚点：2 个签名有效且与链一致" in out


def test_verify_says_how_many_events_only_the_chain_protects(signing_key, capsys):
    # given three anchored events and two written after the anchor
    events_write(3)
    audit_anchor_sign()
    events_write(2)

    # when the chain is verified
    out = _verify(capsys)

    # then it passes and says the two newest rely on the hash chain alone
    assert "最新锚点为第 3 号事件" in out
    assert "最新锚点之后的 2 个事件仅由哈希链保护" in out


def test_the_routine_anchor_signs_a_moved_head_and_the_first_of_each_day_is_the_daily_head(
    signing_key,
):
    # given two events
    events_write(2)

    # when the periodic job runs twice, then once more after a new event
    first = audit_anchor_sign(routine=True)
    unchanged = audit_anchor_sign(routine=True)
    events_write(1)
    moved = audit_anchor_sign(routine=True)

    # then the first is the day's head, the second run signed nothing, the third a plain anchor
    assert first.daily and first.seq == 2
    assert unchanged is None
    assert moved.seq == 3 and not moved.daily


def test_the_anchor_command_signs_the_head_on_demand(signing_key, capsys):
    events_write(4)

    call_command("audit_anchor")

    anchor = AuditAnchor.objects.get()
    assert anchor.seq == 4 and anchor.public_key == signing_key
    assert "已签名链头（每日链头" in capsys.readouterr().out


def test_without_a_key_in_production_nothing_is_signed_and_the_check_warns(settings):
    # given production settings with no signing key (DEBUG off: no development key either)
    settings.AUDIT_SIGNING_KEY = settings.AUDIT_SIGNING_KEY_FILE = ""
    settings.AUDIT_DEVELOPMENT_KEY_FILE = ""
    settings.AUDIT_PUBLIC_KEYS = []
    events_write(1)

    # then the command refuses, naming the settings to set, and the system check warns
    with pytest.raises(CommandError, match="AUDIT_SIGNING_KEY_FILE"):
        call_command("audit_anchor")
    assert not AuditAnchor.objects.exists()
    assert [w.id for w in audit_signing_key_check(None)] == ["audit.W001"]


def test_a_new_key_file_is_written_for_its_owner_only_and_then_signs(settings, tmp_path, capsys):
    # given a key file made by the command
    path = tmp_path / "audit-key.pem"
    call_command("audit_anchor", "--new-key", str(path))
    settings.AUDIT_SIGNING_KEY = settings.AUDIT_DEVELOPMENT_KEY_FILE = ""
    settings.AUDIT_SIGNING_KEY_FILE = str(path)
    events_write(2)

    # when the head is signed with it
    call_command("audit_anchor")

    # then only its owner may read it, and the anchor verifies
    assert path.stat().st_mode & 0o077 == 0
    assert "-----BEGIN PUBLIC KEY-----" in capsys.readouterr().out
    assert audit_chain_verify().intact


def test_the_periodic_job_signs_the_head(signing_key):
    events_write(2)

    audit_anchor_periodic()

    assert AuditAnchor.objects.get().seq == 2


def test_the_periodic_job_without_a_key_logs_why_and_signs_nothing(settings, caplog):
    settings.AUDIT_SIGNING_KEY = settings.AUDIT_SIGNING_KEY_FILE = ""
    settings.AUDIT_DEVELOPMENT_KEY_FILE = ""
    events_write(1)

    audit_anchor_periodic()

    assert not AuditAnchor.objects.exists()
    assert "audit anchor not signed" in caplog.text and "AUDIT_SIGNING_KEY" in caplog.text
