import datetime
from pathlib import Path

import pytest

from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.registry.tests.factories import EnterpriseFactory, InspectorFactory

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    """The draw tests' officers hold certificates valid until 2027-06-30 and their tasks run
    in windows of 2026 and 2027: they were written for a day (see the root conftest)."""
    for test in items:
        if HERE in Path(test.fspath).parents:
            test.add_marker(pytest.mark.today("2026-12-07"))


@pytest.fixture
def item(street, department):
    """A department's published item, three of its officers on duty and eight enterprises in
    the street: enough for a small draw task."""
    InspectorFactory.create_batch(
        3, department=department, certificate_valid_until=datetime.date(2027, 6, 30)
    )
    EnterpriseFactory.create_batch(8, street=street)
    return InspectionItemFactory(department=department)
