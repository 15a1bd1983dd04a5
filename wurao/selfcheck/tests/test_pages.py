"""The pages and the API as each role uses them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, ParkFactory
from wurao.selfcheck.choices import EntryResult, InspectionStatus
from wurao.selfcheck.models import ParkCampaign
from wurao.selfcheck.tests.factories import (
    JPEG,
    inspection_completed,
    inspection_started,
    items_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_an_enterprise_runs_a_self_inspection_on_the_pages(
    client, enterprise_user, department, media
):
    # given two applicable items
    items_for(department, 2)
    client.force_login(enterprise_user)
    # when it starts, then it lands on the checklist at 0/2
    response = client.post(reverse("selfcheck:inspection-new"), {}, follow=True)
    assert "0/2" in response.content.decode()
    inspection = response.context["inspection"]
    first, second = inspection.entries.order_by("position")
    # when it answers the first with a problem and a photo, it goes on to the second
    response = client.post(
        reverse("selfcheck:entry-record", args=[inspection.pk, first.pk]),
        {
            "result": EntryResult.PROBLEM,
            "note": "安全出口堵塞",
            "photos": SimpleUploadedFile("a.jpg", JPEG),
        },
    )
    assert response.url == reverse("selfcheck:entry-detail", args=[inspection.pk, second.pk])
    client.post(
        reverse("selfcheck:entry-record", args=[inspection.pk, second.pk]),
        {"result": EntryResult.COMPLIANT},
    )
    # and completes it; the page says the problems are no penalty
    response = client.post(
        reverse("selfcheck:inspection-complete", args=[inspection.pk]), follow=True
    )
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.COMPLETED
    assert "不作为处罚依据" in response.content.decode()
    assert AuditEvent.objects.filter(verb="selfcheck.complete").exists()


def test_a_non_image_upload_is_refused_on_the_page(client, enterprise_user, department, media):
    items_for(department, 1)
    entry = inspection_started(enterprise_user).entries.get()
    client.force_login(enterprise_user)
    response = client.post(
        reverse("selfcheck:entry-record", args=[entry.inspection_id, entry.pk]),
        {
            "result": EntryResult.PROBLEM,
            "note": "x",
            "photos": SimpleUploadedFile("scan.pdf", b"%PDF-1.4"),
        },
    )
    assert response.status_code == 400
    assert "只能上传 JPG、PNG 或 WebP 图片" in response.content.decode()
    entry.refresh_from_db()
    assert entry.result == ""


def test_a_department_opens_its_entries_and_gets_404_for_others(
    client, enterprise_user, dept_admin, media
):
    items_for(dept_admin.department, 1)
    other = items_for(DepartmentFactory(), 1)[0]
    inspection = inspection_completed(enterprise_user)
    mine = inspection.entries.get(department=dept_admin.department)
    theirs = inspection.entries.get(item=other)
    client.force_login(dept_admin)
    page = client.get(reverse("selfcheck:inspection-detail", args=[inspection.pk]))
    assert mine.item.name in page.content.decode() and other.name not in page.content.decode()
    assert (
        client.get(reverse("selfcheck:entry-detail", args=[inspection.pk, mine.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("selfcheck:entry-detail", args=[inspection.pk, theirs.pk])).status_code
        == 404
    )


def test_a_photo_is_served_to_the_enterprise_and_not_to_another(
    client, enterprise_user, department, media
):
    items_for(department, 1)
    entry = inspection_started(enterprise_user).entries.get()
    client.force_login(enterprise_user)
    client.post(
        reverse("selfcheck:entry-record", args=[entry.inspection_id, entry.pk]),
        {"result": EntryResult.PROBLEM, "note": "x", "photos": SimpleUploadedFile("a.jpg", JPEG)},
    )
    url = reverse("selfcheck:photo", args=[entry.photos.get().pk])
    assert client.get(url).status_code == 200
    client.force_login(UserFactory(role=Role.ENTERPRISE, enterprise=EnterpriseFactory()))
    assert client.get(url).status_code == 404


def test_the_street_sees_park_rates_and_runs_a_campaign_in_its_own_park_only(
    client, street, street_user, enterprise_user, dept_admin
):
    park = ParkFactory(street=street, name="观澜高新园")
    EnterpriseFactory(street=street, park=park)
    theirs = ParkFactory()
    EnterpriseFactory(street=theirs.street, park=theirs)
    client.force_login(street_user)
    assert "观澜高新园" in client.get(reverse("selfcheck:park-rates")).content.decode()
    today = timezone.localdate().isoformat()
    body = {"title": "园区自查", "starts_on": today, "ends_on": today}
    refused = client.post(reverse("selfcheck:campaign-new"), {**body, "park": theirs.pk})
    assert refused.status_code == 200 and not ParkCampaign.objects.exists()
    done = client.post(reverse("selfcheck:campaign-new"), {**body, "park": park.pk}, follow=True)
    assert ParkCampaign.objects.get().park == park
    assert "0/1" in done.content.decode()
    # the park page is the street's and the bureau's
    for other in (enterprise_user, dept_admin):
        client.force_login(other)
        assert client.get(reverse("selfcheck:park-rates")).status_code == 403


def test_the_api_lists_reads_and_records(enterprise_user, dept_admin):
    items_for(dept_admin.department, 2)
    inspection = inspection_started(enterprise_user)
    entry = inspection.entries.order_by("position").first()
    api = APIClient()
    api.force_authenticate(enterprise_user)
    listed = api.get("/api/selfcheck/inspections/").json()
    assert listed["results"][0]["entry_total"] == 2
    url = f"/api/selfcheck/inspections/{inspection.pk}/entries/{entry.pk}/"
    bad = api.post(url, {"result": "maybe"}, format="json")
    assert bad.status_code == 400 and "result" in bad.json()
    missing_note = api.post(url, {"result": "problem"}, format="json")
    assert missing_note.status_code == 400 and "note" in missing_note.json()
    ok = api.post(url, {"result": "compliant"}, format="json")
    assert ok.status_code == 200 and ok.json()["result"] == "compliant"
    detail = api.get(f"/api/selfcheck/inspections/{inspection.pk}/").json()
    assert [e["result"] for e in detail["entries"]] == ["compliant", ""]
    # a department may not write, and does not see one in progress
    api.force_authenticate(dept_admin)
    assert api.post(url, {"result": "compliant"}, format="json").status_code == 403
    assert api.get(f"/api/selfcheck/inspections/{inspection.pk}/").status_code == 404


def test_the_park_rate_api_answers_the_street(street, street_user, department):
    park = ParkFactory(street=street)
    user = UserFactory(role=Role.ENTERPRISE, enterprise=EnterpriseFactory(street=street, park=park))
    EnterpriseFactory(street=street, park=park)
    items_for(department, 1)
    inspection_completed(user)
    api = APIClient()
    api.force_authenticate(street_user)
    rows = api.get("/api/selfcheck/parks/").json()
    assert [(r["park"], r["completed"], r["enterprises"], r["rate"]) for r in rows] == [
        (park.pk, 1, 2, 0.5)
    ]
