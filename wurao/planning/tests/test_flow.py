"""A month from plans to confirmed joint visits with results, through the services."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.selectors import audit_chain_first_broken
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.enforcement.models import EnforcementAction
from wurao.planning import services, services_coordination, services_park_days
from wurao.planning.choices import EntryStatus, ItemResult, JointVisitStatus, ParkDayStatus
from wurao.planning.models import JointVisit
from wurao.registry.choices import Level, SizeClass
from wurao.registry.tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    ParkFactory,
)
from wurao.visits.choices import VisitOrigin, VisitStatus

# Plans for March 2027 are filed ahead: written for a day before their deadline (25 February).
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-07")]

MONTH = datetime.date(2027, 3, 1)  # plans are filed ahead; March 2027 has 23 working days


@pytest.fixture
def city(street):
    """Two district departments and a street team, each with an admin and a catalogue item."""
    made = {}
    for code, level in (("SCJG", Level.DISTRICT), ("STHJ", Level.DISTRICT), ("JD", Level.STREET)):
        department = DepartmentFactory(code=code, level=level)
        admin = UserFactory(role=Role.DEPT_ADMIN, department=department)
        item = InspectionItemFactory(department=department, law=f"{code}条例", article="第十条")
        made[code] = (department, admin, item)
    return made


def _plan(city, code, enterprise, first, last, **kw):
    department, admin, item = city[code]
    return services.plan_entry_add(
        actor=admin,
        department=department,
        month=MONTH,
        enterprise=enterprise,
        items=kw.pop("items", [item]),
        earliest=datetime.date(2027, 3, first),
        latest=datetime.date(2027, 3, last),
        **kw,
    )


def test_a_month_goes_from_plans_to_one_joint_visit_with_its_form(city, street, street_user):
    # given two departments planning the same enterprise with overlapping windows
    enterprise = EnterpriseFactory(street=street, size_class=SizeClass.MEDIUM)
    _plan(city, "SCJG", enterprise, 1, 12)
    _plan(city, "STHJ", enterprise, 8, 20)

    # when the street coordinator schedules the month
    run = services.schedule_run(actor=street_user, month=MONTH, time_limit=5, deterministic=True)

    # then one visit is proposed instead of two, on a day inside both windows
    assert (run.planned, run.visits, run.lower_bound) == (2, 1, 1)
    proposal = JointVisit.objects.get()
    assert datetime.date(2027, 3, 8) <= proposal.date <= datetime.date(2027, 3, 12)

    # when the coordinator confirms it
    confirmed = services_coordination.joint_visit_confirm(actor=street_user, visit=proposal)

    # then it is one registered Visit with both departments and a code
    assert confirmed.status == JointVisitStatus.CONFIRMED
    visit = confirmed.visit
    assert visit.origin == VisitOrigin.JOINT and visit.status == VisitStatus.REGISTERED
    assert visit.departments.count() == 2

    # when each department records its part of the consolidated form after the visit
    visit.status = VisitStatus.COMPLETED
    visit.save()
    for code in ("SCJG", "STHJ"):
        department, admin, item = city[code]
        services_coordination.form_results_record(
            actor=admin,
            visit=confirmed,
            department=department,
            results=[
                {
                    "item": item,
                    "result": ItemResult.FAIL if code == "STHJ" else ItemResult.PASS,
                    "finding": "未办理排污登记" if code == "STHJ" else "",
                    "rectification": "十日内补办排污登记" if code == "STHJ" else "",
                }
            ],
        )

    # then both are enforcement actions on the one visit, and the chain holds
    actions = EnforcementAction.objects.filter(visit=visit)
    assert actions.count() == 2
    assert sorted(actions.values_list("finding", flat=True)) == ["clean", "problems"]
    assert audit_chain_first_broken() is None


def test_the_lower_level_duplicate_is_flagged_for_withdrawal(city, street, justice_user):
    enterprise = EnterpriseFactory(street=street)
    district_department, _, district_item = city["SCJG"]
    street_department, street_admin, _ = city["JD"]
    same_matter = InspectionItemFactory(
        department=street_department, law=district_item.law, article=district_item.article
    )
    high = _plan(city, "SCJG", enterprise, 1, 12)
    low = _plan(city, "JD", enterprise, 1, 12, items=[same_matter])

    assert services.duplicates_flag(actor=justice_user, month=MONTH) == 1

    low.refresh_from_db()
    high.refresh_from_db()
    assert low.status == EntryStatus.DUPLICATE and "建议撤回" in low.status_note
    assert high.status == EntryStatus.ACTIVE


def test_a_campaign_must_be_approved_and_published_before_it_is_planned(city, street):
    department, admin, _ = city["SCJG"]
    enterprise = EnterpriseFactory(street=street)
    campaign = services.campaign_register(
        actor=admin,
        department=department,
        title="燃气安全专项检查",
        scope="餐饮场所燃气使用",
        starts_on=datetime.date(2027, 3, 1),
        ends_on=datetime.date(2027, 3, 31),
        approver="区人民政府",
        document_no="龙府办〔2027〕3号",
        approved_on=datetime.date(2027, 2, 20),
    )

    with pytest.raises(ValidationError) as unpublished:
        _plan(city, "SCJG", enterprise, 1, 12, origin="campaign", campaign=campaign)
    assert "尚未公布" in unpublished.value.message_dict["campaign"][0]

    services.campaign_publish(actor=admin, campaign=campaign)
    entry = _plan(city, "SCJG", enterprise, 1, 12, origin="campaign", campaign=campaign)
    assert entry.campaign == campaign


def test_a_move_that_breaks_a_window_is_refused_with_the_reason(city, street, street_user):
    enterprise = EnterpriseFactory(street=street)
    _plan(city, "SCJG", enterprise, 1, 5)
    services.schedule_run(actor=street_user, month=MONTH, time_limit=5)
    proposal = JointVisit.objects.get()

    with pytest.raises(ValidationError) as refused:
        services_coordination.joint_visit_move(
            actor=street_user, visit=proposal, day=datetime.date(2027, 3, 15)
        )

    assert "检查窗口为 2027-03-01 至 2027-03-05" in refused.value.message_dict["date"][0]


def test_a_park_day_draws_a_park_anyone_can_recompute(street, street_user):
    parks = [ParkFactory(street=street) for _ in range(4)]
    departments = [DepartmentFactory(), DepartmentFactory()]
    services_park_days.park_day_setting_set(actor=street_user, street=street, weekday=2)
    day = datetime.date(2027, 3, 3)  # a Wednesday

    committed = services_park_days.park_day_commit(
        actor=street_user,
        street=street,
        day=day,
        departments=departments,
        observers=[{"name": "李代表", "role": "npc"}],
    )
    drawn = services_park_days.park_day_draw(
        actor=street_user, park_day=committed, external_entropy="骰子 6-2-5", observer="区人大 李某"
    )

    assert drawn.status == ParkDayStatus.DRAWN
    assert drawn.park in parks
    assert drawn.park.code == services_park_days.park_draw(
        code=drawn.code,
        candidates=[p.code for p in parks],
        server_seed=bytes.fromhex(drawn.server_seed),
        external_entropy="骰子 6-2-5",
    )


def test_a_street_run_leaves_other_streets_proposals_alone(city, street, street_user):
    # given a proposal in another street, and a plan in ours
    other_street = EnterpriseFactory().street
    elsewhere = EnterpriseFactory(street=other_street)
    ours = EnterpriseFactory(street=street)
    _plan(city, "SCJG", elsewhere, 1, 12)
    other_coordinator = UserFactory(role=Role.STREET, street=other_street)
    services.schedule_run(actor=other_coordinator, month=MONTH, time_limit=5)
    theirs = JointVisit.objects.get(enterprise=elsewhere)
    _plan(city, "SCJG", ours, 1, 12)

    # when our coordinator schedules the month
    run = services.schedule_run(actor=street_user, month=MONTH, time_limit=5)

    # then only our street's inspection was scheduled and theirs is untouched
    assert run.street == street and run.planned == 1
    assert JointVisit.objects.filter(pk=theirs.pk).exists()
    assert JointVisit.objects.filter(enterprise=ours).count() == 1


def test_a_department_records_its_form_results_once(city, street, street_user):
    enterprise = EnterpriseFactory(street=street)
    _plan(city, "SCJG", enterprise, 1, 12)
    services.schedule_run(actor=street_user, month=MONTH, time_limit=5)
    confirmed = services_coordination.joint_visit_confirm(
        actor=street_user, visit=JointVisit.objects.get()
    )
    confirmed.visit.status = VisitStatus.COMPLETED
    confirmed.visit.save()
    department, admin, item = city["SCJG"]
    results = [{"item": item, "result": ItemResult.PASS}]
    services_coordination.form_results_record(
        actor=admin, visit=confirmed, department=department, results=results
    )

    with pytest.raises(ValidationError, match="已录入"):
        services_coordination.form_results_record(
            actor=admin, visit=confirmed, department=department, results=results
        )

    assert EnforcementAction.objects.filter(visit=confirmed.visit).count() == 1


def test_the_command_schedules_a_street_and_prints_the_figures(city, street):
    from io import StringIO

    from django.core.management import call_command

    enterprise = EnterpriseFactory(street=street)
    _plan(city, "SCJG", enterprise, 1, 12)
    _plan(city, "STHJ", enterprise, 3, 20)
    out = StringIO()

    call_command(
        "joint_schedule",
        "--month",
        "2027-03",
        "--street",
        street.code,
        "--deterministic",
        "--time-limit",
        "5",
        stdout=out,
    )

    assert "计划检查 2，不合并需入企 2 次；下界 1，贪心 1，排期 1（差距 0.0%）" in out.getvalue()


def test_plans_are_locked_after_the_deadline(city, street):
    enterprise = EnterpriseFactory(street=street)
    entry = _plan(city, "SCJG", enterprise, 1, 12)

    locked = services.plans_lock(actor="scheduler", month=MONTH)

    entry.plan.refresh_from_db()
    assert locked == 1 and entry.plan.status == "locked"
    another = EnterpriseFactory(street=street)
    with pytest.raises(ValidationError) as late:
        _plan(city, "SCJG", another, 1, 12)
    assert "补报须说明理由" in late.value.message_dict["late_reason"][0]
    assert _plan(city, "SCJG", another, 1, 12, late_reason="群众投诉后新增").late_reason
