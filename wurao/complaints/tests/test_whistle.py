"""Whistleblowing: the department assigned sees the report without any identity; a reveal
needs two distinct bureau people; rewards only for substantiated reports."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.complaints import services_whistle
from wurao.complaints.choices import RiskKind, WhistleStatus
from wurao.complaints.models import WhistleReport
from wurao.registry.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

NAME, CONTACT = "李内部", "微信 lnb-2026"


def _report(enterprise):
    filed = services_whistle.whistle_file(
        enterprise=enterprise,
        risk_kind=RiskKind.SAFETY,
        risk="危化品仓库长期无人值守。",
        name=NAME,
        contact=CONTACT,
    )
    return filed, WhistleReport.objects.get(pk=filed.pk)


def test_public_form_files_with_evidence_and_track_shows_status(client, enterprise):
    evidence = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff fake jpeg", content_type="image/jpeg")
    response = client.post(
        reverse("complaints:whistle-new"),
        {
            "enterprise": enterprise.credit_code,
            "risk_kind": "fire",
            "risk": "消防通道被堵。",
            "evidence": evidence,
        },
    )
    assert response.status_code == 200
    filed = response.context["filed"]
    other = client.__class__()
    page = other.post(
        reverse("complaints:whistle-track"),
        {"receipt": filed.receipt, "secret": filed.secret},
        follow=True,
    )
    assert "已收到".encode() in page.content and enterprise.name.encode() in page.content
    assert WhistleReport.objects.get().evidence


def test_unknown_enterprise_is_refused_with_the_field(client):
    response = client.post(
        reverse("complaints:whistle-new"),
        {"enterprise": "不存在的公司", "risk_kind": "fire", "risk": "x"},
    )
    assert "enterprise" in response.context["form"].errors and not WhistleReport.objects.exists()


def test_assigned_department_sees_the_report_without_identity(
    client, justice_user, enterprise, department, dept_admin
):
    filed, report = _report(enterprise)
    services_whistle.whistle_assign(actor=justice_user, report=report, department=department)
    client.force_login(dept_admin)
    for url in (
        reverse("complaints:whistle-assigned"),
        reverse("complaints:whistle-assigned-detail", args=[report.pk]),
    ):
        body = client.get(url).content
        assert "危化品仓库".encode() in body or url.endswith("assigned/")
        for secret in (NAME, CONTACT, filed.receipt):
            assert secret.encode() not in body
    # another department: a 404
    other = UserFactory(role=Role.DEPT_ADMIN, department=DepartmentFactory())
    client.force_login(other)
    assert (
        client.get(reverse("complaints:whistle-assigned-detail", args=[report.pk])).status_code
        == 404
    )
    client.force_login(dept_admin)
    client.post(
        reverse("complaints:whistle-assigned-detail", args=[report.pk]),
        {"text": "已现场核查，情况属实。"},
    )
    assert WhistleReport.objects.get().status == WhistleStatus.REPORTED


def test_identity_is_encrypted_at_rest(enterprise):
    _report(enterprise)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {WhistleReport._meta.db_table}")
        dump = repr(cursor.fetchall())
    assert NAME not in dump and "lnb-2026" not in dump


def test_reveal_needs_a_second_bureau_approver(justice_user, enterprise):
    _filed, report = _report(enterprise)
    second = UserFactory(role=Role.JUSTICE)
    with pytest.raises(ValidationError):
        services_whistle.whistle_reveal_request(actor=justice_user, report=report, reason="")
    reveal = services_whistle.whistle_reveal_request(
        actor=justice_user, report=report, reason="需联系举报人补充证据"
    )
    # the requester alone cannot see it, nor approve his own request
    with pytest.raises(ValidationError):
        services_whistle.whistle_identity_read(actor=justice_user, reveal=reveal)
    with pytest.raises(PermissionDenied):
        services_whistle.whistle_reveal_approve(actor=justice_user, reveal=reveal)
    # a second bureau officer approves; then the requester sees it, audited without it
    services_whistle.whistle_reveal_approve(actor=second, reveal=reveal)
    reveal.refresh_from_db()
    with pytest.raises(ValidationError):
        services_whistle.whistle_identity_read(actor=second, reveal=reveal)
    assert services_whistle.whistle_identity_read(actor=justice_user, reveal=reveal)["name"] == NAME
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="complaints.whistle_").values_list(
            "verb", flat=True
        )
    )
    assert {
        "complaints.whistle_reveal_request",
        "complaints.whistle_reveal_approve",
        "complaints.whistle_identity_read",
    } <= set(verbs)
    for payload in AuditEvent.objects.values_list("payload", flat=True):
        assert NAME not in str(payload) and CONTACT not in str(payload)


def test_reveal_pages_two_people(client, justice_user, enterprise):
    _filed, report = _report(enterprise)
    second = UserFactory(role=Role.JUSTICE)
    client.force_login(justice_user)
    client.post(reverse("complaints:whistle-reveal-request", args=[report.pk]), {"reason": "核实"})
    reveal = report.reveals.get()
    assert (
        client.post(reverse("complaints:whistle-reveal-approve", args=[reveal.pk])).status_code
        == 302
    )
    reveal.refresh_from_db()
    assert reveal.status == "pending"
    client.force_login(second)
    client.post(reverse("complaints:whistle-reveal-approve", args=[reveal.pk]))
    client.force_login(justice_user)
    shown = client.post(reverse("complaints:whistle-reveal-read", args=[reveal.pk]))
    assert NAME.encode() in shown.content


def test_reward_recorded_only_when_substantiated(justice_user, enterprise):
    _filed, report = _report(enterprise)
    with pytest.raises(ValidationError):
        services_whistle.whistle_conclude(
            actor=justice_user,
            report=report,
            substantiated=False,
            conclusion="不属实",
            reward_amount=Decimal("100"),
        )
    services_whistle.whistle_conclude(
        actor=justice_user,
        report=report,
        substantiated=True,
        conclusion="查证属实，已责令整改。",
        reward_amount=Decimal("2000.00"),
        reward_decision="奖励 2000 元",
        reward_paid_on=datetime.date(2026, 3, 1),
    )
    report.refresh_from_db()
    assert report.status == WhistleStatus.SUBSTANTIATED and report.reward_amount == Decimal(
        "2000.00"
    )
