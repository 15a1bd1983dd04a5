"""Who sees which self-inspection and which of its entries; the park rate."""

import datetime

import pytest
from django.utils import timezone

from wurao.accounts.choices import Role
from wurao.accounts.scope import Scope, scope_for
from wurao.accounts.tests.factories import UserFactory
from wurao.registry.tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    ParkFactory,
    StreetFactory,
)
from wurao.selfcheck import selectors
from wurao.selfcheck.tests.factories import inspection_completed, inspection_started, items_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_departments(department):
    other = DepartmentFactory(name="区市场监督管理局")
    items_for(department, 2)
    items_for(other, 3)
    return department, other


def test_a_department_sees_only_its_items_entries(enterprise_user, dept_admin, two_departments):
    # given a completed self-inspection covering two departments' items
    inspection = inspection_completed(enterprise_user)
    scope = scope_for(dept_admin)
    # when the first department reads it, then it sees its own two entries only
    seen = selectors.inspection_get(scope=scope, pk=inspection.pk)
    entries = selectors.entry_list(scope=scope, inspection=seen)
    assert {e.department_id for e in entries} == {dept_admin.department_id}
    assert entries.count() == 2
    # and the bureau sees all five
    assert selectors.entry_list(scope=Scope(sees_all=True), inspection=seen).count() == 5


def test_a_department_sees_neither_one_in_progress_nor_one_without_its_items(
    enterprise_user, dept_admin, two_departments
):
    _, other = two_departments
    in_progress = inspection_started(enterprise_user)
    assert not selectors.inspection_list(scope=scope_for(dept_admin)).filter(pk=in_progress.pk)
    in_progress.delete()
    # a self-inspection of the other department's items only
    elsewhere = inspection_started(enterprise_user, department_ids=[other.pk])
    assert not selectors.inspection_list(scope=scope_for(dept_admin)).filter(pk=elsewhere.pk)


def test_a_street_sees_its_area_completion_but_not_the_answers(
    enterprise_user, street_user, two_departments
):
    inspection = inspection_completed(enterprise_user)
    scope = scope_for(street_user)
    seen = selectors.inspection_get(scope=scope, pk=inspection.pk)
    assert seen.entry_answered == seen.entry_total == 5
    assert not selectors.entry_list(scope=scope, inspection=seen).exists()
    stranger = Scope(street_id=StreetFactory().pk)
    assert not selectors.inspection_list(scope=stranger).filter(pk=inspection.pk).exists()


def test_an_enterprise_sees_only_itself(enterprise_user, two_departments):
    inspection = inspection_completed(enterprise_user)
    other = Scope(enterprise_id=EnterpriseFactory().pk)
    assert not selectors.inspection_list(scope=other).filter(pk=inspection.pk).exists()


def test_the_park_rate_counts_live_enterprises_completed_in_the_last_twelve_months(
    street, street_user, department
):
    # given a park of four live enterprises and a closed one: one completed this month,
    # one over a year ago, one still in progress
    items_for(department, 1)
    park = ParkFactory(street=street)
    users = [
        UserFactory(role=Role.ENTERPRISE, enterprise=EnterpriseFactory(street=street, park=park))
        for _ in range(4)
    ]
    EnterpriseFactory(street=street, park=park, status="cancelled")
    today = timezone.localdate()
    inspection_completed(users[0])
    inspection_completed(users[1], on=today - datetime.timedelta(days=400))
    inspection_started(users[2])
    # when the street reads its parks' rates
    rows = selectors.park_rates(scope=scope_for(street_user), as_of=today)
    # then the park shows 1 of 4
    row = next(r for r in rows if r["park"] == park)
    assert (row["completed"], row["enterprises"], row["rate"]) == (1, 4, 0.25)


def test_a_street_sees_only_its_own_parks(street_user):
    mine, theirs = ParkFactory(street=street_user.street), ParkFactory()
    parks = [
        r["park"]
        for r in selectors.park_rates(scope=scope_for(street_user), as_of=timezone.localdate())
    ]
    assert mine in parks and theirs not in parks
    everything = selectors.park_rates(scope=Scope(sees_all=True), as_of=timezone.localdate())
    assert theirs in [r["park"] for r in everything]
