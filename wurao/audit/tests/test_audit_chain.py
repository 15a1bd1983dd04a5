import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wurao.audit.models import AuditEvent
from wurao.audit.selectors import audit_chain_first_broken
from wurao.audit.services import audit_record

pytestmark = pytest.mark.django_db


def _write_three_events():
    for i in range(3):
        audit_record(
            actor="tester",
            verb="thing.create",
            object_type="thing",
            object_id=str(i),
            payload={"n": i},
        )


def test_audit_chain_is_intact_after_writes(capsys):
    _write_three_events()

    call_command("audit_verify")

    assert audit_chain_first_broken() is None
    assert "3 个事件全部校验通过" in capsys.readouterr().out


def test_audit_verify_names_the_first_event_whose_payload_was_changed():
    _write_three_events()
    AuditEvent.objects.filter(seq=2).update(payload={"n": 99})

    with pytest.raises(CommandError, match="第 2 号事件"):
        call_command("audit_verify")


def test_audit_verify_detects_a_deleted_event():
    _write_three_events()
    AuditEvent.objects.filter(seq=2).delete()

    assert audit_chain_first_broken()[0] == 3


def test_each_event_chains_to_the_previous_hash():
    _write_three_events()

    first, second, third = AuditEvent.objects.order_by("seq")

    assert second.prev_hash == first.hash and third.prev_hash == second.hash
