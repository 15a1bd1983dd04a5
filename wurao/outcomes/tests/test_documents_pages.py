"""Who may download which document, and that each download is audited."""

import pytest
from django.urls import reverse

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.outcomes.choices import CaseStatus, Disposition
from wurao.outcomes.tests.test_documents_scene import ENTERPRISE, docx_text, pdf_text, scene_build

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_department_downloads_the_decision_as_docx_and_pdf_and_each_is_audited(client):
    s = scene_build()
    client.force_login(s.admin)
    before = AuditEvent.objects.count()

    docx = client.get(
        reverse("outcome_docs:case-decision", kwargs={"pk": s.case.pk, "fmt": "docx"})
    )
    pdf = client.get(reverse("outcome_docs:case-decision", kwargs={"pk": s.case.pk, "fmt": "pdf"}))

    assert docx.status_code == pdf.status_code == 200
    assert "attachment" in docx["Content-Disposition"]
    assert pdf["Content-Type"] == "application/pdf"
    assert ENTERPRISE in docx_text(_body(docx))
    assert ENTERPRISE in pdf_text(_body(pdf))
    events = AuditEvent.objects.order_by("seq")[before:]
    assert [(e.verb, e.object_type, e.object_id) for e in events] == [
        ("outcomes.document_generate", "outcomes.case", str(s.case.pk))
    ] * 2
    assert "（PDF）" in events[1].payload["document"]


def test_the_enterprise_gets_its_own_decided_case_and_notice_but_not_an_undecided_one(client):
    s = scene_build()
    client.force_login(UserFactory(role=Role.ENTERPRISE, enterprise=s.enterprise))
    decision = reverse("outcome_docs:case-decision", kwargs={"pk": s.case.pk, "fmt": "docx"})
    notice = reverse("outcome_docs:notice-document", kwargs={"pk": s.notice.pk, "fmt": "docx"})
    record = reverse("outcome_docs:action-record", kwargs={"pk": s.action.pk, "fmt": "docx"})

    assert client.get(decision).status_code == 200
    assert client.get(notice).status_code == 200
    assert client.get(record).status_code == 200

    s.case.status, s.case.disposition, s.case.decided_on = CaseStatus.OPEN, "", None
    s.case.save()
    assert client.get(decision).status_code == 404


def test_another_department_and_enterprise_get_404_and_a_street_403():
    s = scene_build()
    other = scene_build(code="SJ", name="区市场监督管理局")
    from django.test import Client

    urls = [
        reverse("outcome_docs:case-decision", kwargs={"pk": s.case.pk, "fmt": "pdf"}),
        reverse("outcome_docs:notice-document", kwargs={"pk": s.notice.pk, "fmt": "docx"}),
        reverse("outcome_docs:action-record", kwargs={"pk": s.action.pk, "fmt": "docx"}),
    ]
    for user, status in (
        (other.admin, 404),
        (UserFactory(role=Role.ENTERPRISE, enterprise=other.enterprise), 404),
        (UserFactory(role=Role.STREET, street=s.enterprise.street), 403),
    ):
        client = Client()
        client.force_login(user)
        before = AuditEvent.objects.count()
        assert [client.get(url).status_code for url in urls] == [status] * 3, user.role
        assert AuditEvent.objects.count() == before


def test_the_bureau_downloads_any_departments_exempted_decision(client):
    s = scene_build()
    s.case.disposition, s.case.amount = Disposition.EXEMPTED, None
    s.case.save()
    client.force_login(UserFactory(role=Role.JUSTICE))

    response = client.get(
        reverse("outcome_docs:case-decision", kwargs={"pk": s.case.pk, "fmt": "pdf"})
    )

    assert "不予行政处罚决定书" in pdf_text(_body(response))


def test_an_unknown_format_is_404(client):
    s = scene_build()
    client.force_login(s.admin)

    assert client.get(f"/outcomes/docs/cases/{s.case.pk}/decision.odt").status_code == 404


def test_the_links_include_offers_each_person_what_they_may_have():
    from django.template.loader import render_to_string

    s = scene_build()
    links = "outcomes/documents/_links.html"
    enterprise = UserFactory(role=Role.ENTERPRISE, enterprise=s.enterprise)

    officer = render_to_string(links, {"case": s.case, "user": s.admin})
    own = render_to_string(links, {"case": s.case, "user": enterprise})
    s.case.decided_on = None
    undecided = render_to_string(links, {"case": s.case, "user": enterprise})

    assert f"/outcomes/docs/cases/{s.case.pk}/decision.pdf" in officer
    assert f"/outcomes/docs/duty/cases/{s.case.pk}/" in officer
    assert f"/outcomes/docs/cases/{s.case.pk}/decision.docx" in own
    assert "/duty/" not in own
    assert "decision." not in undecided
