"""Reference data the import tests match cells against."""

import pytest

from wurao.registry.tests.factories import (
    CommunityFactory,
    DepartmentFactory,
    ParkFactory,
    RiskTagFactory,
    StreetFactory,
)


@pytest.fixture
def places(street):
    """福城街道 with 福城社区 and a park, 观湖街道 with 新田社区; two risk tags."""
    other = StreetFactory(name="观湖街道", code="440309004")
    return {
        "fucheng": street,
        "guanhu": other,
        "fucheng_community": CommunityFactory(street=street, name="福城社区", code="440309005001"),
        "xintian": CommunityFactory(street=other, name="新田社区", code="440309004001"),
        "park": ParkFactory(street=street, name="福城产业园", code="P-FC"),
        "hazchem": RiskTagFactory(code="hazchem", name="危化品"),
        "dust": RiskTagFactory(code="dust", name="粉尘涉爆"),
    }


@pytest.fixture
def departments(department):
    """区应急管理局 (YJ, the conftest's department) enforces; 区总工会 only visits."""
    return {
        "yj": department,
        "union": DepartmentFactory(name="区总工会", code="GH", is_enforcement=False),
    }
