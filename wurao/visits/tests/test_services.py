"""The visit services after registration: check-in and check-out, results, cancellation,
joining, rating, override decisions, publishing rules, credit grades; every write audited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from wurao.accounts.choices import Role
from wurao.accounts.scope import Scope
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.audit.selectors import audit_chain_first_broken
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.credit.points import DEFAULT_TABLE
from wurao.credit.points_json import table_to_dict
from wurao.credit.services_grading import grades_recompute, points_table_publish
from wurao.enforcement.choices import ActionKind, Finding
from wurao.enforcement.models import EnforcementAction
from wurao.registry.choices import Level
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, InspectorFactory
from wurao.visits import selectors, services
from wurao.visits.choices import CheckInMethod, CodeState, VisitKind, VisitOrigin, VisitPurpose
from wurao.visits.choices import VisitStatus as S
from wurao.visits.models import Visit, VisitRating, VisitRefusal
from wurao.visits.rules import DEFAULT_RULES_JSON
from wurao.visits.tests.factories import NonEnforcementVisitFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _audit_chain_stays_whole(db):
    yield
    assert audit_chain_first_broken() is None


def _today():
    return timezone.localdate()


def _reg(enterprise, department, *, day=None, origin=VisitOrigin.PLAN, **extra):
    officers = extra.pop("officers", None) or tuple(
        InspectorFactory.create_batch(2, department=department)
    )
    items = extra.pop("items", None) or (InspectionItemFactory(department=department),)
    return services.Registration(
        enterprise=enterprise,
        kind=VisitKind.INSPECTION,
        department=department,
        day=day or _today(),
        origin=origin,
        officers=tuple(officers),
        items=tuple(items),
        approver="张科长",
        approval_ref="龙应急审〔2026〕12号",
        approved_on=_today(),
        **extra,
    )


def _audited(verb, obj) -> bool:
    return AuditEvent.objects.filter(verb=verb, object_id=str(obj.pk)).exists()


@pytest.fixture
def visit(dept_admin, department, enterprise):
    """Today's inspection of the enterprise by the department, registered and approved."""
    return services.visit_register(actor=dept_admin, reg=_reg(enterprise, department))


@pytest.fixture
def inspector(department):
    return UserFactory(username="yj_officer", role=Role.INSPECTOR, department=department)


@pytest.fixture
def other_admin():
    return UserFactory(role=Role.DEPT_ADMIN, department=DepartmentFactory(name="区市场监管局"))


# --- check-in ---------------------------------------------------------------------------------


def test_check_in_by_the_credit_code_starts_the_visit_and_is_audited(visit, inspector, enterprise):
    checked = services.visit_check_in(
        actor=inspector,
        visit=visit,
        method=CheckInMethod.CREDIT_CODE,
        scanned=f"  {enterprise.credit_code.lower()} ",
    )

    assert checked.status == S.IN_PROGRESS
    assert checked.checked_in_at is not None
    assert checked.check_in_method == CheckInMethod.CREDIT_CODE
    assert _audited("visit.check_in", visit)
    assert selectors.visit_code_check(raw=visit.code).state == CodeState.IN_PROGRESS


@pytest.mark.parametrize("trailing", ["", "/"])
def test_check_in_by_scanning_the_enterprise_code_reads_the_url(
    visit, inspector, enterprise, trailing
):
    url = f"https://wurao.example/e/{enterprise.credit_code}{trailing}"

    checked = services.visit_check_in(
        actor=inspector, visit=visit, method=CheckInMethod.SCAN, scanned=url
    )

    assert checked.status == S.IN_PROGRESS


def test_the_credit_code_is_read_from_whatever_the_scan_or_the_officer_gave(enterprise):
    code = enterprise.credit_code

    assert services.credit_code_read(f"  {code.lower()} ") == code
    assert services.credit_code_read(f"https://www.gsxt.gov.cn/?uniscid={code}&x=1") == code
    assert services.credit_code_read(f"统一社会信用代码：{code}") == code
    # not a valid code: what was read is kept for the refusal to show
    assert services.credit_code_read("https://example.com/e/ABC123/") == "ABC123"
    assert services.credit_code_read(code[:-1] + ("0" if code[-1] != "0" else "1")) != code


def test_check_in_with_no_credit_code_in_what_was_scanned_says_so(visit, inspector):
    with pytest.raises(ValidationError, match="中没有有效的统一社会信用代码") as refused:
        services.visit_check_in(
            actor=inspector, visit=visit, method=CheckInMethod.SCAN, scanned="hello world"
        )

    assert "scanned" in refused.value.message_dict
    visit.refresh_from_db()
    assert visit.status == S.REGISTERED


def test_check_in_at_the_wrong_enterprise_is_refused_and_changes_nothing(visit, inspector):
    elsewhere = EnterpriseFactory()

    with pytest.raises(ValidationError) as refused:
        services.visit_check_in(
            actor=inspector,
            visit=visit,
            method=CheckInMethod.CREDIT_CODE,
            scanned=elsewhere.credit_code,
        )

    assert "不是登记的企业" in refused.value.message_dict["scanned"][0]
    visit.refresh_from_db()
    assert visit.status == S.REGISTERED and visit.checked_in_at is None
    assert not AuditEvent.objects.filter(verb="visit.check_in").exists()


def test_check_in_on_another_day_than_registered_is_refused(dept_admin, department, enterprise):
    tomorrow = _today() + datetime.timedelta(days=1)
    visit = services.visit_register(
        actor=dept_admin, reg=_reg(enterprise, department, day=tomorrow)
    )

    with pytest.raises(ValidationError, match="只能在当天签到"):
        services.visit_check_in(
            actor=dept_admin,
            visit=visit,
            method=CheckInMethod.CREDIT_CODE,
            scanned=enterprise.credit_code,
        )


@pytest.mark.parametrize("status", [S.PENDING_OVERRIDE, S.IN_PROGRESS, S.COMPLETED, S.CANCELLED])
def test_check_in_of_a_visit_not_waiting_to_start_is_refused(
    dept_admin, department, enterprise, status
):
    visit = VisitFactory(enterprise=enterprise, department=department, date=_today(), status=status)

    with pytest.raises(ValidationError, match="不能签到"):
        services.visit_check_in(
            actor=dept_admin,
            visit=visit,
            method=CheckInMethod.CREDIT_CODE,
            scanned=enterprise.credit_code,
        )


def test_check_in_by_a_department_not_on_the_visit_is_refused(visit, other_admin, enterprise):
    with pytest.raises(PermissionDenied):
        services.visit_check_in(
            actor=other_admin,
            visit=visit,
            method=CheckInMethod.CREDIT_CODE,
            scanned=enterprise.credit_code,
        )


def test_the_enterprise_cannot_check_a_visit_in(visit, enterprise_user, enterprise):
    with pytest.raises(PermissionDenied):
        services.visit_check_in(
            actor=enterprise_user,
            visit=visit,
            method=CheckInMethod.CREDIT_CODE,
            scanned=enterprise.credit_code,
        )


def test_check_in_needs_a_known_method(visit, inspector, enterprise):
    with pytest.raises(ValidationError) as refused:
        services.visit_check_in(
            actor=inspector, visit=visit, method="telepathy", scanned=enterprise.credit_code
        )

    assert "method" in refused.value.message_dict


# --- check-out --------------------------------------------------------------------------------


def test_check_out_before_check_in_is_refused(visit, inspector):
    with pytest.raises(ValidationError, match="已签到"):
        services.visit_check_out(actor=inspector, visit=visit)


def test_check_out_completes_the_visit_and_is_audited(visit, inspector, enterprise):
    services.visit_check_in(
        actor=inspector, visit=visit, method=CheckInMethod.SCAN, scanned=enterprise.credit_code
    )

    done = services.visit_check_out(actor=inspector, visit=visit)

    assert done.status == S.COMPLETED and done.checked_out_at >= done.checked_in_at
    assert _audited("visit.check_out", visit)
    assert selectors.visit_code_check(raw=visit.code).state == CodeState.COMPLETED


def test_check_out_by_a_department_not_on_the_visit_is_refused(
    visit, inspector, other_admin, enterprise
):
    services.visit_check_in(
        actor=inspector, visit=visit, method=CheckInMethod.SCAN, scanned=enterprise.credit_code
    )

    with pytest.raises(PermissionDenied):
        services.visit_check_out(actor=other_admin, visit=visit)


# --- results ----------------------------------------------------------------------------------


def _started(visit, actor):
    return services.visit_check_in(
        actor=actor,
        visit=visit,
        method=CheckInMethod.CREDIT_CODE,
        scanned=visit.enterprise.credit_code,
    )


def test_results_before_check_in_are_refused(visit, inspector, department):
    with pytest.raises(ValidationError, match="签到后"):
        services.visit_result_record(
            actor=inspector, visit=visit, department=department, kind=ActionKind.INSPECTION
        )


def test_results_become_an_enforcement_action_linked_to_the_visit(visit, inspector, department):
    _started(visit, inspector)

    action = services.visit_result_record(
        actor=inspector,
        visit=visit,
        department=department,
        kind=ActionKind.INSPECTION,
        finding=Finding.CLEAN,
        summary="未发现问题",
    )

    assert action.visit == visit and action.enterprise == visit.enterprise
    assert action.date == visit.date and action.origin == "plan"
    # the department's items and officers on the visit are taken by default
    assert set(action.items.all()) == set(visit.items.all())
    assert set(action.officers.all()) == set(visit.officers.all())
    assert _audited("enforcement_action.record", action)


def test_a_second_result_of_the_same_kind_is_refused_and_a_correction_replaces_it(
    visit, inspector, department, other_admin
):
    # given the department's inspection result: a problem found
    _started(visit, inspector)
    first = services.visit_result_record(
        actor=inspector,
        visit=visit,
        department=department,
        kind=ActionKind.INSPECTION,
        finding=Finding.PROBLEMS,
        summary="消防通道堵塞",
    )

    # a second inspection result would contradict it: refused, naming the first
    with pytest.raises(ValidationError, match="已录入本次入企的行政检查结果（发现问题）"):
        services.visit_result_record(
            actor=inspector,
            visit=visit,
            department=department,
            kind=ActionKind.INSPECTION,
            finding=Finding.CLEAN,
        )
    # a penalty on the same visit is another kind of result, and is kept
    services.visit_result_record(
        actor=inspector, visit=visit, department=department, kind=ActionKind.PENALTY, severity=1
    )

    # another department may not correct it; an unchanged correction is refused
    with pytest.raises(PermissionDenied):
        services.visit_result_correct(
            actor=other_admin,
            visit=visit,
            action=first,
            finding=Finding.CLEAN,
            summary="",
            reason="x",
        )
    with pytest.raises(ValidationError, match="没有改动"):
        services.visit_result_correct(
            actor=inspector,
            visit=visit,
            action=first,
            finding=Finding.PROBLEMS,
            summary="消防通道堵塞",
            reason="复核",
        )

    # the department corrects it with a reason: still one inspection action, audited
    services.visit_result_correct(
        actor=inspector,
        visit=visit,
        action=first,
        finding=Finding.CLEAN,
        summary="",
        reason="录入时选错结果",
    )
    first.refresh_from_db()
    assert first.finding == Finding.CLEAN
    assert visit.actions.filter(kind=ActionKind.INSPECTION).count() == 1
    event = AuditEvent.objects.get(verb="enforcement_action.correct", object_id=str(first.pk))
    assert event.payload["before"]["finding"] == Finding.PROBLEMS


def test_a_joint_visit_keeps_each_department_result_and_counts_once(enterprise, department):
    # given a joint visit by two departments, checked in
    market = DepartmentFactory(name="区市场监管局")
    officers = InspectorFactory.create_batch(2, department=department) + (
        InspectorFactory.create_batch(2, department=market)
    )
    items = [InspectionItemFactory(department=department), InspectionItemFactory(department=market)]
    joint = VisitFactory(
        enterprise=enterprise,
        department=department,
        departments=[department, market],
        origin=VisitOrigin.JOINT,
        date=_today(),
        status=S.IN_PROGRESS,
        officers=officers,
        items=items,
    )
    ours = UserFactory(role=Role.INSPECTOR, department=department)
    theirs = UserFactory(role=Role.INSPECTOR, department=market)

    # when each department records what it found
    first = services.visit_result_record(
        actor=ours, visit=joint, department=department, kind=ActionKind.INSPECTION
    )
    second = services.visit_result_record(
        actor=theirs, visit=joint, department=market, kind=ActionKind.PENALTY, severity=1
    )

    # then the file has two actions on one visit, each with its own items; the year counts one visit
    assert set(EnforcementAction.objects.filter(visit=joint)) == {first, second}
    assert list(first.items.all()) == [items[0]] and list(second.items.all()) == [items[1]]
    assert first.origin == "joint"  # the visit's origin, as the enforcement record has it
    counts = selectors.enterprise_counts(enterprise_id=enterprise.pk, year=_today().year)
    assert counts.inspections == 1
    assert {(c.department, c.used) for c in counts.by_department} == {
        (department.name, 1),
        (market.name, 1),
    }


def test_results_for_a_department_not_on_the_visit_are_refused(visit, inspector, justice_user):
    _started(visit, inspector)
    absent = DepartmentFactory()

    with pytest.raises(ValidationError) as refused:
        services.visit_result_record(
            actor=justice_user, visit=visit, department=absent, kind=ActionKind.INSPECTION
        )

    assert "没有参加本次入企" in refused.value.message_dict["department"][0]


def test_results_in_another_department_name_are_refused(visit, inspector, department, other_admin):
    _started(visit, inspector)

    with pytest.raises(PermissionDenied):
        services.visit_result_record(
            actor=other_admin, visit=visit, department=department, kind=ActionKind.INSPECTION
        )
    assert not EnforcementAction.objects.exists()


def test_a_non_enforcement_visit_has_no_results(justice_user, enterprise):
    union = NonEnforcementVisitFactory(enterprise=enterprise, date=_today())

    with pytest.raises(ValidationError, match="非执法入企没有检查结果"):
        services.visit_result_record(
            actor=justice_user, visit=union, department=union.department, kind=ActionKind.INSPECTION
        )


# --- cancellation -----------------------------------------------------------------------------


def test_cancel_needs_a_reason(visit, dept_admin):
    with pytest.raises(ValidationError) as refused:
        services.visit_cancel(actor=dept_admin, visit=visit, reason="  ")

    assert "reason" in refused.value.message_dict
    visit.refresh_from_db()
    assert visit.status == S.REGISTERED


def test_a_cancelled_visit_says_so_and_no_longer_counts(dept_admin, department, enterprise):
    # given the department has used its two visits of the year, one of them still to come
    year_start = datetime.date(_today().year, 1, 2)
    VisitFactory(enterprise=enterprise, department=department, date=year_start)
    upcoming = services.visit_register(actor=dept_admin, reg=_reg(enterprise, department))

    cancelled = services.visit_cancel(actor=dept_admin, visit=upcoming, reason="企业停产")

    assert cancelled.status == S.CANCELLED and cancelled.cancel_reason == "企业停产"
    assert _audited("visit.cancel", upcoming)
    assert selectors.visit_code_check(raw=upcoming.code).state == CodeState.CANCELLED
    # the cancelled visit frees the cap again
    again = services.visit_register(actor=dept_admin, reg=_reg(enterprise, department))
    assert again.status == S.REGISTERED


def test_a_visit_that_has_started_cannot_be_cancelled(visit, inspector, dept_admin):
    _started(visit, inspector)

    with pytest.raises(ValidationError, match="尚未开始"):
        services.visit_cancel(actor=dept_admin, visit=visit, reason="弄错了")


def test_only_the_lead_department_cancels_a_joint_visit(confirmed, street_team, dept_admin):
    team_admin = UserFactory(role=Role.DEPT_ADMIN, department=street_team)

    with pytest.raises(PermissionDenied, match="只能由牵头单位"):
        services.visit_cancel(actor=team_admin, visit=confirmed, reason="人手不足")
    confirmed.refresh_from_db()
    assert confirmed.status == S.REGISTERED

    services.visit_cancel(actor=dept_admin, visit=confirmed, reason="企业停产")
    confirmed.refresh_from_db()
    assert confirmed.status == S.CANCELLED


def test_another_department_cannot_cancel_a_visit(visit, other_admin):
    with pytest.raises(PermissionDenied):
        services.visit_cancel(actor=other_admin, visit=visit, reason="不想让他们去")


# --- joining a visit --------------------------------------------------------------------------


@pytest.fixture
def street_team():
    return DepartmentFactory(name="福城街道综合执法队", level=Level.STREET)


def test_another_level_joins_an_upcoming_visit_with_its_officers_and_items(
    dept_admin, department, enterprise, street_team
):
    tomorrow = _today() + datetime.timedelta(days=1)
    visit = services.visit_register(
        actor=dept_admin, reg=_reg(enterprise, department, day=tomorrow)
    )
    team_admin = UserFactory(role=Role.DEPT_ADMIN, department=street_team)
    officers = InspectorFactory.create_batch(2, department=street_team)
    item = InspectionItemFactory(department=street_team, name="消防安全检查")

    joined = services.visit_join(
        actor=team_admin, visit=visit, department=street_team, officers=officers, items=[item]
    )

    assert set(joined.departments.all()) == {department, street_team}
    assert set(officers) <= set(joined.officers.all())
    assert item in joined.items.all()
    assert joined.is_joint
    assert _audited("visit.join", visit)
    # still one visit for the enterprise
    assert Visit.objects.filter(enterprise=enterprise).count() == 1


def test_joining_needs_the_joining_department_own_officers_and_items(
    visit, street_team, justice_user
):
    lone = InspectorFactory(department=street_team)
    foreign = InspectionItemFactory()

    with pytest.raises(ValidationError) as refused:
        services.visit_join(
            actor=justice_user,
            visit=visit,
            department=street_team,
            officers=[lone],
            items=[foreign],
        )

    assert "officers" in refused.value.message_dict and "items" in refused.value.message_dict
    assert list(visit.departments.all()) == [visit.department]


def test_a_completed_visit_cannot_be_joined(enterprise, department, street_team, justice_user):
    done = VisitFactory(enterprise=enterprise, department=department, date=_today())

    with pytest.raises(ValidationError, match="尚未开始"):
        services.visit_join(
            actor=justice_user,
            visit=done,
            department=street_team,
            officers=InspectorFactory.create_batch(2, department=street_team),
            items=[InspectionItemFactory(department=street_team)],
        )


def test_a_visit_whose_day_has_passed_cannot_be_joined(
    enterprise, department, street_team, justice_user
):
    stale = VisitFactory(
        enterprise=enterprise,
        department=department,
        date=_today() - datetime.timedelta(days=2),
        status=S.REGISTERED,
    )

    with pytest.raises(ValidationError, match="已过"):
        services.visit_join(
            actor=justice_user,
            visit=stale,
            department=street_team,
            officers=InspectorFactory.create_batch(2, department=street_team),
            items=[InspectionItemFactory(department=street_team)],
        )


def test_only_a_department_own_people_join_in_its_name(visit, street_team, dept_admin):
    with pytest.raises(PermissionDenied):
        services.visit_join(
            actor=dept_admin,
            visit=visit,
            department=street_team,
            officers=InspectorFactory.create_batch(2, department=street_team),
            items=[InspectionItemFactory(department=street_team)],
        )


# --- staffing a joint visit the street confirmed ----------------------------------------------


@pytest.fixture
def confirmed(enterprise, department, street_team):
    """A joint visit tomorrow as the street confirms it from the plans: no officers, no approval."""
    return VisitFactory(
        enterprise=enterprise,
        department=department,
        departments=[department, street_team],
        origin=VisitOrigin.JOINT,
        date=_today() + datetime.timedelta(days=1),
        status=S.REGISTERED,
        officers=[],
        approver="",
        approval_ref="",
        approved_on=None,
    )


def _staff(visit, department, actor, **approval):
    officers = InspectorFactory.create_batch(2, department=department)
    services.visit_staff(
        actor=actor, visit=visit, department=department, officers=officers, **approval
    )
    return officers


def test_a_confirmed_joint_visit_is_not_ready_until_each_department_names_officers(
    confirmed, department, street_team, dept_admin
):
    lead_approval = {
        "approver": "张科长",
        "approval_ref": "龙应急审〔2026〕30号",
        "approved_on": _today(),
    }

    # before: the code tells the enterprise the visit lacks its officers and its approval
    tomorrow = confirmed.date
    unready = selectors.visit_unready(confirmed)
    assert any("审批" in m for m in unready) and any(street_team.name in m for m in unready)
    assert (
        selectors.visit_code_check(raw=confirmed.code, today=tomorrow).state == CodeState.INCOMPLETE
    )

    # the lead names its officers with the approval, the street team its own
    ours = _staff(confirmed, department, dept_admin, **lead_approval)
    team_admin = UserFactory(role=Role.DEPT_ADMIN, department=street_team)
    theirs = _staff(confirmed, street_team, team_admin)

    confirmed.refresh_from_db()
    assert set(confirmed.officers.all()) == set(ours) | set(theirs)
    assert (confirmed.approver, confirmed.approved_on) == ("张科长", _today())
    assert selectors.visit_unready(confirmed) == []
    assert selectors.visit_code_check(raw=confirmed.code, today=tomorrow).state == CodeState.VALID
    events = AuditEvent.objects.filter(verb="visit.staff", object_id=str(confirmed.pk))
    assert events.count() == 2
    assert events.order_by("pk").first().payload["approval_ref"] == "龙应急审〔2026〕30号"


def test_naming_officers_again_replaces_only_the_department_own(
    confirmed, department, street_team, justice_user
):
    approval = {"approver": "张科长", "approval_ref": "审〔2026〕1号", "approved_on": _today()}
    _staff(confirmed, department, justice_user, **approval)
    theirs = _staff(confirmed, street_team, justice_user)

    amended = {**approval, "approval_ref": "审〔2026〕2号"}
    again = _staff(confirmed, department, justice_user, **amended)

    # the lead's officers are replaced, the other department's kept, the approval amended
    assert set(confirmed.officers.all()) == set(again) | set(theirs)
    confirmed.refresh_from_db()
    assert confirmed.approval_ref == "审〔2026〕2号"
    # another department does not fill in the approval
    with pytest.raises(ValidationError, match="审批由牵头单位"):
        _staff(confirmed, street_team, justice_user, **approval)


def test_staffing_is_refused_naming_the_field(confirmed, department, street_team, justice_user):
    lone = InspectorFactory(department=department)
    stranger = InspectorFactory(department=street_team)

    with pytest.raises(ValidationError) as too_few:
        services.visit_staff(
            actor=justice_user, visit=confirmed, department=department, officers=[lone]
        )
    with pytest.raises(ValidationError) as foreign:
        services.visit_staff(
            actor=justice_user,
            visit=confirmed,
            department=department,
            officers=[lone, stranger],
            approver="张科长",
            approval_ref="审〔2026〕1号",
            approved_on=_today() + datetime.timedelta(days=1),
        )

    # too few officers, and each part of the lead's approval missing
    assert set(too_few.value.message_dict) == {
        "officers",
        "approver",
        "approval_ref",
        "approved_on",
    }
    # an officer of another department, and an approval dated after today
    assert (
        f"{stranger.name}（{stranger.badge_no}） 不是{department.name}"
        in (foreign.value.message_dict["officers"][0])
    )
    assert "晚于今天" in foreign.value.message_dict["approved_on"][0]
    assert (
        not confirmed.officers.exists()
        and not AuditEvent.objects.filter(verb="visit.staff").exists()
    )


def test_only_a_department_on_the_visit_names_officers_in_its_own_name(
    confirmed, department, dept_admin, other_admin
):
    outsider = other_admin.department
    with pytest.raises(PermissionDenied):
        _staff(confirmed, department, other_admin)
    with pytest.raises(ValidationError, match="不是本次入企的入企单位"):
        _staff(confirmed, outsider, other_admin)


def test_a_visit_lacking_officers_or_approval_cannot_check_in(confirmed, enterprise, justice_user):
    Visit.objects.filter(pk=confirmed.pk).update(date=_today())
    confirmed.refresh_from_db()

    with pytest.raises(ValidationError, match="签到前须备齐") as refused:
        services.visit_check_in(
            actor=justice_user,
            visit=confirmed,
            method=CheckInMethod.CREDIT_CODE,
            scanned=enterprise.credit_code,
        )

    assert len(refused.value.messages) == 3  # the approval, and each department's officers
    confirmed.refresh_from_db()
    assert confirmed.status == S.REGISTERED


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


# --- registration details not covered by test_register ----------------------------------------


def test_a_non_enforcement_visit_is_registered_lightly_and_not_judged_by_the_caps(
    justice_user, enterprise
):
    union = DepartmentFactory(name="区总工会", level=Level.DISTRICT, is_enforcement=False)
    year = _today().year
    for day in (datetime.date(year, 1, 2), datetime.date(year, 1, 3), datetime.date(year, 1, 4)):
        NonEnforcementVisitFactory(enterprise=enterprise, department=union, date=day)

    visit = services.visit_register(
        actor=justice_user,
        reg=services.Registration(
            enterprise=enterprise,
            kind=VisitKind.NON_ENFORCEMENT,
            department=union,
            day=_today(),
            purpose=VisitPurpose.UNION,
            note="职工之家建设走访",
        ),
    )

    assert visit.kind == VisitKind.NON_ENFORCEMENT and visit.status == S.REGISTERED
    assert visit.origin == "" and visit.purpose == VisitPurpose.UNION


def test_a_non_enforcement_visit_needs_a_purpose_and_a_note(justice_user, enterprise):
    union = DepartmentFactory(is_enforcement=False)

    with pytest.raises(ValidationError) as refused:
        services.visit_register(
            actor=justice_user,
            reg=services.Registration(
                enterprise=enterprise,
                kind=VisitKind.NON_ENFORCEMENT,
                department=union,
                day=_today(),
            ),
        )

    assert set(refused.value.message_dict) == {"purpose", "note"}


def test_an_organisation_without_enforcement_power_cannot_register_an_inspection(
    justice_user, enterprise
):
    union = DepartmentFactory(name="区妇联", is_enforcement=False)

    with pytest.raises(ValidationError) as refused:
        services.visit_register(actor=justice_user, reg=_reg(enterprise, union))

    assert "不是执法主体" in refused.value.message_dict["department"][0]


def test_officers_must_be_on_duty_with_a_valid_certificate(dept_admin, department, enterprise):
    expired = InspectorFactory(
        department=department,
        name="李四",
        certificate_valid_until=_today() - datetime.timedelta(days=1),
    )
    retired = InspectorFactory(department=department, name="王五", active=False)

    with pytest.raises(ValidationError) as refused:
        services.visit_register(
            actor=dept_admin, reg=_reg(enterprise, department, officers=(expired, retired))
        )

    message = refused.value.message_dict["officers"][0]
    assert (
        "李四" in message
        and "早于入企日期" in message
        and "王五" in message
        and "不在岗" in message
    )
    # and neither counts towards the two officers a department must send
    assert "不得少于 2 人" in message


def test_an_inspection_needs_the_department_head_approval(dept_admin, department, enterprise):
    reg = _reg(enterprise, department)
    unapproved = services.Registration(**{**reg.__dict__, "approver": "", "approval_ref": ""})
    # approved on a day still to come, though before the visit: approval comes first
    ahead = _reg(enterprise, department, day=_today() + datetime.timedelta(days=10))
    late_approval = services.Registration(
        **{**ahead.__dict__, "approved_on": _today() + datetime.timedelta(days=5)}
    )

    with pytest.raises(ValidationError) as missing:
        services.visit_register(actor=dept_admin, reg=unapproved)
    with pytest.raises(ValidationError) as late:
        services.visit_register(actor=dept_admin, reg=late_approval)

    assert "approver" in missing.value.message_dict
    assert "approved_on" in late.value.message_dict


def test_an_inactive_item_cannot_be_inspected(dept_admin, department, enterprise):
    withdrawn = InspectionItemFactory(department=department, active=False)

    with pytest.raises(ValidationError) as refused:
        services.visit_register(
            actor=dept_admin, reg=_reg(enterprise, department, items=(withdrawn,))
        )

    assert withdrawn.code in refused.value.message_dict["items"][0]


def test_a_visit_more_than_three_months_ahead_is_refused(dept_admin, department, enterprise):
    far = _today() + datetime.timedelta(days=93)

    with pytest.raises(ValidationError) as refused:
        services.visit_register(actor=dept_admin, reg=_reg(enterprise, department, day=far))

    assert "3 个月内" in refused.value.message_dict["day"][0]


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


# --- the audit trail --------------------------------------------------------------------------


def test_a_whole_visit_leaves_an_audit_trail_that_verifies(
    visit, inspector, department, enterprise_user, capsys
):
    _started(visit, inspector)
    services.visit_result_record(
        actor=inspector, visit=visit, department=department, kind=ActionKind.INSPECTION
    )
    services.visit_check_out(actor=inspector, visit=visit)
    services.visit_rate(actor=enterprise_user, visit=visit, score=5)

    verbs = list(AuditEvent.objects.order_by("seq").values_list("verb", flat=True))
    assert verbs == [
        "visit.register",
        "visit.check_in",
        "enforcement_action.record",
        "visit.check_out",
        "visit.rate",
    ]
    call_command("audit_verify")
    assert "全部校验通过" in capsys.readouterr().out
