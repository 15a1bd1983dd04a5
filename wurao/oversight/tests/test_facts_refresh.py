"""After a committed write the kept frames are brought up to date: on PostgreSQL by reading
again only the actions and visits written (the change log, wurao/oversight/refresh.py), and
always equal to what the selectors show."""

import datetime

import pytest
from django.db import connection

from wurao.accounts.scope import Scope
from wurao.enforcement.choices import ActionKind
from wurao.enforcement.models import EnforcementAction
from wurao.enforcement.selectors import action_list
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.oversight import facts, facts_panels
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory
from wurao.visits.choices import VisitStatus
from wurao.visits.selectors import COUNTED_STATUSES, non_enforcement_list, visit_list
from wurao.visits.tests.factories import NonEnforcementVisitFactory

pytestmark = pytest.mark.django_db(transaction=True)

ALL = Scope(sees_all=True)
DAY = datetime.date(2020, 5, 1)


def _frame_matches_selectors():
    frame = facts.contacts(scope=ALL)
    got = {
        (s, i, d, k)
        for s, i, d, k in frame.select("source", "id", "department_id", "kind")
        .with_columns(facts.pl.col("kind").cast(facts.pl.String))
        .iter_rows()
    }
    expected = {
        ("action", pk, d, k)
        for pk, d, k in action_list(scope=ALL).values_list("pk", "department_id", "kind")
    }
    expected |= {
        ("visit", pk, d, "non_enforcement")
        for pk, d in non_enforcement_list(scope=ALL).values_list("pk", "department_id")
    }
    assert got == expected
    members = {tuple(r) for r in facts.facts().members.iter_rows()}
    assert members == {
        (pk, d)
        for pk, d in non_enforcement_list(scope=ALL).values_list("pk", "departments")
        if d is not None
    }


def _visits_match_selectors():
    kept = facts_panels.visits()
    assert set(kept.visits["id"]) == set(
        visit_list(scope=ALL).filter(status__in=COUNTED_STATUSES).values_list("pk", flat=True)
    )
    assert {tuple(r) for r in kept.departments.iter_rows()} == {
        (pk, d) for pk, d in visit_list(scope=ALL).values_list("pk", "departments") if d
    }


@pytest.fixture
def kept():
    facts.forget()
    facts_panels.forget()
    yield
    facts.forget()
    facts_panels.forget()


def test_written_rows_are_read_again_and_the_frames_stay_exact(kept):
    # given a district whose frames are kept
    env, union = DepartmentFactory(), DepartmentFactory(is_enforcement=False)
    firm = EnterpriseFactory()
    first = EnforcementActionFactory(enterprise=firm, department=env, date=DAY)
    visit = NonEnforcementVisitFactory(enterprise=firm, department=union, date=DAY)
    _frame_matches_selectors()
    _visits_match_selectors()
    loads = facts.full_loads

    # when actions are added, changed and deleted, and a visit is cancelled and joined
    added = EnforcementActionFactory(enterprise=firm, department=env, date=DAY)
    EnforcementAction.objects.filter(pk=first.pk).update(kind=ActionKind.PENALTY)
    _frame_matches_selectors()
    EnforcementAction.objects.filter(pk=added.pk).delete()
    visit.departments.add(env)
    _frame_matches_selectors()
    _visits_match_selectors()
    visit.status = VisitStatus.CANCELLED
    visit.save()

    # then the frames equal the selectors after every write
    _frame_matches_selectors()
    _visits_match_selectors()
    assert facts.contacts(scope=ALL).height == 1
    # and, where the database keeps the change log, without reading everything again
    if connection.vendor == "postgresql":
        assert facts.full_loads == loads

    # when an enterprise changes (not in the log): read again whole, still exact
    loads = facts.full_loads
    EnterpriseFactory()
    _frame_matches_selectors()
    assert facts.full_loads == loads + 1
