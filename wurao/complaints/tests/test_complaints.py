"""Complaints: routing to the supervision office only, anonymity towards departments, identity
encrypted at rest, reveal with a reason, deadlines on working days, escalation, rating."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.complaints import selectors, services
from wurao.complaints.choices import Finding, Status
from wurao.complaints.models import Complaint, Escalation
from wurao.complaints.tests.factories import complaint_filed
from wurao.credit.models import EnterpriseGrade, GradeChange, PositiveRecord
from wurao.registry.tests.factories import DepartmentFactory, InspectorFactory, StreetFactory
from wurao.registry.workdays import working_days_after
from wurao.visits.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db

NAME, PHONE = "张秘密", "13912345678"


def _sub_unit_world():
    parent = DepartmentFactory(name="区市场监管局", code="SJ")
    sub_unit = DepartmentFactory(name="福城市场监管所", code="SJ-FC", parent=parent)
    street_team = DepartmentFactory(name="福城街道综合执法队", code="FC-ZF", street=StreetFactory())
    return parent, sub_unit, street_team


def _staff(department, role=Role.DEPT_ADMIN):
    return UserFactory(role=role, department=department)


def test_complaint_against_a_sub_unit_officer_reaches_no_department(client, justice_user):
    # given an officer of a sub-unit and one of a street team
    parent, sub_unit, street_team = _sub_unit_world()
    officer = InspectorFactory(department=sub_unit)
    team_officer = InspectorFactory(department=street_team)
    # when complaints are filed against them
    _filed, complaint = complaint_filed(officer=officer, anonymous=False, name=NAME, phone=PHONE)
    complaint_filed(officer=team_officer)
    # then the complaint is about the officer's own unit, and sits in the office's queue only
    assert complaint.department == sub_unit
    for department in (parent, sub_unit, street_team):
        user = _staff(department)
        client.force_login(user)
        assert client.get(reverse("complaints:office")).status_code == 403
        assert client.get(reverse("complaints:office-detail", args=[complaint.pk])).status_code in (
            403,
            404,
        )
        assert client.get(reverse("complaints:statements")).content.count(b"statement-detail") == 0
    client.force_login(justice_user)
    page = client.get(reverse("complaints:office"))
    assert page.status_code == 200 and b"complaint-queue" in page.content


def test_a_department_reads_only_the_office_summary_never_who_complained(
    client, justice_user, enterprise
):
    # given a named complaint by an enterprise, and a statement requested from the sub-unit
    parent, sub_unit, _team = _sub_unit_world()
    officer = InspectorFactory(department=sub_unit)
    filed, complaint = complaint_filed(
        officer=officer,
        anonymous=False,
        name=NAME,
        phone=PHONE,
        enterprise=enterprise,
        description=f"{NAME}反映：执法人员索要好处。",
    )
    services.complaint_accept(actor=justice_user, complaint=complaint, accept=True)
    statement = services.statement_request(
        actor=justice_user,
        complaint=complaint,
        department=sub_unit,
        summary="有反映称某执法人员在检查中存在不当言行，请说明当日检查经过。",
    )
    # when every page and API a department user of the unit (and its parent) reaches is read
    secrets = [NAME, PHONE, enterprise.name, filed.receipt, "索要好处"]
    for department in (sub_unit, parent):
        user = _staff(department)
        client.force_login(user)
        urls = [
            "/",
            reverse("complaints:statements"),
            reverse("complaints:whistle-assigned"),
            "/api/complaints/statements/",
            "/oversight/departments/",
            "/oversight/departments/?export=xlsx&table=conduct",
        ]
        if department == sub_unit:
            urls.append(reverse("complaints:statement-detail", args=[statement.pk]))
        for url in urls:
            response = client.get(url)
            body = b"".join(response) if response.streaming else response.content
            for secret in secrets:
                # then nothing there names the complainant, its enterprise, receipt or text
                assert secret.encode() not in body, (url, secret)
    # and the audit payloads carry none of it either
    for payload in AuditEvent.objects.values_list("payload", "actor_label"):
        for secret in secrets:
            assert secret not in str(payload)
    # and the sub-unit answers the statement; the parent cannot
    assert (
        client.get(reverse("complaints:statement-detail", args=[statement.pk])).status_code == 404
    )
    services.statement_answer(
        actor=_staff(sub_unit), statement=statement, answer="当日按程序检查。"
    )


def test_the_identity_column_is_unreadable_in_the_raw_table(enterprise):
    # given a named complaint
    complaint_filed(anonymous=False, name=NAME, phone=PHONE, enterprise=enterprise)
    # when the table is read raw, as a dump would
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Complaint._meta.db_table}")
        dump = repr(cursor.fetchall())
    # then neither the name, the phone nor the enterprise appears
    for secret in (NAME, PHONE, enterprise.name):
        assert secret not in dump
    assert Complaint.objects.get().identity.startswith("gAAAA")  # a Fernet token


def test_rekey_reencrypts_every_identity_with_the_newest_key(settings):
    from cryptography.fernet import Fernet

    from wurao.complaints.identity import identity_decrypt, token_is_current

    # given a complaint encrypted with the old key, then a new key put in front
    old = settings.WURAO_IDENTITY_KEYS[0]
    complaint_filed(anonymous=False, name=NAME, phone=PHONE)
    settings.WURAO_IDENTITY_KEYS = [Fernet.generate_key().decode(), old]
    token = Complaint.objects.get().identity
    assert not token_is_current(token)
    # when a dry run, then a commit
    call_command("complaints_rekey")
    assert Complaint.objects.get().identity == token
    call_command("complaints_rekey", "--commit")
    # then the newest key alone reads it, with the same identity
    token = Complaint.objects.get().identity
    assert token_is_current(token)
    settings.WURAO_IDENTITY_KEYS = settings.WURAO_IDENTITY_KEYS[:1]
    assert identity_decrypt(token)["name"] == NAME


def test_reveal_needs_a_reason_and_is_audited_without_the_identity(client, justice_user):
    _filed, complaint = complaint_filed(anonymous=False, name=NAME, phone=PHONE)
    client.force_login(justice_user)
    url = reverse("complaints:office-reveal", args=[complaint.pk])
    # without a reason: refused, nothing shown
    refused = client.post(url, {"reason": " "})
    assert refused.status_code == 400 and NAME.encode() not in refused.content
    # with a reason: shown, audited with the reason and not the identity
    shown = client.post(url, {"reason": "需电话核实投诉细节"})
    assert NAME.encode() in shown.content and PHONE.encode() in shown.content
    event = AuditEvent.objects.get(verb="complaints.identity_reveal")
    assert event.payload["reason"] == "需电话核实投诉细节" and event.actor_label == "sfj"
    assert NAME not in str(event.payload) and PHONE not in str(event.payload)


def test_only_the_bureau_may_reveal(dept_admin):
    _filed, complaint = complaint_filed(anonymous=False, name=NAME, phone=PHONE)
    with pytest.raises(PermissionDenied):
        services.complaint_identity_reveal(actor=dept_admin, complaint=complaint, reason="想知道")


def test_deadlines_count_working_days_across_national_day():
    # given a complaint filed the day before 国庆 2025 (1-8 October off)
    _filed, complaint = complaint_filed(
        filed_on=datetime.date(2025, 9, 30), department=DepartmentFactory()
    )
    # then acceptance is due two working days later, after the holiday
    assert complaint.accept_due == working_days_after(datetime.date(2025, 9, 30), 2)
    assert complaint.accept_due == datetime.date(2025, 10, 10)


def test_overdue_stages_escalate_once_on_working_days(justice_user):
    # given a complaint filed on 2025-09-30, due 2025-10-10
    _filed, complaint = complaint_filed(
        filed_on=datetime.date(2025, 9, 30), department=DepartmentFactory()
    )
    # when the escalation runs during the holiday: nothing is overdue
    assert services.complaints_escalate(today=datetime.date(2025, 10, 8)) == 0
    # and after the deadline: raised once, however often it runs
    assert services.complaints_escalate(today=datetime.date(2025, 10, 13)) == 1
    assert services.complaints_escalate(today=datetime.date(2025, 10, 14)) == 0
    complaint.refresh_from_db()
    assert complaint.escalated and Escalation.objects.get().stage == "accept"
    assert (
        selectors.complaint_list(
            scope=selectors.Scope(sees_all=True), filters={"overdue": True}
        ).count()
        == 1
    )


def test_escalate_command_runs(capsys):
    complaint_filed(filed_on=datetime.date(2025, 1, 2), department=DepartmentFactory())
    call_command("complaints_escalate")
    assert "escalated: 1" in capsys.readouterr().out


def test_not_accepting_needs_a_reason(justice_user):
    _filed, complaint = complaint_filed(department=DepartmentFactory())
    with pytest.raises(ValidationError):
        services.complaint_accept(actor=justice_user, complaint=complaint, accept=False, reason="")
    services.complaint_accept(
        actor=justice_user, complaint=complaint, accept=False, reason="不属于受理范围"
    )
    assert Complaint.objects.get().status == Status.NOT_ACCEPTED


def test_public_form_files_anonymously_and_the_track_page_follows_and_rates(client, justice_user):
    officer = InspectorFactory()
    visit = VisitFactory(department=officer.department)
    # when anyone files without signing in
    response = client.post(
        reverse("complaints:new"),
        {
            "category": "too_frequent",
            "visit_code": visit.code,
            "badge_no": officer.badge_no,
            "description": "一个月来了五次。",
            "anonymous": "1",
        },
    )
    assert response.status_code == 200
    filed = response.context["filed"]
    complaint = Complaint.objects.get(receipt=filed.receipt)
    assert complaint.secret_hash != filed.secret and complaint.department == officer.department
    services.complaint_accept(actor=justice_user, complaint=complaint, accept=True)
    services.complaint_answer(
        actor=justice_user, complaint=complaint, finding=Finding.PARTLY, answer="已约谈。"
    )
    # then a new visitor follows it by receipt and secret, and rates it
    other = client.__class__()
    assert (
        other.post(
            reverse("complaints:track"), {"receipt": filed.receipt, "secret": "WRONG"}
        ).status_code
        == 200
    )
    followed = other.post(
        reverse("complaints:track"),
        {"receipt": filed.receipt.lower(), "secret": filed.secret},
        follow=True,
    )
    assert "已约谈".encode() in followed.content
    other.post(reverse("complaints:track-rate"), {"rating": "4", "comment": "还行"})
    complaint.refresh_from_db()
    assert complaint.rating == 4 and complaint.status == Status.CLOSED


def test_public_form_says_which_field_is_wrong(client):
    response = client.post(
        reverse("complaints:new"),
        {
            "category": "attitude",
            "visit_code": "ZZZZZZZZ",
            "badge_no": "NOPE",
            "description": "x",
            "anonymous": "0",
        },
    )
    form = response.context["form"]
    assert {"visit_code", "badge_no", "name", "phone"} <= set(form.errors)
    assert Complaint.objects.count() == 0


def test_an_enterprise_sees_its_named_complaints_not_anonymous_ones(
    client, enterprise_user, enterprise
):
    named, _c = complaint_filed(
        anonymous=False, enterprise=enterprise, department=DepartmentFactory()
    )
    anonymous, _a = complaint_filed(
        anonymous=True, enterprise=enterprise, department=DepartmentFactory()
    )
    client.force_login(enterprise_user)
    page = client.get(reverse("complaints:mine"))
    assert named.receipt.encode() in page.content and anonymous.receipt.encode() not in page.content


def test_track_api_answers_status_and_refuses_a_wrong_secret(client):
    filed, _complaint = complaint_filed(department=DepartmentFactory())
    ok = client.post(
        "/api/complaints/track/",
        {"receipt": filed.receipt, "secret": filed.secret},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "received"
    assert (
        client.post(
            "/api/complaints/track/",
            {"receipt": filed.receipt, "secret": "X"},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_office_api_lists_for_the_bureau_only(client, justice_user, dept_admin):
    complaint_filed(department=DepartmentFactory())
    client.force_login(dept_admin)
    assert client.get("/api/complaints/").status_code == 403
    client.force_login(justice_user)
    assert client.get("/api/complaints/").json()["count"] == 1


def test_substantiated_complaints_leave_credit_events_unchanged(justice_user, enterprise):
    # given the enterprise's credit events
    def credit_records():
        return [
            list(m.objects.values_list("pk", flat=True))
            for m in (EnterpriseGrade, GradeChange, PositiveRecord)
        ]

    before = credit_records()
    officer = InspectorFactory()
    _f, complaint = complaint_filed(officer=officer, anonymous=False, enterprise=enterprise)
    services.complaint_accept(actor=justice_user, complaint=complaint, accept=True)
    services.complaint_answer(
        actor=justice_user,
        complaint=complaint,
        finding=Finding.SUBSTANTIATED,
        answer="属实，已处理。",
    )
    # then the conduct figures count it, and no credit event was made
    counts = selectors.conduct_counts(date_from=complaint.filed_on, date_to=complaint.filed_on)
    assert counts["substantiated"] == {officer.department_id: 1}
    assert credit_records() == before


def test_conduct_figures_show_on_the_department_tab_scoped(client, justice_user, dept_admin):
    # given a substantiated complaint against the admin's department and one against another
    other = DepartmentFactory(name="区另一局")
    for department in (dept_admin.department, other):
        _f, complaint = complaint_filed(department=department)
        services.complaint_accept(actor=justice_user, complaint=complaint, accept=True)
        services.complaint_answer(
            actor=justice_user, complaint=complaint, finding=Finding.SUBSTANTIATED, answer="属实"
        )
    year = complaint.filed_on.year
    # then the bureau sees both rows, the department only its own
    client.force_login(justice_user)
    page = client.get(f"/oversight/departments/?year={year}").content.decode()
    assert f'data-conduct-department="{other.pk}"' in page
    client.force_login(dept_admin)
    page = client.get(f"/oversight/departments/?year={year}").content.decode()
    assert f'data-conduct-department="{dept_admin.department.pk}"' in page
    assert f'data-conduct-department="{other.pk}"' not in page
