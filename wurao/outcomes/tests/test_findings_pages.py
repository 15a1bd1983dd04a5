"""The findings pages as people use them: an officer records item results and issues the
notice on the action's page; lists and pages are scoped (a department never sees another's
rectifications, an enterprise only its own, a street its area's read only); the enterprise
reads its notice (seen) and reports; the bureau decides clashes."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.enforcement.choices import Finding, Origin
from wurao.outcomes.choices import ClashStatus, RectificationStatus, Topic
from wurao.outcomes.models import FindingNotice, Rectification, RequirementClash
from wurao.outcomes.services_findings import rectification_report
from wurao.outcomes.tests.test_findings_support import (
    JPEG,
    inspection,
    officer,
    rectified,
)
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_officer_records_results_with_a_photo_then_issues_the_notice(department, enterprise):
    # given an inspection of two items by the officer's department
    user = officer(department)
    action = inspection(department, enterprise, items=2)
    first, second = action.items.order_by("pk")
    client = _client(user)
    url = reverse("findings:action", kwargs={"pk": action.pk})
    assert "checks-form" in client.get(url).content.decode()

    # when a finding without a description is saved, the page says which item needs it
    answer = client.post(
        reverse("findings:action-checks", kwargs={"pk": action.pk}),
        {f"result_{first.pk}": "finding", f"result_{second.pk}": "compliant"},
    )
    assert answer.status_code == 400
    assert "须写明检查情况" in answer.content.decode()

    # and then with the description, a hazard and a photo
    answer = client.post(
        reverse("findings:action-checks", kwargs={"pk": action.pk}),
        {
            f"result_{first.pk}": "finding",
            f"description_{first.pk}": "安全出口堵塞",
            f"hazard_{first.pk}": "1",
            f"photos_{first.pk}": SimpleUploadedFile("出口.jpg", JPEG, "image/jpeg"),
            f"result_{second.pk}": "compliant",
            f"hazard_{second.pk}": "0",
        },
    )
    assert answer.status_code == 302
    action.refresh_from_db()
    assert action.finding == Finding.PROBLEMS
    page = client.get(url).content.decode()
    assert "notice-form" in page and "安全出口堵塞" in page

    # then the notice orders the finding with its requirement, deadline and topic
    check = action.checks.get(result="finding")
    deadline = timezone.localdate() + 10 * DAY
    answer = client.post(
        reverse("findings:action-notice", kwargs={"pk": action.pk}),
        {
            f"requirement_{check.pk}": "清理安全出口杂物",
            f"deadline_{check.pk}": deadline.isoformat(),
            f"topic_{check.pk}": Topic.FIRE,
        },
    )
    assert answer.status_code == 302
    rectification = Rectification.objects.get()
    assert (rectification.deadline, rectification.requirement) == (deadline, "清理安全出口杂物")
    assert "notice-rectifications" in client.get(url).content.decode()


def test_another_department_and_the_street_never_open_the_action_page(
    department, enterprise, street_user
):
    action = inspection(department, enterprise, items=1)
    url = reverse("findings:action", kwargs={"pk": action.pk})
    assert _client(officer(DepartmentFactory())).get(url).status_code == 404
    assert _client(street_user).get(url).status_code == 403


def test_lists_are_scoped_and_flag_overdue_ones(department, enterprise, street_user, justice_user):
    # given one rectification of each of two departments, the first overdue
    today = timezone.localdate()
    mine, other = department, DepartmentFactory()
    _, late = rectified(mine, enterprise, day=today - 20 * DAY, deadline=today - DAY)
    elsewhere = EnterpriseFactory()
    _, theirs = rectified(other, elsewhere, topic=Topic.HEALTH)
    url = reverse("findings:rectification-list")

    # the department sees its own, flagged overdue, and not the other's
    page = _client(officer(mine)).get(url).content.decode()
    assert f'data-rectification="{late.pk}"' in page and "已逾期" in page
    assert f'data-rectification="{theirs.pk}"' not in page
    detail = reverse("findings:rectification", kwargs={"pk": theirs.pk})
    assert _client(officer(mine)).get(detail).status_code == 404
    # the overdue filter keeps it; the street sees its area's only, without the decide forms
    assert (
        f'data-rectification="{late.pk}"'
        in _client(officer(mine)).get(url, {"overdue": "on"}).content.decode()
    )
    page = _client(street_user).get(url).content.decode()
    assert f'data-rectification="{late.pk}"' in page
    assert f'data-rectification="{theirs.pk}"' not in page
    street_detail = _client(street_user).get(
        reverse("findings:rectification", kwargs={"pk": late.pk})
    )
    assert street_detail.status_code == 200
    assert "documentary-form" not in street_detail.content.decode()
    # the bureau sees both
    page = _client(justice_user).get(url).content.decode()
    assert f'data-rectification="{late.pk}"' in page and f'data-rectification="{theirs.pk}"' in page


def test_the_enterprise_sees_its_notice_reports_and_the_officer_closes_it(
    department, enterprise, enterprise_user
):
    user = officer(department)
    _, rectification = rectified(department, enterprise, user)
    client = _client(enterprise_user)

    # the portal home shows the open rectification
    home = client.get(reverse("portal:home")).content.decode()
    assert "portal-rectifications" in home
    assert reverse("findings:mine-rectification", kwargs={"pk": rectification.pk}) in home
    # opening the notice records that it was seen
    assert client.get(reverse("findings:mine")).status_code == 200
    client.get(reverse("findings:mine-notice", kwargs={"pk": rectification.notice_id}))
    assert FindingNotice.objects.get().seen_at is not None

    # the report needs a text; with one and a photo it is reported
    report_url = reverse("findings:mine-report", kwargs={"pk": rectification.pk})
    assert client.post(report_url, {"text": ""}).status_code == 400
    answer = client.post(
        report_url,
        {"text": "已清理", "files": SimpleUploadedFile("好了.jpg", JPEG, "image/jpeg")},
    )
    assert answer.status_code == 302
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.REPORTED

    # the officer reads the report and closes it by a documentary check
    officer_client = _client(user)
    detail = officer_client.get(
        reverse("findings:rectification", kwargs={"pk": rectification.pk})
    ).content.decode()
    assert "已清理" in detail and "documentary-form" in detail
    evidence = rectification.reports.get().files.get()
    assert (
        officer_client.get(reverse("findings:evidence", kwargs={"pk": evidence.pk})).status_code
        == 200
    )
    answer = officer_client.post(
        reverse("findings:rectification-close", kwargs={"pk": rectification.pk}),
        {"note": "照片可见已清理"},
    )
    assert answer.status_code == 302
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.CLOSED


def test_another_enterprise_sees_nothing_of_it(department, enterprise):
    _, rectification = rectified(department, enterprise)
    stranger = UserFactory(role=Role.ENTERPRISE, enterprise=EnterpriseFactory())
    client = _client(stranger)
    for name, pk in (
        ("findings:mine-rectification", rectification.pk),
        ("findings:mine-notice", rectification.notice_id),
    ):
        assert client.get(reverse(name, kwargs={"pk": pk})).status_code == 404
    assert (
        client.post(
            reverse("findings:mine-report", kwargs={"pk": rectification.pk}), {"text": "冒名"}
        ).status_code
        == 404
    )
    assert "portal-rectifications" in client.get(reverse("portal:home")).content.decode()
    assert rectification.requirement not in client.get(reverse("findings:mine")).content.decode()


def test_the_rectification_page_offers_a_recheck_visit_and_lists_the_rechecks(
    department, enterprise
):
    user = officer(department)
    today = timezone.localdate()
    _, rectification = rectified(department, enterprise, user, day=today - 5 * DAY)
    client = _client(user)
    url = reverse("findings:rectification", kwargs={"pk": rectification.pk})
    page = client.get(url).content.decode()
    assert "origin=recheck" in page and enterprise.credit_code in page
    assert "no-rechecks" in page

    # the registration form opens with the enterprise and the origin filled in
    visit_form = client.get(
        reverse("visits:new"), {"enterprise": enterprise.credit_code, "origin": "recheck"}
    ).content.decode()
    assert f'value="{enterprise.credit_code}"' in visit_form
    assert 'value="recheck" selected' in visit_form

    # once a re-check is recorded it can be chosen, and a failed one needs a later deadline
    visit = inspection(department, enterprise, items=1, day=today, origin=Origin.RECHECK)
    assert f'value="{visit.pk}"' in client.get(url).content.decode()
    recheck = reverse("findings:rectification-recheck", kwargs={"pk": rectification.pk})
    answer = client.post(recheck, {"action": visit.pk, "passed": "no", "note": "仍堵塞"})
    assert answer.status_code == 400 and "新的整改期限" in answer.content.decode()
    answer = client.post(recheck, {"action": visit.pk, "passed": "yes", "note": ""})
    assert answer.status_code == 302
    rectification.refresh_from_db()
    assert (rectification.status, rectification.recheck) == (RectificationStatus.CLOSED, visit)


def test_the_bureau_decides_a_clash_on_its_page(enterprise, justice_user, department):
    rectified(department, enterprise, topic=Topic.FIRE)
    rectified(
        DepartmentFactory(),
        enterprise,
        topic=Topic.FIRE,
    )
    clash = RequirementClash.objects.get()
    client = _client(justice_user)
    page = client.get(reverse("findings:clash-list")).content.decode()
    assert page.count("data-department=") == 2
    client.post(
        reverse("findings:clash-decide", kwargs={"pk": clash.pk}),
        {"decision": ClashStatus.DISMISSED, "text": "两项要求可以同时满足"},
    )
    clash.refresh_from_db()
    assert clash.status == ClashStatus.DISMISSED
    assert _client(officer(department)).get(reverse("findings:clash-list")).status_code == 403


def test_a_report_is_reported_on_the_enterprises_rectification_page(
    department, enterprise, enterprise_user
):
    _, rectification = rectified(department, enterprise)
    rectification_report(actor=enterprise_user, rectification=rectification, text="已整改完毕")
    page = _client(enterprise_user).get(
        reverse("findings:mine-rectification", kwargs={"pk": rectification.pk})
    )
    assert "已整改完毕" in page.content.decode()
