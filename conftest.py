"""Shared fixtures: one signed-in user per role, each anchored to its own department, street or enterprise."""

import pytest

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, StreetFactory

PASSWORD = "pass-12345"


@pytest.fixture
def street():
    return StreetFactory(name="福城街道", code="440309005")


@pytest.fixture
def department():
    return DepartmentFactory(name="区应急管理局", code="YJ")


@pytest.fixture
def enterprise(street):
    return EnterpriseFactory(street=street)


@pytest.fixture
def justice_user(db):
    return UserFactory(username="sfj", role=Role.JUSTICE, first_name="司法局监督员")


@pytest.fixture
def dept_admin(department):
    return UserFactory(username="yj_admin", role=Role.DEPT_ADMIN, department=department)


@pytest.fixture
def street_user(street):
    return UserFactory(username="fc_street", role=Role.STREET, street=street)


@pytest.fixture
def enterprise_user(enterprise):
    return UserFactory(username="ent_user", role=Role.ENTERPRISE, enterprise=enterprise)
