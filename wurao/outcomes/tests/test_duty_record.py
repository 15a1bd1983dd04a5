"""The duty record (尽职记录) lists a record's procedural steps from the audit chain, in order, with
who and what, verifies them against the chain and its anchors, and names an event that was
changed."""

import pytest
from django.urls import reverse

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.audit.services import audit_anchor_sign, audit_record
from wurao.audit.tests.anchoring import key_pair, rewrite, use_key
from wurao.outcomes import duty
from wurao.outcomes.tests.test_documents_scene import pdf_text, scene_build
from wurao.registry.tests.factories import InspectorFactory

pytestmark = pytest.mark.django_db


def _whats(record) -> list[str]:
    return [step.what for step in record.steps]


def test_a_cases_duty_record_lists_its_steps_in_order_with_who_and_verifies():
    s = scene_build()
    audit_record(actor="other", verb="thing.create", object_type="thing", object_id="1")

    record = duty.duty_record_case(s.case)

    assert _whats(record) == [
        "登记入企",
        "入企签到",
        "记录执法行为",
        "逐项录入检查结果",
        "一次性告知问题，下达责令改正通知书",
        "立案",
        "告知陈述、申辩和听证权利",
        "作出决定",
    ]
    assert [step.seq for step in record.steps] == sorted(step.seq for step in record.steps)
    assert record.steps[0].actor == "张科长"
    assert "部门管理员" in record.steps[0].role or s.department.name in record.steps[0].role
    assert s.case.number in record.steps[-1].about
    assert record.intact and record.whole_span and not record.faults


def test_reads_are_not_steps_but_a_document_generated_is(client):
    s = scene_build()
    client.force_login(s.admin)

    client.get(reverse("outcome_docs:case-decision", kwargs={"pk": s.case.pk, "fmt": "docx"}))
    client.get(reverse("outcome_docs:duty-case", kwargs={"pk": s.case.pk}))
    record = duty.duty_record_case(s.case)

    assert _whats(record)[-1] == "生成文书"
    assert "行政处罚决定书" in record.steps[-1].detail
    assert AuditEvent.objects.filter(verb=duty.DUTY_READ_VERB).count() == 1
    assert duty.DUTY_READ_VERB not in _whats(record)


def test_an_event_edited_in_the_database_is_named_on_the_page(client):
    s = scene_build()
    decided = AuditEvent.objects.get(verb="outcomes.case_decide")
    AuditEvent.objects.filter(pk=decided.pk).update(payload={"amount": "1"})
    client.force_login(s.admin)

    record = duty.duty_record_case(s.case)
    page = client.get(reverse("outcome_docs:duty-case", kwargs={"pk": s.case.pk}))

    assert not record.intact
    assert record.faults[0][0] == decided.seq
    bad = [step for step in record.steps if step.problem]
    assert [step.seq for step in bad] == [decided.seq]
    text = page.content.decode()
    assert "链上校验未通过" in text
    assert f"第 {decided.seq} 号事件" in text
    assert "事件内容与其哈希不符" in text


def test_an_event_rewritten_with_every_later_hash_is_caught_by_the_anchor(settings, client):
    seed, _public = key_pair()
    use_key(settings, seed)
    s = scene_build()
    anchor = audit_anchor_sign()
    record = duty.duty_record_case(s.case)
    assert record.intact and record.anchored and record.anchor.pk == anchor.pk

    opened = AuditEvent.objects.get(verb="outcomes.case_open")
    rewrite(opened.seq, {"forged": True})
    record = duty.duty_record_case(s.case)

    assert not record.intact
    assert not record.anchor.ok
    assert "哈希已改变" in record.anchor.problem


def test_the_page_and_its_pdf_say_the_chain_verified(client):
    s = scene_build()
    client.force_login(s.admin)

    page = client.get(reverse("outcome_docs:duty-action", kwargs={"pk": s.action.pk}))
    pdf = client.get(reverse("outcome_docs:duty-action-pdf", kwargs={"pk": s.action.pk}))

    assert page.status_code == 200
    assert "链上校验通过" in page.content.decode()
    assert "逐项录入检查结果" in page.content.decode()
    text = pdf_text(b"".join(pdf.streaming_content))
    assert "链上校验通过" in text
    assert "入企签到" in text


def test_a_visits_duty_record_holds_its_actions_steps_and_cases():
    s = scene_build()

    record = duty.duty_record_visit(s.visit)

    assert "入企签到" in _whats(record)
    assert "一次性告知问题，下达责令改正通知书" in _whats(record)
    assert "作出决定" in _whats(record)


def test_only_the_department_the_bureau_and_the_officer_named_read_a_duty_record(client):
    s = scene_build()
    other = scene_build(code="SJ", name="区市场监督管理局")
    url = reverse("outcome_docs:duty-case", kwargs={"pk": s.case.pk})
    officer = UserFactory(
        role=Role.INSPECTOR,
        department=other.department,
        inspector=s.officers[0],
    )
    outsider = UserFactory(
        role=Role.INSPECTOR,
        department=other.department,
        inspector=InspectorFactory(department=other.department),
    )
    answers = {}
    for name, user in (
        ("department", s.admin),
        ("bureau", UserFactory(role=Role.JUSTICE)),
        ("officer named", officer),
        ("other department", other.admin),
        ("other inspector", outsider),
        ("street", UserFactory(role=Role.STREET, street=s.enterprise.street)),
        ("enterprise", UserFactory(role=Role.ENTERPRISE, enterprise=s.enterprise)),
    ):
        client.force_login(user)
        answers[name] = client.get(url).status_code

    assert answers == {
        "department": 200,
        "bureau": 200,
        "officer named": 200,
        "other department": 404,
        "other inspector": 404,
        "street": 403,
        "enterprise": 403,
    }
