"""The demo's joint inspections: next month planned with overlaps and duplicates, scheduled,
partly confirmed; the joint visits of the last weeks with their forms; the park days."""

import datetime
import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from wurao.accounts.scope import Scope, scope_for
from wurao.audit.models import AuditEvent
from wurao.demo import data
from wurao.demo.plans import MIN_PLANNED
from wurao.outcomes.models import ItemCheck
from wurao.planning import selectors
from wurao.planning.choices import (
    EntryStatus,
    ItemResult,
    JointVisitStatus,
    ParkDayStatus,
    PlanOrigin,
    PlanStatus,
)
from wurao.planning.models import (
    Campaign,
    JointVisit,
    MonthlyPlan,
    ParkDay,
    PlannedInspection,
    ScheduleRun,
)
from wurao.planning.services_park_days import park_draw
from wurao.registry.choices import Level
from wurao.registry.models import Enterprise
from wurao.registry.workdays import next_month, working_days
from wurao.visits.choices import VisitOrigin, VisitStatus

pytestmark = pytest.mark.django_db


def _month() -> datetime.date:
    return next_month(timezone.localdate())


def _key() -> Enterprise:
    return Enterprise.objects.get(name=data.KEY_ENTERPRISE_NAME)


def _user(username: str):
    return get_user_model().objects.get(username=username)


# ---------------------------------------------------------------- next month's plans


def test_next_month_is_planned_by_every_kind_of_origin_with_windows_inside_it(built_demo):
    # given the plans of next month, computed from the day of the build
    month = _month()
    entries = PlannedInspection.objects.filter(plan__month=month)
    days = working_days(month)

    # then at least the minimum is planned, by departments of every level
    assert entries.count() >= MIN_PLANNED
    levels = set(entries.values_list("plan__department__level", flat=True))
    assert {Level.CITY, Level.DISTRICT, Level.STREET} <= levels
    # with every origin, windows of working days inside the month and hours of 1 to 4
    assert set(entries.values_list("origin", flat=True)) == set(PlanOrigin.values)
    for entry in entries:
        assert days[0] <= entry.earliest <= entry.latest <= days[-1]
        assert 1 <= entry.hours <= 4 and entry.items.exists()
        width = len([d for d in days if entry.earliest <= d <= entry.latest])
        assert width >= 5 or entry.origin == PlanOrigin.RANDOM_TASK or entry.late_reason


def test_several_departments_plan_the_same_enterprises(built_demo):
    overlaps = selectors.overlaps(scope=Scope(sees_all=True), month=_month())

    # then a good number of enterprises are planned by two departments or more
    assert len(overlaps) >= 10
    assert max(len(o.departments) for o in overlaps) >= 3
    # among them the key 福城 enterprise, and other 福城 enterprises the street will coordinate
    key = next(o for o in overlaps if o.enterprise_id == _key().pk)
    assert len(key.departments) >= 4
    fucheng = selectors.overlaps(scope=scope_for(_user("fucheng")), month=_month())
    assert len(fucheng) >= 5


def test_the_lower_level_duplicates_are_flagged_for_withdrawal(built_demo):
    duplicates = selectors.duplicate_list(scope=Scope(sees_all=True), month=_month())

    # then the street teams' entries repeating a higher level's matter are flagged, with why
    assert duplicates.count() == 3
    for entry in duplicates:
        assert entry.plan.department.level == Level.STREET
        assert "建议撤回" in entry.status_note
        higher = PlannedInspection.objects.filter(
            plan__month=_month(), enterprise=entry.enterprise, status=EntryStatus.ACTIVE
        ).exclude(plan__department__level=Level.STREET)
        assert higher.exists()
    assert AuditEvent.objects.filter(verb="plan.duplicates_flag", actor_label="sfj").exists()


def test_plans_were_locked_and_the_late_additions_say_why(built_demo):
    plans = MonthlyPlan.objects.filter(month=_month())

    # then every plan is locked; all but one were submitted before the deadline
    assert plans.exists() and not plans.exclude(status=PlanStatus.LOCKED).exists()
    assert plans.filter(submitted_at__isnull=True).count() == 1
    # and the two additions after the lock carry their reasons, filed through the service
    late = PlannedInspection.objects.filter(plan__month=_month()).exclude(late_reason="")
    assert late.count() == 2
    added = AuditEvent.objects.filter(verb="plan.entry_add").exclude(payload__late_reason="")
    assert added.count() == 2
    assert late.get(plan__department__code="YJGL").created_by.username == "yjj_admin"


def test_the_gas_safety_campaign_was_approved_and_published_before_it_was_planned(
    built_demo, client
):
    campaign = Campaign.objects.get()

    assert "燃气安全专项检查" in campaign.title and campaign.published_at
    assert campaign.document_no and campaign.approved_on < campaign.starts_on
    assert campaign.entries.filter(origin=PlanOrigin.CAMPAIGN).exists()
    # and anyone finds it on the public page
    page = client.get("/public/planning/")
    assert campaign.title in page.content.decode() and campaign.document_no in page.content.decode()


def test_random_task_plans_follow_the_draw_tasks_still_open(built_demo):
    drawn = PlannedInspection.objects.filter(plan__month=_month(), origin=PlanOrigin.RANDOM_TASK)

    assert drawn.exists()
    for entry in drawn:
        assert entry.draw_task.selections.filter(enterprise=entry.enterprise).exists()


# ---------------------------------------------------------------- the schedule


def test_the_district_run_places_every_inspection_between_the_bound_and_the_plans(built_demo):
    run = ScheduleRun.objects.get(month=_month())

    # then the bureau ran it, deterministically, and its figures hold together
    assert run.created_by.username == "sfj" and run.deterministic and run.street is None
    assert run.lower_bound <= run.visits <= run.planned == run.separate_visits
    assert run.lower_bound <= run.greedy_visits
    # every active inspection is in a visit, or listed as unplaced with the reason
    active = PlannedInspection.objects.filter(plan__month=_month(), status=EntryStatus.ACTIVE)
    unplaced = {u["entry"] for u in run.unplaced}
    assert all(u["label"] for u in run.unplaced)
    for entry in active.filter(joint_visit__isnull=True):
        assert entry.pk in unplaced
    # and no proposal breaks a window or the enterprise's blackout day
    for visit in JointVisit.objects.filter(month=_month()).prefetch_related("inspections"):
        for entry in visit.inspections.all():
            assert entry.earliest <= visit.date <= entry.latest


def test_confirmed_joint_visits_are_registered_as_one_visit_each(built_demo):
    confirmed = JointVisit.objects.filter(month=_month(), status=JointVisitStatus.CONFIRMED)

    assert confirmed.count() >= 3
    for joint in confirmed:
        departments = {e.plan.department_id for e in joint.inspections.all()}
        visit = joint.visit
        assert visit.origin == VisitOrigin.JOINT and visit.date == joint.date
        assert set(visit.departments.values_list("pk", flat=True)) == departments
        assert joint.confirmed_by.username == "fucheng" and joint.street == _key().street


def test_the_key_enterprise_finds_its_joint_visit_and_form_on_its_portal(built_demo, client):
    # given the key enterprise's joint visit about three weeks ago, the street's
    today = timezone.localdate()
    past = JointVisit.objects.get(
        enterprise=_key(), date__lt=today, status=JointVisitStatus.CONFIRMED
    )

    # then it is the registered visit, and its form has the failing item today's re-check
    # follows up, with its rectification and deadline
    assert past.visit.origin == VisitOrigin.JOINT and past.visit.departments.count() == 2
    form = selectors.consolidated_form(visit=past)
    assert form.complete
    failing = [line.entry for line in form.lines if line.entry.result == ItemResult.FAIL]
    assert len(failing) == 1 and failing[0].rectification and failing[0].rectify_by > past.date
    # and the enterprise opens it from its portal
    client.force_login(_user("qiye"))
    portal = client.get("/planning/mine/").content.decode()
    assert f"/planning/forms/{past.pk}/" in portal
    page = client.get(f"/planning/forms/{past.pk}/")
    assert page.status_code == 200 and failing[0].rectification in page.content.decode()


def test_the_key_enterprise_asked_to_move_next_months_proposal(built_demo, client):
    # given the key enterprise's visits next month
    visits = JointVisit.objects.filter(month=_month(), enterprise=_key())
    asked = visits.get(change_requested=True)

    # then one proposal waits for the coordinator with the dates and reason it asked for
    assert asked.status == JointVisitStatus.PROPOSED and asked.change_dates and asked.change_reason
    assert AuditEvent.objects.filter(verb="joint_visit.request_change", actor_label="qiye").exists()
    client.force_login(_user("qiye"))
    assert asked.date.strftime("%Y-%m-%d") in client.get("/planning/mine/").content.decode()
    # and the other, three departments together, is confirmed when the visit rules leave the
    # enterprise a day next month (grade C at the default seed); otherwise the refusal, naming
    # the rule, is what the coordinator got
    together = visits.exclude(pk=asked.pk).get()
    if together.status == JointVisitStatus.CONFIRMED:
        assert together.visit.departments.count() == 3
    else:
        refused = [s for s in built_demo.planning.steps if "未能确认" in s and _key().name in s]
        assert refused and ("安静期" in refused[0] or "上限" in refused[0])


def test_the_coordinator_finds_a_busy_month_in_fucheng(built_demo):
    fucheng = _user("fucheng")
    visits = selectors.joint_visit_list(scope=scope_for(fucheng), month=_month())

    assert visits.filter(status=JointVisitStatus.PROPOSED).count() >= 5
    assert visits.filter(change_requested=True).count() == 1
    assert AuditEvent.objects.filter(verb="joint_visit.move", actor_label="fucheng").count() == 1
    assert AuditEvent.objects.filter(verb="joint_visit.confirm", actor_label="fucheng").exists()


def test_the_emergency_bureau_sees_its_assignments_shared_with_other_departments(built_demo):
    admin = _user("yjj_admin")
    rows = selectors.assignment_list(scope=scope_for(admin), month=_month())

    assert rows.exists() and not rows.exclude(plan__department=admin.department).exists()
    shared = [r for r in rows if r.joint_visit and len(r.joint_visit.active_inspections) > 1]
    assert shared


# ---------------------------------------------------------------- the last weeks


def test_a_joint_visit_of_the_last_weeks_has_its_form_filled_with_a_failing_line(
    built_demo, client
):
    # given the joint visits that took place in the last weeks
    today = timezone.localdate()
    done = JointVisit.objects.filter(
        date__lt=today, status=JointVisitStatus.CONFIRMED, confirmed_by__username="fucheng"
    ).exclude(enterprise=_key())
    assert done.count() == 3

    for joint in done:
        # then the visit was carried out by two officers of each department
        visit = joint.visit
        assert visit.status == VisitStatus.COMPLETED and visit.checked_out_at
        for department in visit.departments.all():
            assert visit.officers.filter(department=department).count() == 2
        # and every line of the form has its result; each department's is in the file
        form = selectors.consolidated_form(visit=joint)
        assert form.complete and len(form.departments) == 2
        assert visit.actions.count() == 2
    # with failing items that say what to put right and by when, told to the enterprise
    failing = [
        (joint, line.entry)
        for joint in done
        for line in selectors.consolidated_form(visit=joint).lines
        if line.entry.result == ItemResult.FAIL
    ]
    assert len(failing) >= 2
    for joint, line in failing:
        assert line.rectification and line.rectify_by > joint.date and line.order.notice.number
    # and the form reads as a page and as a PDF
    joint = failing[0][0]
    client.force_login(_user("sfj"))
    page = client.get(f"/planning/forms/{joint.pk}/")
    assert page.status_code == 200 and "不符合" in page.content.decode()
    pdf = client.get(f"/planning/forms/{joint.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_fire_brigade_corrected_one_line_of_a_past_form(built_demo, client):
    joints = JointVisit.objects.exclude(visit=None)
    corrected = ItemCheck.objects.get(
        corrected_at__isnull=False, action__visit_id__in=joints.values("visit_id")
    )
    joint = joints.get(visit_id=corrected.action.visit_id)

    assert "三具灭火器" in corrected.description and "少记一具" in corrected.correction_reason
    assert corrected.item.department.code == "XFJY"
    client.force_login(_user("sfj"))
    page = client.get(f"/planning/forms/{joint.pk}/").content.decode()
    assert "更正：核对现场记录" in page


# ---------------------------------------------------------------- park days


def test_past_park_days_were_drawn_and_anyone_can_recompute_them(built_demo):
    today = timezone.localdate()
    drawn = ParkDay.objects.filter(status=ParkDayStatus.DRAWN)

    # then three streets drew a park on each of the last four weeks
    assert drawn.count() == 12
    assert drawn.filter(street=_key().street).count() == 4
    for park_day in drawn:
        assert park_day.date < today and park_day.date > today - datetime.timedelta(days=29)
        seed = bytes.fromhex(park_day.server_seed)
        assert hashlib.sha256(seed).hexdigest() == park_day.commitment
        recomputed = park_draw(
            code=park_day.code,
            candidates=park_day.candidates,
            server_seed=seed,
            external_entropy=park_day.external_entropy,
        )
        assert recomputed == park_day.park.code
        assert park_day.departments.count() == 4
        roles = {o["role"] for o in park_day.observers}
        assert {"npc", "cppcc", "enterprise"} == roles


def test_next_weeks_park_day_is_committed_but_not_drawn(built_demo, client):
    today = timezone.localdate()
    committed = ParkDay.objects.filter(status=ParkDayStatus.COMMITTED)

    assert committed.count() == 3
    for park_day in committed:
        assert 0 < (park_day.date - today).days <= 13 and park_day.park is None
    assert AuditEvent.objects.filter(verb="park_day.commit").count() == 3
    # the public page shows its commitment, and not its seed
    park_day = committed.get(street=_key().street)
    page = client.get(f"/public/planning/park-days/{park_day.code}/").content.decode()
    assert park_day.commitment in page and park_day.server_seed not in page
