"""The conflict register: report → triage → coordinate → resolve, and who sees a report."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory
from wurao.rulemaking.choices import ConflictStatus, Governing
from wurao.rulemaking.services_conflicts import (
    RequirementInput,
    conflict_progress,
    conflict_report,
    conflict_statement,
    conflict_triage,
)
from wurao.rulemaking.tests.factories import ConflictFactory
from wurao.standards.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _report(actor, **kw):
    a = ArticleFactory(number="6.2.7", text="消防水泵房的门应采用乙级防火门")
    b = ArticleFactory(number="5.5.12", text="消防水泵房的门应采用甲级防火门")
    return conflict_report(
        actor=actor,
        topic=kw.get("topic", "水泵房防火门等级"),
        situation="新建厂房",
        requirements=[
            RequirementInput(text=a.text, article=a, department=a.version.document.department),
            RequirementInput(text=b.text, article=b),
        ],
    )


def test_a_report_is_triaged_coordinated_and_resolved_with_its_history(
    enterprise_user, justice_user, department
):
    # Given an enterprise's report
    conflict = _report(enterprise_user)
    assert conflict.status == ConflictStatus.REPORTED
    # When the bureau accepts it, records coordination and resolves it
    conflict_triage(
        actor=justice_user, conflict=conflict, accept=True, coordinating_department=department
    )
    conflict_progress(
        actor=justice_user, conflict=conflict, status=ConflictStatus.COORDINATING, note="召开协调会"
    )
    conflict = conflict_progress(
        actor=justice_user,
        conflict=conflict,
        status=ConflictStatus.RESOLVED,
        governing=Governing.B,
        resolution="专项技术规范优先适用",
    )
    # Then it is resolved, with the reason and every step in its history and the audit log
    assert conflict.status == ConflictStatus.RESOLVED and conflict.governing == "b"
    steps = [(e.status_from, e.status_to) for e in conflict.events.all()]
    assert steps == [
        ("", "reported"),
        ("reported", "open"),
        ("open", "coordinating"),
        ("coordinating", "resolved"),
    ]
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"rulemaking.conflict_report", "rulemaking.conflict_triage"} <= verbs


def test_resolving_needs_which_governs_and_why(justice_user, department):
    conflict = ConflictFactory()
    with pytest.raises(ValidationError) as refused:
        conflict_progress(actor=justice_user, conflict=conflict, status=ConflictStatus.RESOLVED)
    assert set(refused.value.message_dict) == {"governing", "resolution"}


def test_a_declined_report_tells_the_reporter_why(client, enterprise_user, justice_user):
    conflict = _report(enterprise_user)
    conflict_triage(actor=justice_user, conflict=conflict, accept=False, reason="两项要求并不矛盾")
    client.force_login(enterprise_user)
    page = client.get(f"/conflicts/{conflict.pk}/")
    assert "两项要求并不矛盾" in page.content.decode()


def test_declining_without_a_reason_is_refused(enterprise_user, justice_user):
    conflict = _report(enterprise_user)
    with pytest.raises(ValidationError) as refused:
        conflict_triage(actor=justice_user, conflict=conflict, accept=False)
    assert "reason" in refused.value.message_dict


def test_only_the_bureau_triages(enterprise_user, dept_admin):
    conflict = _report(enterprise_user)
    with pytest.raises(PermissionDenied):
        conflict_triage(
            actor=dept_admin, conflict=conflict, accept=True, coordinating_department=None
        )


def test_an_untriaged_report_is_seen_by_the_reporter_and_the_bureau_only(
    client, enterprise_user, justice_user, dept_admin, street_user
):
    conflict = _report(enterprise_user, topic="未受理的冲突报告")
    other = UserFactory(role=Role.ENTERPRISE, enterprise=EnterpriseFactory())
    seen = {}
    for who in (enterprise_user, justice_user, dept_admin, street_user, other, None):
        client.logout()
        if who:
            client.force_login(who)
        detail = client.get(f"/conflicts/{conflict.pk}/")
        listed = "未受理的冲突报告" in client.get("/conflicts/").content.decode()
        seen[who.username if who else "anonymous"] = (detail.status_code, listed)
    assert seen == {
        "ent_user": (200, False),
        "sfj": (200, False),
        "yj_admin": (404, False),
        "fc_street": (404, False),
        other.username: (404, False),
        "anonymous": (404, False),
    }
    client.force_login(justice_user)
    assert "未受理的冲突报告" in client.get("/conflicts/reports/").content.decode()


def test_the_register_is_public_and_shows_both_texts(client):
    conflict = ConflictFactory(requirements=("乙级防火门要求", "甲级防火门要求"))
    page = client.get(f"/conflicts/{conflict.pk}/").content.decode()
    assert "乙级防火门要求" in page and "甲级防火门要求" in page
    assert conflict.topic in client.get("/conflicts/").content.decode()


def test_a_department_concerned_adds_a_statement_and_another_may_not(dept_admin):
    conflict = ConflictFactory(coordinating_department=dept_admin.department)
    conflict_statement(actor=dept_admin, conflict=conflict, text="建议以专项规范为准")
    outsider = UserFactory(role=Role.DEPT_ADMIN, department=DepartmentFactory())
    with pytest.raises(PermissionDenied):
        conflict_statement(actor=outsider, conflict=conflict, text="无关意见")
    assert conflict.events.filter(kind="statement").count() == 1


def test_the_report_form_cites_articles_by_designation_and_number(client, enterprise_user):
    a = ArticleFactory(number="6.2.7", text="乙级")
    b = ArticleFactory(number="5.5.12", text="甲级")
    client.force_login(enterprise_user)
    body = {
        "topic": "水泵房防火门",
        "situation": "新建厂房",
        "document_1": a.version.document.designation,
        "number_1": "6.2.7",
        "text_1": "乙级",
        "document_2": b.version.document.title,
        "number_2": "5.5.12",
        "text_2": "甲级",
    }
    response = client.post("/conflicts/new/", body)
    assert response.status_code == 302
    wrong = client.post("/conflicts/new/", body | {"number_2": "9.9.9"})
    assert wrong.status_code == 200 and "标准库中没有找到" in wrong.content.decode()
