"""Fixtures shared by the visits tests (the signed-in users, departments and enterprise are in
the project's conftest.py)."""

import datetime

import pytest
from django.utils import timezone

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.selectors import audit_chain_first_broken
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.registry.tests.factories import DepartmentFactory, InspectorFactory
from wurao.visits import services
from wurao.visits.tests.support import _reg


@pytest.fixture
def audit_chain_stays_whole(db):
    """Used by the services tests: whatever a test wrote, the audit chain still verifies."""
    yield
    assert audit_chain_first_broken() is None


@pytest.fixture
def visit(dept_admin, department, enterprise):
    """Today's inspection of the enterprise by the department, registered and approved."""
    return services.visit_register(actor=dept_admin, reg=_reg(enterprise, department))


@pytest.fixture
def inspector(department):
    return UserFactory(username="yj_officer", role=Role.INSPECTOR, department=department)


@pytest.fixture
def other_admin():
    return UserFactory(role=Role.DEPT_ADMIN, department=DepartmentFactory(name="区市场监管局"))


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def officers(department):
    far = datetime.date(2099, 12, 31)
    return [
        InspectorFactory(department=department, name="李明", certificate_valid_until=far),
        InspectorFactory(department=department, name="王芳", certificate_valid_until=far),
    ]


@pytest.fixture
def item(department):
    return InspectionItemFactory(department=department, code="YJ-001", name="安全生产责任制落实")


@pytest.fixture
def admin_client(client, dept_admin):
    client.force_login(dept_admin)
    return client
