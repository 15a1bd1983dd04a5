"""The 一表通查 form's lines (planning.FormEntry) become the one record every inspection keeps
(migration planning 0004): an item check per line on its department's enforcement action,
and for a failing line with something to put right, a rectification on the action's notice."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from wurao.accounts.tests.factories import UserFactory
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.enforcement.choices import ActionKind, Finding
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.outcomes.models import FindingNotice, ItemCheck, Rectification
from wurao.planning.choices import JointVisitStatus
from wurao.planning.models import JointVisit
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, StreetFactory
from wurao.visits.tests.factories import VisitFactory

BEFORE = [("planning", "0003_form_entry_correction")]
AFTER = [("planning", "0004_form_entries_to_outcomes")]
DAY = datetime.date(2026, 11, 10)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _world():
    """A confirmed joint visit of two departments, each with its enforcement action (as the
    form's service always recorded it), and a proposal never carried out."""
    street = StreetFactory()
    enterprise = EnterpriseFactory(street=street)
    fire = DepartmentFactory(code="XFJY", name="区消防救援大队")
    safety = DepartmentFactory(code="YJGL", name="区应急管理局")
    officer = UserFactory(username="xf_officer")
    visit = VisitFactory(enterprise=enterprise, department=fire, date=DAY)
    items = {
        "fire_1": InspectionItemFactory(department=fire, code="XFJY-01"),
        "fire_2": InspectionItemFactory(department=fire, code="XFJY-02"),
        "safety_1": InspectionItemFactory(department=safety, code="YJGL-01"),
        "safety_2": InspectionItemFactory(department=safety, code="YJGL-02"),
    }
    actions = {
        d.code: EnforcementActionFactory(
            enterprise=enterprise,
            department=d,
            date=DAY,
            visit=visit,
            kind=ActionKind.INSPECTION,
            finding=Finding.PROBLEMS,
        )
        for d in (fire, safety)
    }
    joint = JointVisit.objects.create(
        month=DAY.replace(day=1),
        enterprise=enterprise,
        street=street,
        date=DAY,
        status=JointVisitStatus.CONFIRMED,
        visit=visit,
    )
    proposal = JointVisit.objects.create(
        month=DAY.replace(day=1), enterprise=enterprise, street=street, date=DAY
    )
    return joint, proposal, items, actions, officer


@pytest.mark.django_db(transaction=True)
def test_form_entries_become_item_checks_notices_and_rectifications():
    joint, proposal, items, actions, officer = _world()
    corrected_at = datetime.datetime(2026, 11, 11, 9, 30, tzinfo=datetime.UTC)
    try:
        # given the schema before the migration, with the form's lines as [joint] wrote them
        executor = _migrate(BEFORE)
        FormEntry = executor.loader.project_state(BEFORE).apps.get_model("planning", "FormEntry")
        line = {"joint_visit_id": joint.pk, "recorded_by_id": officer.pk}
        FormEntry.objects.create(**line, item_id=items["fire_1"].pk, result="pass", finding="合格")
        FormEntry.objects.create(
            **line,
            item_id=items["fire_2"].pk,
            result="fail",
            finding="灭火器压力不足",
            rectification="更换失效灭火器",
            rectify_by=DAY + datetime.timedelta(days=10),
            corrected_at=corrected_at,
            correction_reason="少记一具",
        )
        FormEntry.objects.create(
            **line,
            item_id=items["safety_1"].pk,
            result="fail",
            finding="台账不全",
            rectification="补齐出入库台账",
        )
        FormEntry.objects.create(
            **line, item_id=items["safety_2"].pk, result="not_checked", finding="档案未到"
        )
        # and a line of a visit never carried out, whose department has no action on it
        FormEntry.objects.create(
            joint_visit_id=proposal.pk, item_id=items["fire_1"].pk, result="fail", finding="?"
        )

        # when the migrations run forward
        _migrate(AFTER)
    finally:
        _migrate(_latest())

    # then each line is an item check of its department's action on the visit
    checks = {c.item.code: c for c in ItemCheck.objects.select_related("item", "action")}
    assert {code: (c.action, c.result) for code, c in checks.items()} == {
        "XFJY-01": (actions["XFJY"], "compliant"),
        "XFJY-02": (actions["XFJY"], "finding"),
        "YJGL-01": (actions["YJGL"], "finding"),
        "YJGL-02": (actions["YJGL"], "not_checked"),
    }
    failing = checks["XFJY-02"]
    assert (failing.description, failing.recorded_by, failing.hazard) == (
        "灭火器压力不足",
        officer,
        0,
    )
    assert (failing.corrected_at, failing.correction_reason) == (corrected_at, "少记一具")
    assert checks["YJGL-02"].description == "档案未到"
    # and each department's findings were told at once: one notice an action, numbered as
    # the notices the services issue, on the day of the visit
    notices = {n.action.department.code: n for n in FindingNotice.objects.select_related("action")}
    assert notices["XFJY"].number == f"XFJY-责改〔2026〕{actions['XFJY'].pk}号"
    assert notices["XFJY"].issued_on == DAY and notices["XFJY"].issued_by == officer
    assert set(notices) == {"XFJY", "YJGL"}
    # with a rectification a failing line, its deadline kept or 30 days from the visit
    orders = {
        r.item_check.item.code: r for r in Rectification.objects.select_related("item_check__item")
    }
    assert set(orders) == {"XFJY-02", "YJGL-01"}
    fire = orders["XFJY-02"]
    assert (fire.requirement, fire.deadline, fire.status, fire.topic) == (
        "更换失效灭火器",
        DAY + datetime.timedelta(days=10),
        "ordered",
        "other",
    )
    assert (fire.notice, fire.enterprise, fire.department) == (
        notices["XFJY"],
        joint.enterprise,
        actions["XFJY"].department,
    )
    assert orders["YJGL-01"].deadline == DAY + datetime.timedelta(days=30)
    # and the line without an action was not moved anywhere
    assert ItemCheck.objects.count() == 4


@pytest.mark.django_db(transaction=True)
def test_going_back_rebuilds_the_form_lines_and_forward_again_changes_nothing():
    joint, _proposal, items, actions, officer = _world()
    try:
        executor = _migrate(BEFORE)
        FormEntry = executor.loader.project_state(BEFORE).apps.get_model("planning", "FormEntry")
        FormEntry.objects.create(
            joint_visit_id=joint.pk,
            item_id=items["fire_2"].pk,
            result="fail",
            finding="灭火器压力不足",
            rectification="更换失效灭火器",
            rectify_by=DAY + datetime.timedelta(days=10),
            recorded_by_id=officer.pk,
        )
        _migrate(AFTER)

        # when the migration is reversed
        executor = _migrate(BEFORE)
        FormEntry = executor.loader.project_state(BEFORE).apps.get_model("planning", "FormEntry")

        # then the form's line is back as it was
        line = FormEntry.objects.get()
        assert (line.joint_visit_id, line.item_id, line.result) == (
            joint.pk,
            items["fire_2"].pk,
            "fail",
        )
        assert (line.finding, line.rectification, line.rectify_by, line.recorded_by_id) == (
            "灭火器压力不足",
            "更换失效灭火器",
            DAY + datetime.timedelta(days=10),
            officer.pk,
        )

        # and running forward again duplicates nothing
        _migrate(AFTER)
    finally:
        _migrate(_latest())

    assert ItemCheck.objects.count() == 1 and Rectification.objects.count() == 1
    assert FindingNotice.objects.get().action == actions["XFJY"]


@pytest.mark.django_db(transaction=True)
def test_the_schema_is_back_at_the_latest_migration():
    # the tests above must leave the database as every other test expects it
    executor = MigrationExecutor(connection)

    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
