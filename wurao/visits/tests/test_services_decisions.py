"""Decisions on visits (services/decisions.py): the enterprise's rating, override decisions by a
second approver, publishing versions of the rules, and the caps a credit grade brings."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wurao.accounts.choices import Role
from wurao.accounts.scope import Scope
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.credit.points import DEFAULT_TABLE
from wurao.credit.points_json import table_to_dict
from wurao.credit.services_grading import grades_recompute, points_table_publish
from wurao.registry.choices import Level
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory
from wurao.visits import selectors, services
from wurao.visits.choices import CodeState
from wurao.visits.choices import VisitStatus as S
from wurao.visits.models import VisitRating, VisitRefusal
from wurao.visits.rules import DEFAULT_RULES_JSON
from wurao.visits.tests.factories import VisitFactory
from wurao.visits.tests.support import _audited, _reg, _today

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("audit_chain_stays_whole")]


# --- rating -----------------------------------------------------------------------------------


@pytest.fixture
def done(enterprise, department):
    return VisitFactory(enterprise=enterprise, department=department, date=_today())


def test_the_enterprise_rates_a_finished_visit_once_and_no_user_is_stored(done, enterprise_user):
    rating = services.visit_rate(
        actor=enterprise_user,
        visit=done,
        score=4,
        tags=["efficiency", "attitude", "attitude"],
        comment=" 检查人员很专业 ",
    )

    assert (rating.score, rating.tags, rating.comment) == (
        4,
        ["attitude", "efficiency"],
        "检查人员很专业",
    )
    user_links = [
        f.name
        for f in VisitRating._meta.get_fields()
        if f.is_relation and f.related_model and f.related_model._meta.label == "accounts.User"
    ]
    assert user_links == []
    event = AuditEvent.objects.get(verb="visit.rate")
    assert event.payload == {"code": done.code}  # that a rating was made, not what it says
    with pytest.raises(ValidationError, match="已评价"):
        services.visit_rate(actor=enterprise_user, visit=done, score=5)


def test_a_visit_finished_long_ago_is_no_longer_rated(enterprise, department, enterprise_user):
    old = VisitFactory(
        enterprise=enterprise, department=department, date=_today() - datetime.timedelta(days=91)
    )
    recent = VisitFactory(
        enterprise=enterprise, department=department, date=_today() - datetime.timedelta(days=90)
    )

    with pytest.raises(ValidationError, match="只能评价 90 日内结束的入企"):
        services.visit_rate(actor=enterprise_user, visit=old, score=4)

    assert list(selectors.visits_pending_rating(enterprise_id=enterprise.pk)) == [recent]


def test_only_the_visited_enterprise_may_rate(done, dept_admin, justice_user):
    stranger = UserFactory(role=Role.ENTERPRISE, enterprise=EnterpriseFactory())

    for actor in (stranger, dept_admin, justice_user):
        with pytest.raises(PermissionDenied):
            services.visit_rate(actor=actor, visit=done, score=5)
    assert not VisitRating.objects.exists()


def test_a_visit_not_finished_cannot_be_rated(visit, enterprise_user):
    with pytest.raises(ValidationError, match="入企结束后"):
        services.visit_rate(actor=enterprise_user, visit=visit, score=3)


@pytest.mark.parametrize("score", [0, 6, True, "5", 3.5])
def test_a_score_outside_one_to_five_is_refused(done, enterprise_user, score):
    with pytest.raises(ValidationError) as refused:
        services.visit_rate(actor=enterprise_user, visit=done, score=score)

    assert "score" in refused.value.message_dict


def test_an_unknown_tag_is_refused_naming_it(done, enterprise_user):
    with pytest.raises(ValidationError) as refused:
        services.visit_rate(actor=enterprise_user, visit=done, score=3, tags=["attitude", "rude"])

    assert refused.value.message_dict["tags"] == ["未知的评价标签：rude"]


# --- override decisions -----------------------------------------------------------------------


@pytest.fixture
def pending(dept_admin, department, enterprise):
    """A third visit this year by the department, registered with a reason to break the cap."""
    year = _today().year
    for day in (datetime.date(year, 1, 2), datetime.date(year, 1, 3)):
        VisitFactory(enterprise=enterprise, department=department, date=day)
    reg = _reg(enterprise, department, override_reason="群众反映重大隐患，需立即核查")
    return services.visit_register(actor=dept_admin, reg=reg)


def test_an_override_request_is_pending_keeps_the_rules_and_its_code_is_not_valid(pending):
    assert pending.status == S.PENDING_OVERRIDE
    assert [v["rule"] for v in pending.violations] == ["department_cap"]
    assert pending.override_reason == "群众反映重大隐患，需立即核查"
    assert _audited("visit.override_request", pending)
    check = selectors.visit_code_check(raw=pending.code)
    assert check.state == CodeState.PENDING and not check.may_enter


def test_rejecting_an_override_needs_a_reason(pending, department):
    head = UserFactory(role=Role.DEPT_ADMIN, department=department)

    with pytest.raises(ValidationError) as refused:
        services.visit_override_decide(actor=head, visit=pending, approve=False)
    assert "note" in refused.value.message_dict

    rejected = services.visit_override_decide(
        actor=head, visit=pending, approve=False, note="可并入下月双随机抽查"
    )
    assert rejected.status == S.REJECTED and rejected.cancel_reason == "可并入下月双随机抽查"
    assert _audited("visit.override_reject", pending)
    assert selectors.visit_code_check(raw=pending.code).state == CodeState.CANCELLED


def test_the_justice_bureau_may_approve_an_override(pending, justice_user):
    approved = services.visit_override_decide(actor=justice_user, visit=pending, approve=True)

    assert approved.status == S.REGISTERED and approved.override_approved_by == justice_user
    assert approved.override_decided_at is not None
    assert selectors.visit_code_check(raw=pending.code).state == CodeState.VALID
    assert pending in selectors.override_list(scope=Scope(sees_all=True))


def test_another_department_may_not_decide_an_override(pending, other_admin):
    with pytest.raises(PermissionDenied):
        services.visit_override_decide(actor=other_admin, visit=pending, approve=True)


def test_an_inspector_of_the_department_may_not_decide_an_override(pending, inspector):
    with pytest.raises(PermissionDenied):
        services.visit_override_decide(actor=inspector, visit=pending, approve=True)


def test_an_override_is_decided_once(pending, justice_user):
    services.visit_override_decide(actor=justice_user, visit=pending, approve=True)

    with pytest.raises(ValidationError, match="无需审批"):
        services.visit_override_decide(actor=justice_user, visit=pending, approve=False, note="x")


def test_an_approved_override_after_the_fact_is_completed(dept_admin, department, enterprise):
    three_days_ago = _today() - datetime.timedelta(days=3)
    VisitFactory(
        enterprise=enterprise,
        department=DepartmentFactory(),
        departments=[DepartmentFactory(), DepartmentFactory()],
        date=three_days_ago - datetime.timedelta(days=1),
    )  # a joint visit the day before: the quiet period applies
    reg = _reg(
        enterprise,
        department,
        day=three_days_ago,
        late_reason="夜间突发泄漏",
        override_reason="险情处置",
    )
    visit = services.visit_register(actor=dept_admin, reg=reg)
    head = UserFactory(role=Role.DEPT_ADMIN, department=department)

    decided = services.visit_override_decide(actor=head, visit=visit, approve=True)

    assert decided.status == S.COMPLETED and decided.after_the_fact


# --- publishing rules -------------------------------------------------------------------------


def _doc(**changes):
    doc = {
        **DEFAULT_RULES_JSON,
        "limits": {g: dict(v) for g, v in DEFAULT_RULES_JSON["limits"].items()},
    }
    doc.update(changes)
    return doc


def test_only_the_justice_bureau_publishes_rules(dept_admin):
    with pytest.raises(PermissionDenied):
        services.visit_rules_publish(
            actor=dept_admin, doc=_doc(), effective_from=_today(), note="试图放宽"
        )


def test_a_bad_rules_document_is_refused_naming_the_path(justice_user):
    doc = _doc(monthly_quiet_days=[32])
    doc["limits"]["A"]["department_cap"] = -1

    with pytest.raises(ValidationError) as refused:
        services.visit_rules_publish(
            actor=justice_user, doc=doc, effective_from=_today(), note="第二版"
        )

    assert set(refused.value.message_dict) == {"limits.A.department_cap", "monthly_quiet_days[0]"}
    assert selectors.rules_version_current() is None


def test_published_versions_number_up_and_need_a_note_and_an_ordered_date(justice_user):
    first = services.visit_rules_publish(
        actor=justice_user, doc=_doc(), effective_from=_today(), note="首版"
    )
    second = services.visit_rules_publish(
        actor=justice_user,
        doc=_doc(monthly_quiet_days=[1]),
        effective_from=_today(),
        note="每月 1 日为安静日",
    )

    assert (first.version, second.version) == (1, 2)
    assert selectors.rules_current().monthly_quiet_days == (1,)
    assert _audited("visit_rules.publish", second)
    with pytest.raises(ValidationError) as no_note:
        services.visit_rules_publish(actor=justice_user, doc=_doc(), effective_from=_today())
    assert "note" in no_note.value.message_dict
    with pytest.raises(ValidationError) as earlier:
        services.visit_rules_publish(
            actor=justice_user,
            doc=_doc(),
            effective_from=_today() - datetime.timedelta(days=1),
            note="倒签",
        )
    assert "effective_from" in earlier.value.message_dict


def test_a_stricter_department_cap_refuses_what_the_old_rules_allowed(
    justice_user, dept_admin, department, enterprise
):
    # given one visit by the department this year: the default cap (2) allows another
    VisitFactory(enterprise=enterprise, department=department, date=_today())
    reg = _reg(enterprise, department)
    assert services.visit_check(reg=reg) == []

    # when the bureau lowers the cap for ungraded enterprises to 1, from today
    doc = _doc()
    doc["limits"]["U"]["department_cap"] = 1
    services.visit_rules_publish(
        actor=justice_user, doc=doc, effective_from=_today(), note="收紧未评级企业上限"
    )

    # then the same registration is refused under version 1, and the refusal says so
    with pytest.raises(services.VisitRefused) as refused:
        services.visit_register(actor=dept_admin, reg=reg)
    assert "年度上限 1 次" in refused.value.messages[0]
    assert VisitRefusal.objects.get().rule_version == 1


def test_a_new_version_judges_registrations_only_from_its_effective_date(
    justice_user, department, enterprise
):
    # given a street inspection of the same matter 100 days ago (outside the 90-day window)
    street_team = DepartmentFactory(level=Level.STREET)
    VisitFactory(
        enterprise=enterprise,
        department=street_team,
        date=_today() - datetime.timedelta(days=100),
        items=[InspectionItemFactory(department=street_team)],
    )
    tomorrow = _today() + datetime.timedelta(days=1)
    services.visit_rules_publish(
        actor=justice_user,
        doc=_doc(duplicate_window_days=180),
        effective_from=tomorrow,
        note="比对期延长至 180 日",
    )

    today_check = services.visit_check(reg=_reg(enterprise, department))
    tomorrow_check = services.visit_check(reg=_reg(enterprise, department, day=tomorrow))

    assert today_check == []
    assert [v.rule for v in tomorrow_check] == ["duplicate"]


# --- credit grades ----------------------------------------------------------------------------


def _grade_everyone_a(justice_user):
    """A credit table so lenient that every enterprise is graded A, then a regrade."""
    lenient = table_to_dict(DEFAULT_TABLE)
    lenient["thresholds"] = {"A": 0.0, "B": -10.0, "C": -20.0}
    points_table_publish(
        actor=justice_user, table=lenient, effective_from=datetime.date(2020, 1, 1), note="测试"
    )
    grades_recompute(actor=justice_user, as_of=_today())


def test_a_graded_enterprise_gets_the_department_cap_of_its_credit_grade(
    justice_user, dept_admin, department, enterprise
):
    # given one visit by the department this year: allowed again while ungraded (cap 2)
    VisitFactory(enterprise=enterprise, department=department, date=_today())
    assert services.visit_check(reg=_reg(enterprise, department)) == []

    # when the enterprise is graded A (the credit table: one visit a year per department)
    _grade_everyone_a(justice_user)

    # then a second visit by the department is refused
    with pytest.raises(services.VisitRefused) as refused:
        services.visit_register(actor=dept_admin, reg=_reg(enterprise, department))
    assert "达到本部门年度上限 1 次" in refused.value.messages[0]
    counts = selectors.enterprise_counts(enterprise_id=enterprise.pk, year=_today().year)
    assert counts.grade == "A" and counts.limits.department_cap == 1
    assert counts.limits.quiet_days == 180


def test_the_credit_table_cap_wins_over_the_rules_own_cap_for_a_graded_enterprise(
    justice_user, department, enterprise
):
    VisitFactory(enterprise=enterprise, department=department, date=_today())
    doc = _doc()
    doc["limits"]["A"]["department_cap"] = 5
    services.visit_rules_publish(
        actor=justice_user, doc=doc, effective_from=_today(), note="A 级 5 次"
    )

    _grade_everyone_a(justice_user)

    assert [v.rule for v in services.visit_check(reg=_reg(enterprise, department))] == [
        "department_cap"
    ]
    doc["limits_from_credit_table"] = False
    services.visit_rules_publish(
        actor=justice_user, doc=doc, effective_from=_today(), note="不再取计分表"
    )
    assert services.visit_check(reg=_reg(enterprise, department)) == []
