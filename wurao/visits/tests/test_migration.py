"""[skeleton]'s non-enforcement visits become Visits of the non-enforcement kind (migration
visits 0002): one place counts visits, not two."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from wurao.accounts.tests.factories import UserFactory
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory
from wurao.visits.choices import VisitKind, VisitStatus
from wurao.visits.models import CODE_ALPHABET, CODE_LENGTH, Visit

BEFORE = [("enforcement", "0003_action_visit"), ("visits", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_old_non_enforcement_visits_become_completed_visits_with_a_code():
    # given an enterprise, a union and a community office, and a clerk (the registry is not
    # touched by the migrations under test)
    enterprise = EnterpriseFactory()
    union = DepartmentFactory(name="区总工会", is_enforcement=False)
    community = DepartmentFactory(name="景龙社区工作站", is_enforcement=False)
    clerk = UserFactory(username="clerk")
    try:
        # and the schema as [skeleton] left it, with its non-enforcement visits
        executor = _migrate(BEFORE)
        old_apps = executor.loader.project_state(BEFORE).apps
        Old = old_apps.get_model("enforcement", "NonEnforcementVisit")
        Old.objects.create(
            enterprise_id=enterprise.pk,
            organisation_id=union.pk,
            date=datetime.date(2019, 3, 8),
            purpose="三八节慰问女职工",
            created_by_id=clerk.pk,
        )
        Old.objects.create(
            enterprise_id=enterprise.pk,
            organisation_id=community.pk,
            date=datetime.date(2019, 4, 2),
            purpose="疫情防控宣传",
        )

        # when the migrations run forward
        _migrate(_latest())
    finally:
        _migrate(_latest())

    # then each became a completed non-enforcement Visit, the organisation as its department
    moved = list(Visit.objects.filter(enterprise=enterprise).order_by("date"))
    assert [(v.date, v.note) for v in moved] == [
        (datetime.date(2019, 3, 8), "三八节慰问女职工"),
        (datetime.date(2019, 4, 2), "疫情防控宣传"),
    ]
    for visit, organisation in zip(moved, (union, community), strict=True):
        assert visit.kind == VisitKind.NON_ENFORCEMENT
        assert visit.status == VisitStatus.COMPLETED
        assert visit.department == organisation
        assert list(visit.departments.all()) == [organisation]
        assert visit.purpose == "other" and visit.origin == "" and not visit.after_the_fact
        assert len(visit.code) == CODE_LENGTH and set(visit.code) <= set(CODE_ALPHABET)
    assert moved[0].registered_by == clerk and moved[1].registered_by is None
    assert len({v.code for v in moved}) == 2


@pytest.mark.django_db(transaction=True)
def test_the_schema_is_back_at_the_latest_migration():
    # the test above must leave the database as every other test expects it
    executor = MigrationExecutor(connection)

    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
