import datetime

import pytest

from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.registry.tests.factories import EnterpriseFactory, InspectorFactory


@pytest.fixture
def item(street, department):
    """A department's published item, three of its officers on duty and eight enterprises in
    the street: enough for a small draw task."""
    InspectorFactory.create_batch(
        3, department=department, certificate_valid_until=datetime.date(2027, 6, 30)
    )
    EnterpriseFactory.create_batch(8, street=street)
    return InspectionItemFactory(department=department)
