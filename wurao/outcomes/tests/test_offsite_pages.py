"""Off-site inspection pages and API: the department records one with its evidence and goes on
to the item results; lists and details are scoped (another department's is a 404); evidence
downloads are audited; the API lists and creates, naming every field it refuses."""

import pytest

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.enforcement.choices import Mode
from wurao.enforcement.models import EnforcementAction
from wurao.outcomes.models import Evidence
from wurao.outcomes.tests.offsite_support import PDF, csv, officers_of, pdf, recorded
from wurao.registry.tests.factories import DepartmentFactory
from wurao.visits.tests.support import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _post(department, enterprise, **changes):
    item = InspectionItemFactory(department=department, code="YJ-OFF", name="危化品储存监测")
    officers = officers_of(department)
    data = {
        "credit_code": enterprise.credit_code,
        "day": "2026-03-02",
        "method": "monitoring",
        "origin": "plan",
        "items": [item.pk],
        "officers": [o.pk for o in officers],
        "summary": "调取 3 月在线监测数据，未见超标",
        "evidence_kind": "monitoring",
        "evidence": [csv()],
        "evidence_note": "3 月数据",
    }
    data.update(changes)
    return data


def test_an_officer_records_an_off_site_inspection_and_goes_on_to_its_results(
    client, dept_admin, department, enterprise
):
    client.force_login(dept_admin)

    response = client.post("/outcomes/offsite/new/", _post(department, enterprise))

    action = EnforcementAction.objects.get()
    assert action.mode == Mode.OFF_SITE and action.visit is None
    assert response.status_code == 302
    assert response.url == f"/outcomes/actions/{action.pk}/"  # findings:action
    assert Evidence.objects.get(action=action).name == "在线监测数据.csv"


def test_a_bad_form_is_shown_again_with_each_field_named(
    client, dept_admin, department, enterprise
):
    client.force_login(dept_admin)

    response = client.post(
        "/outcomes/offsite/new/",
        _post(department, enterprise, credit_code="91440300MA5XXXXXX0", evidence=[], summary=""),
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-field="credit_code"' in page and "不在企业库中" in page
    assert 'data-field="evidence"' in page and 'data-field="summary"' in page
    assert not EnforcementAction.objects.exists()


def test_the_list_and_detail_show_the_method_and_evidence_and_reads_are_audited(
    client, dept_admin, department, enterprise
):
    action = recorded(
        dept_admin, enterprise, department, evidence=[{"kind": "document", "file": pdf()}]
    )
    client.force_login(dept_admin)

    listing = client.get("/outcomes/offsite/").content.decode()
    detail = client.get(f"/outcomes/offsite/{action.pk}/").content.decode()
    evidence = Evidence.objects.get(action=action)
    download = client.get(f"/outcomes/offsite/{action.pk}/evidence/{evidence.pk}/")

    assert f'data-action="{action.pk}"' in listing and "在线监测数据" in listing
    assert "企业报送材料.pdf" in detail and "计为行政检查，不计为入企" in detail
    assert f"/outcomes/actions/{action.pk}/" in detail
    assert b"".join(download.streaming_content) == PDF
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"read.offsite_inspection", "read.offsite_evidence"} <= verbs


def test_another_departments_inspection_is_not_found(client, department, enterprise, dept_admin):
    action = recorded(dept_admin, enterprise, department)
    evidence = Evidence.objects.get(action=action)
    other = UserFactory(role=Role.INSPECTOR, department=DepartmentFactory())
    client.force_login(other)

    assert client.get(f"/outcomes/offsite/{action.pk}/").status_code == 404
    assert client.get(f"/outcomes/offsite/{action.pk}/evidence/{evidence.pk}/").status_code == 404
    assert f'data-action="{action.pk}"' not in client.get("/outcomes/offsite/").content.decode()


def test_the_bureau_reads_every_departments_but_records_none(
    client, justice_user, dept_admin, department, enterprise
):
    action = recorded(dept_admin, enterprise, department)
    client.force_login(justice_user)

    assert client.get(f"/outcomes/offsite/{action.pk}/").status_code == 200
    assert client.get("/outcomes/offsite/new/").status_code == 403


def test_an_enterprise_has_no_off_site_pages(client, enterprise_user):
    client.force_login(enterprise_user)

    assert client.get("/outcomes/offsite/").status_code == 403


# ---------------------------------------------------------------- the API


def _body(department, enterprise, **changes):
    item = InspectionItemFactory(department=department, code="YJ-OFF")
    officers = officers_of(department)
    body = {
        "enterprise": enterprise.credit_code,
        "date": "2026-03-02",
        "method": "documents",
        "origin": "complaint",
        "items": [item.code],
        "officers": [o.badge_no for o in officers],
        "summary": "审阅企业报送的台账",
        "evidence_kind": "document",
        "evidence": [pdf()],
    }
    body.update(changes)
    return body


def test_the_api_creates_an_off_site_inspection_from_multipart(dept_admin, department, enterprise):
    response = client_for(dept_admin).post(
        "/api/offsite-inspections/", _body(department, enterprise), format="multipart"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["method"] == "documents" and body["origin"] == "complaint"
    assert body["evidence_count"] == 1
    assert EnforcementAction.objects.get(pk=body["id"]).mode == Mode.OFF_SITE


def test_the_api_names_another_departments_item_and_officer(dept_admin, department, enterprise):
    other = DepartmentFactory()
    foreign_item = InspectionItemFactory(department=other, code="SJ-009")
    foreign_officer = officers_of(other, 1)[0]
    body = _body(department, enterprise)
    body["items"] = [foreign_item.code]
    body["officers"] = [*body["officers"], foreign_officer.badge_no]

    response = client_for(dept_admin).post("/api/offsite-inspections/", body, format="multipart")

    assert response.status_code == 400
    errors = response.json()
    assert "SJ-009" in errors["items"][0] and foreign_officer.badge_no in errors["officers"][0]
    assert not EnforcementAction.objects.exists()


def test_the_api_lists_in_scope_and_filters_by_method(dept_admin, department, enterprise):
    recorded(dept_admin, enterprise, department)
    other = DepartmentFactory()
    recorded(UserFactory(role=Role.INSPECTOR, department=other), enterprise, other)
    api = client_for(dept_admin)

    mine = api.get("/api/offsite-inspections/").json()
    by_video = api.get("/api/offsite-inspections/?method=video").json()
    wrong = api.get("/api/offsite-inspections/?method=drone")

    assert mine["count"] == 1 and mine["results"][0]["department"] == department.pk
    assert by_video["count"] == 0
    assert wrong.status_code == 400 and "method" in wrong.json()


def test_the_bureau_may_not_create_through_the_api(justice_user, department, enterprise):
    response = client_for(justice_user).post(
        "/api/offsite-inspections/", _body(department, enterprise), format="multipart"
    )

    assert response.status_code == 403
