"""The demo's visit registry: every inspection of the history on a registered visit, the key
enterprise's 75 visits, and today's scenarios for the demo accounts."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from wurao.accounts.scope import Scope, scope_for
from wurao.audit.models import AuditEvent
from wurao.demo import data
from wurao.demo.engine import district_generate
from wurao.demo.tests.conftest import DEMO_SCALE, DEMO_SEED
from wurao.demo.visits_load import demo_visit_codes
from wurao.demo.visits_year import SPARE_CODES, past_day, workdays_after
from wurao.enforcement.models import EnforcementAction
from wurao.registry.models import Department, Enterprise
from wurao.visits.alerts import AlertKind
from wurao.visits.choices import CodeState, VisitKind, VisitOrigin, VisitStatus
from wurao.visits.models import Visit, VisitRating, VisitRefusal, VisitRuleVersion
from wurao.visits.rules import RuleCode
from wurao.visits.selectors import (
    override_queue,
    rating_summary,
    visit_alerts_list,
    visit_code_check,
)

pytestmark = pytest.mark.django_db

SHENZHEN = datetime.timezone(datetime.timedelta(hours=8))


def _key() -> Enterprise:
    return Enterprise.objects.get(name=data.KEY_ENTERPRISE_NAME)


def _user(username: str):
    return get_user_model().objects.get(username=username)


# ---------------------------------------------------------------- the history


def test_every_inspection_was_carried_out_on_a_registered_visit(built_demo):
    # given the demo's enforcement record
    actions = EnforcementAction.objects.all()

    # then every on-site inspection points at its visit, an off-site one at none, and no
    # penalty or coercive measure does
    assert not actions.filter(kind="inspection", mode="on_site", visit__isnull=True).exists()
    assert not actions.filter(mode="off_site", visit__isnull=False).exists()
    assert not actions.exclude(kind="inspection").filter(visit__isnull=False).exists()
    # and the visit names the department, the items and the officers of the inspection
    inspections = actions.filter(date__year=2020, kind="inspection").select_related("visit")
    for action in inspections[:200]:
        visit = action.visit
        assert visit.kind == VisitKind.INSPECTION and visit.date == action.date
        assert visit.enterprise_id == action.enterprise_id
        assert action.department in visit.departments.all()
        assert set(action.items.all()) <= set(visit.items.all())
        assert set(action.officers.all()) <= set(visit.officers.all())


def test_joint_random_visits_share_one_visit_with_all_their_departments(built_demo):
    # given the 2020 joint random visits (one reference, several departments, one day)
    refs = set(
        EnforcementAction.objects.filter(date__year=2020)
        .exclude(joint_ref="")
        .values_list("joint_ref", flat=True)
    )
    assert len(refs) == round(131 * DEMO_SCALE)

    for ref in refs:
        actions = EnforcementAction.objects.filter(joint_ref=ref)
        # then the departments came on one visit, which lists them all
        visits = {a.visit for a in actions}
        assert len(visits) == 1
        visit = visits.pop()
        departments = {a.department_id for a in actions}
        assert len(departments) >= 2
        assert set(visit.departments.values_list("pk", flat=True)) == departments
        assert visit.origin == VisitOrigin.JOINT and ref in visit.note


def test_key_enterprise_has_75_registered_visits_in_2019_30_of_them_not_enforcement(built_demo):
    # given the key enterprise of the study's Figure 2
    visits = Visit.objects.filter(
        enterprise=_key(),
        date__gte=datetime.date(2019, 1, 1),
        date__lte=datetime.date(2019, 10, 31),
    )

    # then the registry holds its 75 visits, 30 of them by 工会, 妇联, 党建 and the community
    assert visits.count() == 75
    assert visits.filter(kind=VisitKind.NON_ENFORCEMENT).count() == 30
    inspections = visits.filter(kind=VisitKind.INSPECTION)
    assert inspections.count() == 45
    assert inspections.filter(actions__isnull=False).distinct().count() == 45
    assert all(v.status == VisitStatus.COMPLETED for v in visits)


def test_history_visits_were_approved_registered_and_checked_in_and_out_on_the_day(built_demo):
    visits = Visit.objects.filter(kind=VisitKind.INSPECTION, date__year=2020)

    assert visits.exists()
    for visit in visits[:300]:
        # the head of department approved it, with a numbered approval
        assert visit.approver.endswith(("副局长", "副大队长", "副队长"))
        assert re.fullmatch(r".+检审〔2020〕\d+号", visit.approval_ref)
        assert visit.approved_on < visit.date
        # registered the afternoon before; checked in and out on the day, in working hours
        check_in = visit.checked_in_at.astimezone(SHENZHEN)
        check_out = visit.checked_out_at.astimezone(SHENZHEN)
        assert visit.registered_at < visit.checked_in_at < visit.checked_out_at
        assert check_in.date() == check_out.date() == visit.date
        assert 8 <= check_in.hour <= 15 and visit.check_in_method


def test_the_history_visits_codes_are_the_seeds(built_demo):
    # given the district the seed generates
    again = district_generate(scale=DEMO_SCALE, seed=DEMO_SEED)
    n = len(again.visits.purpose) + len(again.inspection_visits)

    # then the history's visits and the key enterprise's earlier visits this year carry
    # the codes drawn for that seed, all different
    codes = demo_visit_codes(n + SPARE_CODES, seed=DEMO_SEED)
    stored = list(Visit.objects.filter(pk__lte=n).order_by("pk").values_list("code", flat=True))
    assert stored == codes[:n]
    assert set(codes[n:]) <= set(Visit.objects.values_list("code", flat=True))
    assert len(set(codes)) == len(codes)


def test_history_ratings_show_departments_above_and_below_the_anonymity_threshold(built_demo):
    # given the ratings of every year, as the justice bureau sees them
    summaries = rating_summary(scope=Scope(sees_all=True))

    # then there are ratings, within 1–5, and departments with more and fewer than five
    assert VisitRating.objects.filter(visit__date__year=2020).exists()
    assert set(VisitRating.objects.values_list("score", flat=True)) <= {1, 2, 3, 4, 5}
    assert any(s.count >= 5 for s in summaries) and any(s.count < 5 for s in summaries)


# ---------------------------------------------------------------- today


def test_the_justice_bureau_published_rule_version_1_through_the_service(built_demo):
    version = VisitRuleVersion.objects.get()

    assert version.version == 1 and version.created_by.username == "sfj"
    assert version.effective_from == datetime.date(timezone.localdate().year, 1, 1)
    assert version.rules["monthly_quiet_days"] == []
    assert AuditEvent.objects.filter(verb="visit_rules.publish", actor_label="sfj").count() == 1


def test_the_key_enterprise_sees_a_valid_code_for_todays_visit(built_demo):
    # given the code the build reports for the key enterprise
    code = built_demo.visits.key_code

    # when anyone checks it today
    check = visit_code_check(raw=code)

    # then it is valid, for the key enterprise, by two officers of 区应急管理局 whose
    # certificates are in force, a re-check of the joint visit's finding
    assert check.state == CodeState.VALID and check.may_enter
    visit = check.visit
    assert visit.enterprise == _key() and visit.origin == VisitOrigin.RECHECK
    assert visit.department.code == "YJGL" and visit.registered_by.username == "yjj_inspector"
    assert visit.officers.count() == 2
    assert _user("yjj_inspector").inspector in visit.officers.all()


def test_a_joint_visit_three_weeks_ago_keeps_the_key_enterprise_quiet(built_demo):
    # given the key enterprise's joint visit of the last month (next month's, confirmed by
    # the street, is still ahead)
    today = timezone.localdate()
    joint = Visit.objects.get(
        enterprise=_key(),
        origin=VisitOrigin.JOINT,
        date__gte=today - datetime.timedelta(days=30),
        date__lte=today,
    )

    # then 区应急管理局 and another department came together, and registrations after it
    # were refused for the quiet period, naming the rule
    assert {d.code for d in joint.departments.all()} == {"YJGL", "XFJY"}
    assert joint.actions.count() == 2
    refusals = VisitRefusal.objects.filter(enterprise=_key())
    assert refusals.count() == 2
    assert {r.department.code for r in refusals} == {"YJGL", "SZ-SCJG"}
    for refusal in refusals:
        rules = {v["rule"] for v in refusal.violations}
        assert RuleCode.QUIET_PERIOD in rules
    assert refusals.get(department__code="YJGL").registered_by.username == "yjj_inspector"
    assert AuditEvent.objects.filter(verb="visit.refuse").count() == 2


def test_overrides_need_a_reason_and_a_second_approver(built_demo):
    overrides = Visit.objects.exclude(override_reason="")

    # one approved by the justice bureau, one rejected with its reason, one waiting
    approved = overrides.get(status=VisitStatus.REGISTERED)
    assert approved.registered_by.username == "yjj_admin"
    assert approved.override_approved_by.username == "sfj" and approved.violations
    rejected = overrides.get(status=VisitStatus.REJECTED)
    assert rejected.cancel_reason and rejected.override_approved_by.username == "sfj"
    waiting = overrides.get(status=VisitStatus.PENDING_OVERRIDE)
    # the emergency bureau's administrator finds it in the queue, registered by another
    assert list(override_queue(scope=scope_for(_user("yjj_admin")))) == [waiting]
    assert waiting.registered_by.username == "yjj_inspector"
    verbs = AuditEvent.objects.filter(verb__startswith="visit.override_")
    assert sorted(verbs.values_list("verb", flat=True)) == [
        "visit.override_approve",
        "visit.override_reject",
        "visit.override_request",
        "visit.override_request",
        "visit.override_request",
    ]


def test_an_urgent_visit_was_registered_after_the_fact_with_its_reason(built_demo):
    late = Visit.objects.get(after_the_fact=True)

    assert late.enterprise == _key() and late.origin == VisitOrigin.COMPLAINT
    assert late.late_reason and late.status == VisitStatus.COMPLETED
    assert 0 < (timezone.localdate() - late.date).days <= 10
    assert late.actions.get().created_by.username == "yjj_inspector"


def test_an_inspector_checked_in_and_out_today_through_the_services(built_demo):
    today = timezone.localdate()
    # (the demo's re-check and complaint visits of today are the platform's, not an account's)
    visit = Visit.objects.get(
        date=today, checked_in_at__isnull=False, registered_by__username="yjj_inspector"
    )

    assert visit.status == VisitStatus.COMPLETED and visit.actions.exists()
    assert visit.enterprise.street == _key().street and visit.enterprise != _key()
    for verb in ("visit.check_in", "visit.check_out"):
        event = AuditEvent.objects.get(verb=verb, object_id=str(visit.pk))
        assert event.actor_label == "yjj_inspector"


def test_the_key_enterprise_rated_its_visits_and_departments_see_only_aggregates_of_five(
    built_demo,
):
    # given the key enterprise's ratings this year: recent ones made through the rating
    # service, older ones (past its rating window) written as history
    year = timezone.localdate().year
    key = VisitRating.objects.filter(visit__enterprise__name=data.KEY_ENTERPRISE_NAME)
    assert key.filter(visit__date__year=year).count() >= 5
    assert AuditEvent.objects.filter(verb="visit.rate", actor_label="qiye").exists()

    # when the emergency bureau looks at its ratings, and the fire brigade at its own
    own = rating_summary(scope=scope_for(_user("yjj_admin")), filters={"year": year})
    fire = Department.objects.get(code="XFJY")
    few = rating_summary(scope=Scope(department_id=fire.pk), filters={"year": year})

    # then the bureau, rated five times or more, sees its average; the brigade, rated
    # fewer times, sees that there are ratings but not what they say
    assert len(own) == 1 and own[0].count >= 5 and not own[0].hidden
    assert own[0].average is not None
    assert len(few) == 1 and few[0].count < 5 and few[0].hidden and few[0].average is None


def test_every_kind_of_alert_fires_this_year_at_the_key_enterprise(built_demo):
    year = timezone.localdate().year
    alerts = visit_alerts_list(
        scope=Scope(sees_all=True),
        date_from=datetime.date(year, 1, 1),
        date_to=datetime.date(year, 12, 31),
    )

    at_key = {a.alert.kind for a in alerts if a.enterprise_name == data.KEY_ENTERPRISE_NAME}
    assert at_key == set(AlertKind)
    assert built_demo.visits.alerts == {
        str(kind): sum(1 for a in alerts if a.alert.kind == kind) for kind in AlertKind
    }


def test_officers_on_this_years_visits_hold_valid_certificates(built_demo):
    year = timezone.localdate().year
    for visit in Visit.objects.filter(date__year=year, kind=VisitKind.INSPECTION):
        for officer in visit.officers.all():
            assert officer.active
            assert officer.certificate_valid_until >= visit.date, (visit.code, officer)


@pytest.mark.parametrize("weekday", range(7))
def test_the_days_ahead_fall_in_the_joint_visits_quiet_period_whatever_the_weekday(weekday):
    # given a build on any day of the week (2026-11-23 was a Monday)
    today = datetime.date(2026, 11, 23) + datetime.timedelta(days=weekday)

    # when the joint visit and the registrations of the days ahead are dated
    joint = past_day(-20, today)
    last_ahead = workdays_after(today, 6)

    # then the joint visit was on a working day about three weeks ago, more than the ten
    # days within which a visit may be registered after the fact, and the shortest quiet
    # period of a non-exempt grade (30 days, grade C) still covers the last day ahead
    assert joint.weekday() < 5 and 10 < (today - joint).days <= 20
    assert last_ahead <= joint + datetime.timedelta(days=30)
