"""The public code check loads its visit in plain SQL (sql.visit_for_check): the same visit,
relations and orders as the ORM's select_related and prefetch_related, in four statements."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.registry.choices import Level
from wurao.registry.tests.factories import DepartmentFactory, InspectorFactory
from wurao.visits.models import Visit
from wurao.visits.selectors import visit_code_check
from wurao.visits.sql import visit_for_check
from wurao.visits.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db


def values(instance) -> dict:
    return {k: v for k, v in instance.__dict__.items() if not k.startswith("_")}


@pytest.fixture
def joint_visit():
    """A joint visit of a district and a street department (listed in their order: district
    before street), officers from both and one from a third department, items of both."""
    district = DepartmentFactory(name="区应急管理局", code="YJ", level=Level.DISTRICT)
    street = DepartmentFactory(name="福城街道执法队", code="FC", level=Level.STREET)
    third = DepartmentFactory(name="区市场监督管理局", code="SJ")
    officers = [
        InspectorFactory(department=street, badge_no="44030900000009"),
        InspectorFactory(department=district, badge_no="44030900000001"),
        InspectorFactory(department=third, badge_no="44030900000005"),
    ]
    items = [
        InspectionItemFactory(department=street, code="FC-002"),
        InspectionItemFactory(department=district, code="YJ-010"),
        InspectionItemFactory(department=district, code="YJ-001"),
    ]
    return VisitFactory(
        department=street,
        departments=[street, district],
        officers=officers,
        items=items,
        date=datetime.date(2026, 12, 7),
    )


def test_the_visit_loads_as_the_orm_loads_it(joint_visit):
    # given the visit as the ORM loads it
    expected = (
        Visit.objects.select_related("enterprise", "department")
        .prefetch_related("officers", "items", "departments")
        .get(code=joint_visit.code)
    )

    # when the code check loads it, in four statements
    with CaptureQueriesContext(connection) as queries:
        loaded = visit_for_check(joint_visit.code)
        related = {
            name: list(getattr(loaded, name).all()) for name in ("officers", "items", "departments")
        }
    assert len(queries) == 4

    # then it is the same visit, enterprise, department, and related rows in the same order
    assert values(loaded) == values(expected)
    assert values(loaded.enterprise) == values(expected.enterprise)
    assert values(loaded.department) == values(expected.department)
    for name, rows in related.items():
        assert [values(r) for r in rows] == [values(r) for r in getattr(expected, name).all()]
    # a related manager still filters in the database (a new queryset, not the loaded list)
    assert set(loaded.officers.filter(department=joint_visit.department)) == {
        o for o in related["officers"] if o.department_id == joint_visit.department_id
    }


def test_an_unknown_code_loads_nothing():
    assert visit_for_check("ZZZZZZZZ") is None
    assert visit_code_check(raw="ZZZZ-ZZZZ").visit is None
