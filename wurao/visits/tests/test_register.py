"""visit_register: the rules judge a registration; refusals name the rule; overrides need a
second approver; retries with the same client id never make a second visit."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.audit.selectors import audit_chain_first_broken
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.registry.choices import Level
from wurao.registry.tests.factories import DepartmentFactory, InspectorFactory
from wurao.visits import services
from wurao.visits.choices import VisitKind, VisitOrigin, VisitStatus
from wurao.visits.models import Visit, VisitRefusal
from wurao.visits.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db


def _registration(enterprise, department, *, day=None, origin=VisitOrigin.PLAN, **extra):
    officers = extra.pop("officers", None) or tuple(
        InspectorFactory.create_batch(2, department=department)
    )
    items = extra.pop("items", None) or (InspectionItemFactory(department=department),)
    today = timezone.localdate()
    return services.Registration(
        enterprise=enterprise,
        kind=VisitKind.INSPECTION,
        department=department,
        day=day or today,
        origin=origin,
        officers=tuple(officers),
        items=tuple(items),
        approver="张科长",
        approval_ref="龙应急审〔2026〕12号",
        approved_on=today,
        **extra,
    )


def test_visit_register_gives_a_code_and_audits_it(dept_admin, department, enterprise):
    visit = services.visit_register(actor=dept_admin, reg=_registration(enterprise, department))

    assert visit.status == VisitStatus.REGISTERED
    assert len(visit.code) == 8
    assert list(visit.departments.all()) == [department]
    assert AuditEvent.objects.filter(verb="visit.register", object_id=str(visit.pk)).exists()


def test_a_new_visit_its_links_and_its_event_are_written_whole_and_chained(
    justice_user, department, enterprise
):
    # given a joint inspection: two departments, an officer pair each, an item each (the
    # bureau's, through the service: a department registers with its own officers only)
    other = DepartmentFactory(name="区消防救援大队")
    officers = (
        *InspectorFactory.create_batch(2, department=department),
        *InspectorFactory.create_batch(2, department=other),
    )
    items = (InspectionItemFactory(department=department), InspectionItemFactory(department=other))
    reg = _registration(enterprise, department, officers=officers, items=items)

    with CaptureQueriesContext(connection) as queries:
        visit = services.visit_register(actor=justice_user, reg=reg)

    # then every link is stored and the audit chain stays whole
    visit = Visit.objects.get(pk=visit.pk)
    assert set(visit.departments.all()) == {department, other}
    assert set(visit.officers.all()) == set(officers)
    assert set(visit.items.all()) == set(items)
    assert visit.registered_at is not None and visit.client_id is None
    assert audit_chain_first_broken() is None
    # and on PostgreSQL the visit, its links and the chain's lock are one statement
    if connection.vendor == "postgresql":
        writes = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"]]
        assert len(writes) == 2  # the visit with its links, the audit event
        assert "pg_advisory_xact_lock" in writes[0]


def test_visit_register_refuses_a_third_visit_by_one_department_in_a_year(
    dept_admin, department, enterprise
):
    # given two visits this year by the department (ungraded: cap 2 per department)
    today = timezone.localdate()
    for day in (datetime.date(today.year, 1, 2), datetime.date(today.year, 1, 3)):
        VisitFactory(enterprise=enterprise, department=department, date=day)

    # when a third routine inspection is registered
    with pytest.raises(services.VisitRefused) as refused:
        services.visit_register(actor=dept_admin, reg=_registration(enterprise, department))

    # then it is refused naming the rule and the exempt origins, and the refusal is kept
    assert [v.rule for v in refused.value.violations] == ["department_cap"]
    assert "年度上限 2 次" in refused.value.messages[0]
    assert "投诉举报" in refused.value.exempt
    assert VisitRefusal.objects.filter(enterprise=enterprise).count() == 1
    assert not Visit.objects.filter(status=VisitStatus.REGISTERED).exists()
    refusal = VisitRefusal.objects.get(enterprise=enterprise)
    assert refusal.refused_by_rules_at is not None
    assert refusal.violations[0]["rule"] == "department_cap"
    event = AuditEvent.objects.get(verb="visit.refuse")
    assert event.object_id == str(refusal.pk) and audit_chain_first_broken() is None


def test_a_complaint_is_exempt_from_the_cap(dept_admin, department, enterprise):
    today = timezone.localdate()
    for day in (datetime.date(today.year, 1, 2), datetime.date(today.year, 1, 3)):
        VisitFactory(enterprise=enterprise, department=department, date=day)

    visit = services.visit_register(
        actor=dept_admin, reg=_registration(enterprise, department, origin=VisitOrigin.COMPLAINT)
    )

    assert visit.status == VisitStatus.REGISTERED


def test_quiet_period_after_a_joint_visit(dept_admin, department, enterprise):
    # given a joint visit ten days ago
    other = DepartmentFactory()
    ten_days_ago = timezone.localdate() - datetime.timedelta(days=10)
    VisitFactory(
        enterprise=enterprise, department=other, departments=[other, department], date=ten_days_ago
    )

    with pytest.raises(services.VisitRefused) as refused:
        services.visit_register(actor=dept_admin, reg=_registration(enterprise, department))

    assert "quiet_period" in [v.rule for v in refused.value.violations]


def test_override_needs_a_second_approver(dept_admin, department, enterprise):
    today = timezone.localdate()
    for day in (datetime.date(today.year, 1, 2), datetime.date(today.year, 1, 3)):
        VisitFactory(enterprise=enterprise, department=department, date=day)
    reg = _registration(enterprise, department, override_reason="群众反映重大隐患，需立即核查")

    visit = services.visit_register(actor=dept_admin, reg=reg)
    assert visit.status == VisitStatus.PENDING_OVERRIDE
    with pytest.raises(ValidationError, match="第二人"):
        services.visit_override_decide(actor=dept_admin, visit=visit, approve=True)

    head = UserFactory(role=Role.DEPT_ADMIN, department=department)
    visit = services.visit_override_decide(actor=head, visit=visit, approve=True)
    assert visit.status == VisitStatus.REGISTERED
    assert visit.override_approved_by == head
    assert AuditEvent.objects.filter(verb="visit.override_approve").exists()


def test_cross_level_duplicate_is_refused_and_offers_to_join(dept_admin, department, enterprise):
    # given a street team has registered a safety inspection under the same article next week
    street_team = DepartmentFactory(level=Level.STREET)
    item = InspectionItemFactory(
        department=street_team, law="中华人民共和国安全生产法", article="第六十五条"
    )
    upcoming = VisitFactory(
        enterprise=enterprise,
        department=street_team,
        date=timezone.localdate() + datetime.timedelta(days=7),
        status=VisitStatus.REGISTERED,
        items=[item],
        origin=VisitOrigin.CAMPAIGN,
    )
    ours = InspectionItemFactory(
        department=department, law="中华人民共和国安全生产法", article="第六十五条"
    )

    with pytest.raises(services.VisitRefused) as refused:
        services.visit_register(
            actor=dept_admin, reg=_registration(enterprise, department, items=(ours,))
        )

    duplicate = next(v for v in refused.value.violations if v.rule == "duplicate")
    assert duplicate.joinable == upcoming.code


def test_a_retry_with_the_same_client_id_returns_the_first_visit(
    dept_admin, department, enterprise
):
    reg = _registration(enterprise, department, client_id=uuid.uuid4())

    first = services.visit_register(actor=dept_admin, reg=reg)
    second = services.visit_register(actor=dept_admin, reg=reg)

    assert first.pk == second.pk
    assert Visit.objects.count() == 1


def test_registration_after_the_fact_needs_a_reason_and_a_limit(dept_admin, department, enterprise):
    three_days_ago = timezone.localdate() - datetime.timedelta(days=3)
    with pytest.raises(ValidationError) as missing:
        services.visit_register(
            actor=dept_admin, reg=_registration(enterprise, department, day=three_days_ago)
        )
    assert "late_reason" in missing.value.message_dict

    with pytest.raises(ValidationError) as too_late:
        services.visit_register(
            actor=dept_admin,
            reg=_registration(
                enterprise,
                department,
                day=timezone.localdate() - datetime.timedelta(days=11),
                late_reason="火情",
            ),
        )
    assert "超过事后补登期限 10 日" in too_late.value.message_dict["day"][0]

    visit = services.visit_register(
        actor=dept_admin,
        reg=_registration(enterprise, department, day=three_days_ago, late_reason="突发火情"),
    )
    assert visit.after_the_fact and visit.status == VisitStatus.COMPLETED


def test_an_inspection_needs_two_officers_and_listed_items(dept_admin, department, enterprise):
    lone = (InspectorFactory(department=department),)
    foreign = (InspectionItemFactory(department=DepartmentFactory()),)

    with pytest.raises(ValidationError) as bad:
        services.visit_register(
            actor=dept_admin,
            reg=_registration(enterprise, department, officers=lone, items=foreign),
        )

    assert "不得少于 2 人" in bad.value.message_dict["officers"][0]
    assert "不在入企部门公布的有效检查事项清单内" in bad.value.message_dict["items"][0]


def test_rules_are_kept_per_process_and_a_new_version_is_seen_at_once(justice_user, settings):
    # given rules cached in this process
    settings.VISIT_RULES_CACHE_SECONDS = 60
    from wurao.visits import selectors
    from wurao.visits.rules import DEFAULT_RULES_JSON

    selectors.rules_cache_clear()
    assert selectors.rules_current().version == 0

    # when the bureau publishes a stricter version in force today
    services.visit_rules_publish(
        actor=justice_user,
        doc={**DEFAULT_RULES_JSON, "min_officers": 3},
        effective_from=timezone.localdate(),
        note="检查须三人",
    )

    # then the next registration is judged by it
    assert selectors.rules_current().min_officers == 3
    selectors.rules_cache_clear()
