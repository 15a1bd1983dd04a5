"""Reads of sensitive records enter the audit chain: an officer opening an enterprise's file
(page and API), downloading an evidence file or exporting a consolidated form. An enterprise
reading its own records does not."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.audit.selectors import audit_chain_first_broken
from wurao.credit.choices import RecordSource
from wurao.credit.services import objection_file
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.planning.tests.test_pages_forms import form_url, joint_visit_build
from wurao.registry.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def _reads(verb: str):
    return AuditEvent.objects.filter(verb=verb)


def test_an_officer_opening_an_enterprises_file_is_recorded(client, justice_user, enterprise):
    # given the justice bureau signed in
    client.force_login(justice_user)

    # when it opens the enterprise's file
    response = client.get(reverse("dossier:enterprise-detail", args=[enterprise.pk]))

    # then one read event names the reader, the enterprise, the page and the address
    assert response.status_code == 200
    event = _reads("read.enterprise_file").get()
    assert event.actor_label == justice_user.username
    assert (event.object_type, event.object_id) == ("registry.enterprise", str(enterprise.pk))
    assert event.payload == {
        "path": f"/registry/enterprises/{enterprise.pk}/",
        "ip": "127.0.0.1",
    }
    assert audit_chain_first_broken() is None


def test_an_officer_reading_the_file_over_the_api_is_recorded(client, dept_admin, enterprise):
    client.force_login(dept_admin)

    response = client.get(f"/api/enterprises/{enterprise.pk}/timeline/")

    assert response.status_code == 200
    assert _reads("read.enterprise_file").get().actor_label == dept_admin.username


def test_an_enterprise_reading_its_own_file_is_not_recorded(client, enterprise_user, enterprise):
    client.force_login(enterprise_user)

    response = client.get(reverse("dossier:enterprise-detail", args=[enterprise.pk]))

    assert response.status_code == 200
    assert not _reads("read.enterprise_file").exists()


def test_a_file_out_of_scope_is_missing_and_nothing_is_recorded(client, enterprise):
    other = UserFactory(role=Role.ENTERPRISE, enterprise=EnterpriseFactory())
    client.force_login(other)

    response = client.get(reverse("dossier:enterprise-detail", args=[enterprise.pk]))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(verb__startswith="read.").exists()


def test_downloading_an_evidence_file_is_recorded_for_the_department_not_the_enterprise(
    client, settings, tmp_path, enterprise_user, dept_admin, enterprise, department
):
    # given an objection with its evidence
    settings.MEDIA_ROOT = tmp_path
    action = EnforcementActionFactory(enterprise=enterprise, department=department)
    objection = objection_file(
        actor=enterprise_user,
        enterprise=enterprise,
        record_source=RecordSource.ACTION,
        record_id=action.pk,
        reason="不是本企业",
        evidence=SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n%evidence\n"),
    )
    url = reverse("credit:review-evidence", args=["objection", objection.pk])

    # when the enterprise and then the department download it
    for user in (enterprise_user, dept_admin):
        client.force_login(user)
        assert client.get(url).status_code == 200

    # then only the department's download is recorded
    event = _reads("read.evidence").get()
    assert event.actor_label == dept_admin.username and event.object_id == str(objection.pk)


@pytest.mark.today("2026-12-07")  # the joint visit's plans are for March 2027
def test_exporting_a_consolidated_form_is_recorded(client, street):
    # given a joint visit and a department on it
    joint = joint_visit_build(street)
    client.force_login(joint.market.admin)

    # when it downloads the form as a workbook and as a PDF
    for suffix in ("xlsx/", "pdf/"):
        assert client.get(form_url(joint, suffix)).status_code == 200

    # then both exports are recorded against the visit
    events = list(_reads("read.export").order_by("seq"))
    assert [e.payload["path"] for e in events] == [form_url(joint, s) for s in ("xlsx/", "pdf/")]
    assert {e.object_type for e in events} == {"planning.jointvisit"}
