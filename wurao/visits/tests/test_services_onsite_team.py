"""Who goes on a visit (services/onsite.py): cancelling it, another level joining it, and each
department naming its officers (and the lead its approval) for a joint visit the street confirmed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.registry.choices import Level
from wurao.registry.tests.factories import DepartmentFactory, InspectorFactory
from wurao.visits import selectors, services
from wurao.visits.choices import CheckInMethod, CodeState, VisitOrigin
from wurao.visits.choices import VisitStatus as S
from wurao.visits.models import Visit
from wurao.visits.tests.factories import VisitFactory
from wurao.visits.tests.support import _audited, _reg, _started, _today

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("audit_chain_stays_whole")]


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
