import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.selectors import audit_chain_first_broken
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.enforcement.choices import Origin
from wurao.enforcement.models import EnforcementAction
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, InspectorFactory
from wurao.sampling import engine
from wurao.sampling.bundle import verify_bundle
from wurao.sampling.choices import ResultCategory, SizeMode, TaskStatus
from wurao.sampling.models import ConflictOfInterest, DrawResult
from wurao.sampling.services import (
    draw_task_bundle,
    draw_task_close,
    draw_task_commit,
    draw_task_draw,
    draw_task_preview,
)
from wurao.sampling.services_draft import ParticipantSpec, draw_task_create
from wurao.sampling.services_results import draw_result_record

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 12, 1), datetime.date(2026, 12, 31)


@pytest.fixture
def district(street, department):
    departments = [department, DepartmentFactory(name="区卫生健康局", code="WJ")]
    items = {d.pk: [InspectionItemFactory(department=d)] for d in departments}
    for d in departments:
        InspectorFactory.create_batch(
            4, department=d, certificate_valid_until=datetime.date(2027, 6, 30)
        )
    InspectorFactory(department=departments[0], certificate_valid_until=datetime.date(2026, 12, 15))
    enterprises = EnterpriseFactory.create_batch(30, street=street)
    return departments, items, enterprises


def _task(district, actor, *, joint=False, total=6):
    departments, items, _ = district
    chosen = departments if joint else departments[:1]
    return draw_task_create(
        actor=actor,
        title="2026年12月安全生产双随机抽查",
        lead_department=departments[0],
        participants=[ParticipantSpec(department=d, items=items[d.pk]) for d in chosen],
        scope={},
        size_mode=SizeMode.TOTAL,
        size_value=Decimal(total),
        window_start=START,
        window_end=END,
    )


def test_a_task_goes_from_draft_to_closed_and_its_bundle_verifies(district, dept_admin):
    # Given a draft joint task over 30 enterprises
    task = _task(district, dept_admin, joint=True)
    assert draw_task_preview(task=task).quotas == {"A": 0, "B": 0, "C": 0, "D": 0, "U": 6}

    # When it is committed, drawn with an observer's entropy, worked and closed
    task = draw_task_commit(actor=dept_admin, task=task)
    task = draw_task_draw(
        actor=dept_admin, task=task, external_entropy="骰子 3-5-2", observer="区司法局 王某"
    )
    # (each department records its own results)
    recorders = {
        p.pk: UserFactory(role=Role.INSPECTOR, department=p.department)
        for p in task.participants.all()
    }
    for selection in task.selections.all():
        for participant in task.participants.all():
            draw_result_record(
                actor=recorders[participant.pk],
                selection=selection,
                participant=participant,
                category=ResultCategory.NO_PROBLEM,
                inspected_on=datetime.date(2026, 12, 10),
            )
    task = draw_task_close(actor=dept_admin, task=task)

    # Then every result is an enforcement action drawn at random, with joint visits shared
    assert task.status == TaskStatus.CLOSED
    actions = EnforcementAction.objects.filter(origin=Origin.RANDOM_DRAW)
    assert actions.count() == 12
    assert actions.values("joint_ref").distinct().count() == 6
    # and each drawn enterprise had one visit in the registry, shared by both departments
    visits = {a.visit for a in actions}
    assert len(visits) == 6
    assert all(v.departments.count() == 2 and v.origin == "random_draw" for v in visits)
    # and anyone re-running the published bundle gets the same enterprises and teams
    assert verify_bundle(draw_task_bundle(task=task)) == []
    assert audit_chain_first_broken() is None


def test_the_seed_stays_secret_until_the_draw(district, dept_admin):
    task = draw_task_commit(actor=dept_admin, task=_task(district, dept_admin))

    bundle = draw_task_bundle(task=task)

    assert "server_seed" not in bundle and "selected" not in bundle
    assert bundle["commitment"] == task.commitment
    assert bundle["snapshot_digest"] == engine.snapshot_digest(
        engine.Candidates.from_pairs(bundle["candidates"])
    )


def test_a_drawn_task_cannot_be_drawn_again(district, dept_admin):
    task = draw_task_commit(actor=dept_admin, task=_task(district, dept_admin))
    draw_task_draw(actor=dept_admin, task=task, external_entropy="first", observer="见证人")

    with pytest.raises(ValidationError, match="已抽取"):
        draw_task_draw(actor=dept_admin, task=task, external_entropy="second", observer="见证人")


def test_a_committed_snapshot_ignores_enterprises_registered_afterwards(
    district, dept_admin, street
):
    task = draw_task_commit(actor=dept_admin, task=_task(district, dept_admin))
    EnterpriseFactory.create_batch(5, street=street)

    task = draw_task_draw(actor=dept_admin, task=task, external_entropy="x", observer="见证人")

    assert task.candidate_count == 30
    assert verify_bundle(draw_task_bundle(task=task)) == []


def test_the_roster_leaves_out_certificates_expiring_within_the_window(district, dept_admin):
    task = draw_task_commit(actor=dept_admin, task=_task(district, dept_admin))

    roster = task.participants.get().roster

    assert len(roster) == 4


def test_officers_of_the_last_inspection_and_declared_conflicts_are_excluded(district, dept_admin):
    departments, _, enterprises = district
    officers = list(departments[0].inspectors.filter(certificate_valid_until__year=2027))
    last = EnforcementActionFactory(enterprise=enterprises[0], department=departments[0])
    last.officers.set(officers[:1])
    ConflictOfInterest.objects.create(
        inspector=officers[1], enterprise=enterprises[1], reason="亲属任职"
    )

    task = draw_task_commit(actor=dept_admin, task=_task(district, dept_admin))

    exclusions = task.participants.get().exclusions
    assert exclusions[enterprises[0].credit_code] == [officers[0].badge_no]
    assert exclusions[enterprises[1].credit_code] == [officers[1].badge_no]


def test_a_total_above_the_scope_is_refused_with_a_clear_error(district, dept_admin):
    task = _task(district, dept_admin, total=31)

    with pytest.raises(ValidationError) as refused:
        draw_task_commit(actor=dept_admin, task=task)

    assert "size_value" in refused.value.message_dict
    assert task.status == TaskStatus.DRAFT


def test_items_outside_the_department_list_are_refused(district, dept_admin):
    departments, items, _ = district

    with pytest.raises(ValidationError, match="清单之外无事项"):
        draw_task_create(
            actor=dept_admin,
            title="越权事项",
            lead_department=departments[0],
            participants=[
                ParticipantSpec(department=departments[0], items=items[departments[1].pk])
            ],
            scope={},
            size_mode=SizeMode.TOTAL,
            size_value=Decimal(2),
            window_start=START,
            window_end=END,
        )


def test_a_team_of_one_needs_a_reason(district, dept_admin):
    departments, items, _ = district
    lone = ParticipantSpec(department=departments[0], items=items[departments[0].pk], team_size=1)

    with pytest.raises(ValidationError, match="少于 2 人须说明理由"):
        draw_task_create(
            actor=dept_admin, title="一人检查", lead_department=departments[0], participants=[lone],
            scope={}, size_mode=SizeMode.TOTAL, size_value=Decimal(2), window_start=START, window_end=END,
        )  # fmt: skip


def test_results_outside_the_window_are_refused(district, dept_admin):
    task = draw_task_commit(actor=dept_admin, task=_task(district, dept_admin))
    task = draw_task_draw(actor=dept_admin, task=task, external_entropy="x", observer="见证人")

    with pytest.raises(ValidationError, match="计划期"):
        draw_result_record(
            actor=dept_admin,
            selection=task.selections.first(),
            participant=task.participants.get(),
            category=ResultCategory.NO_PROBLEM,
            inspected_on=datetime.date(2027, 1, 5),
        )
    assert not DrawResult.objects.exists()


def test_a_task_with_results_missing_cannot_close(district, dept_admin):
    task = draw_task_commit(actor=dept_admin, task=_task(district, dept_admin))
    task = draw_task_draw(actor=dept_admin, task=task, external_entropy="x", observer="见证人")
    draw_result_record(
        actor=dept_admin,
        selection=task.selections.first(),
        participant=task.participants.get(),
        category=ResultCategory.CORRECTED,
        inspected_on=datetime.date(2026, 12, 3),
    )

    with pytest.raises(ValidationError, match="还有 5 项检查结果未录入"):
        draw_task_close(actor=dept_admin, task=task)


def test_strata_are_the_enterprises_credit_grades(district, dept_admin, justice_user):
    # Given every enterprise graded (all clean, so all B under the default table)
    from wurao.credit.services_grading import grades_recompute

    grades_recompute(actor=justice_user, as_of=datetime.date(2026, 11, 27))

    # When a task is committed
    task = draw_task_commit(actor=dept_admin, task=_task(district, dept_admin))

    # Then its candidates sit in their grade's stratum and the task names the table
    assert task.quotas["B"] == 6 and task.quotas["U"] == 0
    assert task.grade_table == "credit-points-v1"
    assert (
        verify_bundle(
            draw_task_bundle(
                task=draw_task_draw(actor=dept_admin, task=task, external_entropy="e", observer="o")
            )
        )
        == []
    )
