"""The demo's credit grading in the database: records, reviews through the services, grades
for the whole district as of the build's day (with the 2020-12-31 grades as their history),
and what the key enterprise sees."""

import datetime

import pytest
from django.contrib.auth import authenticate
from django.utils import timezone

from wurao.accounts.scope import Scope, scope_for
from wurao.audit.models import AuditEvent
from wurao.audit.selectors import audit_chain_first_broken
from wurao.credit.choices import CommitmentStatus, RecordSource, ReviewStatus
from wurao.credit.models import (
    CommitmentItem,
    CreditCommitment,
    EnterpriseGrade,
    GradeChange,
    MonitoringAlert,
    PointsTableVersion,
    PositiveRecord,
)
from wurao.credit.selectors import enterprise_grade_get, objection_list, repair_list
from wurao.credit.selectors_grading import enterprise_breakdown
from wurao.demo import data
from wurao.demo.credit_build import GRADES_AS_OF, recent_records
from wurao.demo.engine import district_generate
from wurao.demo.tests.conftest import DEMO_SCALE, DEMO_SEED
from wurao.registry.models import Enterprise
from wurao.sampling.choices import TaskStatus
from wurao.sampling.models import DrawTask

pytestmark = pytest.mark.django_db


def _reviews(scope: Scope) -> list:
    return [*objection_list(scope=scope), *repair_list(scope=scope)]


def _reviews_overdue(scope: Scope) -> list:
    return [
        *objection_list(scope=scope, filters={"overdue": True}),
        *repair_list(scope=scope, filters={"overdue": True}),
    ]


def test_every_market_entity_is_graded_as_of_the_build_day_with_a_realistic_spread(
    built_demo,
):
    # given the demo built at a small scale
    # when its grades are counted
    grades = EnterpriseGrade.objects.select_related("table_version")
    by_grade = {g: grades.filter(grade=g).count() for g in "ABCD"}
    total = Enterprise.objects.count()

    # then everyone is graded as of today under table version 1, from the records of the last
    # two years: mostly B (no record, or a mixed one), a tenth or less A, and a tail of C and D
    assert grades.count() == total == sum(by_grade.values())
    assert set(grades.values_list("as_of", flat=True)) == {timezone.localdate()}
    assert set(grades.values_list("table_version__version", flat=True)) == {1}
    assert by_grade["B"] > 0.8 * total
    assert 0.03 * total < by_grade["A"] < 0.15 * total
    assert 0.005 * total < by_grade["C"] + by_grade["D"] < 0.08 * total
    assert built_demo.grades["by_grade"] == by_grade


def test_the_grades_have_their_history_from_2020(built_demo):
    # given the demo's grades and their change log
    total = Enterprise.objects.count()
    first = GradeChange.objects.filter(as_of=GRADES_AS_OF)
    history = built_demo.grades_history["by_grade"]

    # then the first grading (2020-12-31) lists every enterprise, with every grade and its
    # reasons, and today's lists those whose grade moved since, from what it was
    assert first.count() == total == sum(history.values())
    assert all(history[g] >= 1 for g in "ABCD")
    assert first.filter(grade="D").exclude(reasons=[]).count() == history["D"]
    moved = GradeChange.objects.filter(as_of=timezone.localdate())
    assert moved.exists() and not moved.filter(previous_grade="").exists()


def test_the_credit_records_are_what_the_seed_generates(built_demo):
    district = district_generate(scale=DEMO_SCALE, seed=DEMO_SEED)
    counts = district.credit.counts()
    today = timezone.localdate()
    recent = recent_records(district, DEMO_SEED, today).counts()

    # the history's two years (2019–2020) and the two years up to today
    assert MonitoringAlert.objects.filter(date__lte=GRADES_AS_OF).count() == counts["alerts"]
    assert MonitoringAlert.objects.count() == counts["alerts"] + recent["alerts"]
    assert PositiveRecord.objects.count() == counts["awards"] + recent["awards"]
    assert CommitmentItem.objects.count() == counts["commitment_items"]
    for status in CommitmentStatus:
        assert CreditCommitment.objects.filter(status=status).count() == (
            counts[f"commitments_{status}"] + recent[f"commitments_{status}"]
        )
    recent_days = today - datetime.timedelta(days=730)
    assert MonitoringAlert.objects.filter(date__gte=recent_days).count() == recent["alerts"]
    # alerts come from monitoring 排污 and 危化品 enterprises, each under its own number
    alerted = Enterprise.objects.filter(monitoringalert__isnull=False).distinct()
    assert not alerted.exclude(risk_tags__code__in=["discharge", "hazchem"]).exists()
    numbers = list(MonitoringAlert.objects.values_list("external_id", flat=True))
    assert len(set(numbers)) == len(numbers)
    # a department records a breach with its reasons, and only after the signing
    breached = CreditCommitment.objects.filter(status=CommitmentStatus.BREACHED)
    assert breached.exists() and not breached.filter(decision_note="").exists()
    assert all(c.decided_on > c.signed_on for c in breached)
    assert not CreditCommitment.objects.filter(decided_on__gt=today).exists()
    assert not MonitoringAlert.objects.filter(date__gt=today).exists()


def test_departments_offer_three_to_five_commitment_items_each(built_demo):
    by_department: dict[str, int] = {}
    for item in CommitmentItem.objects.select_related("department"):
        by_department[item.department.name] = by_department.get(item.department.name, 0) + 1

    assert len(by_department) >= 4
    assert all(3 <= n <= 5 for n in by_department.values())
    assert {"区应急管理局", "市市场监督管理局龙华监管局"} <= set(by_department)


def test_objections_and_repairs_in_every_state_went_through_the_audited_services(built_demo):
    # given the demo's reviews
    everyone = Scope(sees_all=True)
    reviews = _reviews(everyone)
    overdue = _reviews_overdue(everyone)

    # then there are objections and repairs submitted, overdue, approved and rejected
    assert {r.status for r in reviews} == set(ReviewStatus.values)
    assert overdue and all(r.due_on < timezone.localdate() for r in overdue)
    assert any(r.status == ReviewStatus.SUBMITTED and r not in overdue for r in reviews)
    assert {r.record_source for r in reviews} == set(RecordSource.values)
    # each filed and decided through the services, with reasons and a genuine audit chain
    verbs = list(AuditEvent.objects.values_list("verb", flat=True))
    assert verbs.count("credit_objection.file") + verbs.count("credit_repair.apply") == len(reviews)
    decided = [r for r in reviews if r.status != ReviewStatus.SUBMITTED]
    assert verbs.count("creditobjection.decide") + verbs.count("creditrepair.decide") == len(
        decided
    )
    assert all(r.decision_reason and r.decided_at.date() >= r.filed_at.date() for r in decided)
    # approvals took effect after the publicity period, before the grades' as-of date
    approved = [r for r in reviews if r.status == ReviewStatus.APPROVED]
    assert approved and all(r.effective_from <= GRADES_AS_OF for r in approved)
    assert audit_chain_first_broken() is None


def test_the_emergency_bureau_admin_has_reviews_to_decide_and_decided_some(built_demo):
    admin = authenticate(username="yjj_admin", password=data.DEMO_PASSWORD)

    queue = _reviews(scope_for(admin))

    assert any(r.status == ReviewStatus.SUBMITTED for r in queue)
    assert any(r.decided_by_id == admin.pk for r in queue)
    assert all(r.department_id == admin.department_id for r in queue)


def test_the_key_enterprise_sees_its_grade_every_reason_and_its_objection_and_repair(
    built_demo,
):
    # given the key enterprise's account
    user = authenticate(username="qiye", password=data.DEMO_PASSWORD)
    key = user.enterprise

    # when it looks at its grade, breakdown and requests
    grade = enterprise_grade_get(enterprise_id=key.pk)
    breakdown = enterprise_breakdown(
        enterprise_id=key.pk, as_of=grade.as_of, version=grade.table_version
    )
    mine = _reviews(scope_for(user))

    # then it has a grade whose every point is explained
    assert grade.grade in "ABCD" and grade.as_of == timezone.localdate()
    assert breakdown["grade"] == grade.grade
    assert breakdown["base"] + sum(r["points"] for r in breakdown["rows"]) == pytest.approx(
        grade.score
    )
    indicators = {r["indicator"] for r in breakdown["rows"]}
    assert {"risk_tag", "commitment_broken", "commitment_fulfilled"} <= indicators
    # an approved objection to an alert, whose alert no longer counts, and a pending repair
    objection = next(r for r in mine if r.record_source == RecordSource.ALERT)
    assert objection.status == ReviewStatus.APPROVED
    assert (RecordSource.ALERT, objection.record_id) not in {
        (r["source"], r["source_id"]) for r in breakdown["rows"]
    }
    repair = next(r for r in mine if r.record_source == RecordSource.COMMITMENT)
    assert repair.status == ReviewStatus.SUBMITTED and repair.due_on >= timezone.localdate()
    assert repair.department.code == "YJGL"
    # the commitment under repair is the recent breach that counts in today's grade
    assert (RecordSource.COMMITMENT, repair.record_id) in {
        (r["source"], r["source_id"]) for r in breakdown["rows"]
    }


def test_the_table_was_published_and_the_district_regraded_by_the_justice_bureau(built_demo):
    published = AuditEvent.objects.get(verb="points_table.publish")
    history, *_, today = AuditEvent.objects.filter(verb="grades.recompute").order_by("seq")

    assert PointsTableVersion.objects.get().version == 1
    assert published.actor_label == history.actor_label == today.actor_label == "sfj"
    assert history.payload["as_of"] == GRADES_AS_OF.isoformat()
    assert today.payload["as_of"] == timezone.localdate().isoformat()
    assert today.payload["enterprises"] == Enterprise.objects.count()


def test_the_draws_take_their_strata_from_the_grades(built_demo):
    drawn = DrawTask.objects.exclude(status__in=[TaskStatus.DRAFT, TaskStatus.COMMITTED])

    assert {task.grade_table for task in drawn} == {"credit-points-v1"}


def test_the_build_audit_event_counts_the_credit_records(built_demo):
    payload = AuditEvent.objects.get(verb="demo.build").payload

    assert payload["counts"]["grades"] == Enterprise.objects.count()
    assert (
        payload["counts"]["alerts"] + payload["counts"]["credit_recent_alerts"]
        == MonitoringAlert.objects.count()
    )
    assert payload["counts"]["objections"] + payload["counts"]["repairs"] == len(
        _reviews(Scope(sees_all=True))
    )
