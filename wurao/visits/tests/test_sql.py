"""The registration's hand-written SQL (wurao/visits/sql.py) reads what the ORM would."""

import datetime
import uuid

import pytest
from django.utils import timezone

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.credit.points import DEFAULT_TABLE
from wurao.credit.points_json import table_to_dict
from wurao.credit.services_grading import grades_recompute, points_table_publish
from wurao.registry.tests.factories import DepartmentFactory, InspectorFactory
from wurao.visits import selectors, sql
from wurao.visits.models import ClientRequest
from wurao.visits.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 5, 12)


# --- registration_lookup ----------------------------------------------------------------------


def test_the_registration_lookup_reads_what_the_codes_name_as_the_orm_would(
    enterprise, department, django_assert_num_queries
):
    other = DepartmentFactory(name="区消防救援大队", is_enforcement=True)
    expired = InspectorFactory(department=other, certificate_valid_until=DAY)
    on_leave = InspectorFactory(department=department, active=False)
    withdrawn = InspectionItemFactory(department=other, active=False, article="")
    listed = InspectionItemFactory(department=department, article="第十条")
    user = UserFactory(role=Role.INSPECTOR, department=department)

    with django_assert_num_queries(1):
        found = sql.registration_lookup(
            user_id=user.pk,
            client_id=uuid.uuid4(),
            credit_code=enterprise.credit_code,
            badges=[expired.badge_no, on_leave.badge_no, "NO-SUCH-BADGE"],
            item_codes=[listed.code, withdrawn.code, "NO-SUCH-ITEM"],
        )
        assert found.earlier_request_id is None
        assert (found.enterprise.pk, found.enterprise.name) == (enterprise.pk, enterprise.name)
        assert found.locked == sql.Locked(None, "U", None)  # ungraded, no earlier visit
        assert set(found.officers) == {expired.badge_no, on_leave.badge_no}
        assert found.officers[expired.badge_no].certificate_valid_until == DAY
        assert found.officers[on_leave.badge_no].active is False
        assert found.officers[expired.badge_no].department.name == "区消防救援大队"
        assert found.officers[expired.badge_no].department.is_enforcement is True
        assert set(found.items) == {listed.code, withdrawn.code}
        assert found.items[withdrawn.code].active is False
        assert selectors.matter_key(found.items[listed.code]) == selectors.matter_key(listed)
        assert found.items[listed.code].department.level == department.level

    # What the look-up left out loads when asked for, as the ORM's deferred fields do.
    assert found.enterprise.street_id == enterprise.street_id
    assert found.items[listed.code].check_points == listed.check_points


def test_the_registration_lookup_finds_this_users_earlier_request_only(enterprise, department):
    user = UserFactory(role=Role.INSPECTOR, department=department)
    someone_else = UserFactory(role=Role.INSPECTOR, department=department)
    client_id = uuid.uuid4()
    earlier = ClientRequest.objects.create(
        user=user, client_id=client_id, action="register", status_code=409, response={}
    )

    def lookup(who):
        return sql.registration_lookup(
            user_id=who.pk, client_id=client_id, credit_code="", badges=[], item_codes=[]
        )

    assert lookup(user).earlier_request_id == earlier.pk
    mine = lookup(someone_else)
    assert (mine.earlier_request_id, mine.enterprise, mine.officers, mine.items) == (
        None,
        None,
        {},
        {},
    )


def test_the_registration_lookup_reads_with_its_lock_what_enterprise_lock_reads(
    enterprise, department, justice_user
):
    # given an enterprise graded A by a published credit table, and a visit registered
    # under a client id
    lenient = table_to_dict(DEFAULT_TABLE)
    lenient["thresholds"] = {"A": 0.0, "B": -10.0, "C": -20.0}
    points_table_publish(
        actor=justice_user, table=lenient, effective_from=datetime.date(2020, 1, 1), note="测试"
    )
    grades_recompute(actor=justice_user, as_of=timezone.localdate())
    client_id = uuid.uuid4()
    visit = VisitFactory(enterprise=enterprise, department=department, client_id=client_id)

    found = sql.registration_lookup(
        user_id=justice_user.pk,
        client_id=client_id,
        credit_code=enterprise.credit_code,
        badges=[],
        item_codes=[],
    )

    assert found.locked == sql.enterprise_lock(enterprise_id=enterprise.pk, client_id=client_id)
    assert found.locked.existing_visit_id == visit.pk
    assert found.locked.grade == "A"
    assert found.locked.grade_effect == lenient["effects"]["A"]
