"""Builders shared by the cases tests (no tests here): a department with an item, a
discretion standard of three bands, an inspection at an enterprise with a finding, and the
exemption lists above it."""

from __future__ import annotations

import datetime
from decimal import Decimal

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.enforcement.choices import ActionKind, Origin
from wurao.enforcement.services import action_record
from wurao.outcomes import services_exemptions
from wurao.outcomes.choices import CheckResult, ExemptionKind, Hazard, Level, Sector
from wurao.outcomes.services_checks import checks_record
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, InspectorFactory

DAY = datetime.date(2026, 3, 2)
BANDS = [
    {
        "name": "轻微",
        "circumstances": "首次发现，及时改正",
        "measure": "警告或罚款",
        "min_amount": Decimal("0"),
        "max_amount": Decimal("2000"),
    },
    {
        "name": "一般",
        "circumstances": "逾期未改正",
        "measure": "罚款",
        "min_amount": Decimal("2000"),
        "max_amount": Decimal("10000"),
    },
    {
        "name": "严重",
        "circumstances": "拒不改正或造成后果",
        "measure": "罚款",
        "min_amount": Decimal("10000"),
        "max_amount": Decimal("200000"),
    },
]


class Desk:
    """One department's desk: its admin, an inspector (user and badge), an item, a standard."""

    def __init__(self, code: str = "YJ", name: str = "区应急管理局"):
        self.department = DepartmentFactory(code=code, name=name)
        self.admin = UserFactory(role=Role.DEPT_ADMIN, department=self.department)
        self.user = UserFactory(role=Role.INSPECTOR, department=self.department)
        self.officers = InspectorFactory.create_batch(2, department=self.department)
        self.item = InspectionItemFactory(department=self.department, name="安全出口标志设置")
        self.standard = services_exemptions.standard_save(
            actor=self.admin,
            department=self.department,
            code=f"{code}-CL-001",
            violation="未按规定设置安全出口标志",
            legal_basis="《中华人民共和国消防法》第六十条第一款第一项",
            item=self.item,
            bands=BANDS,
        )

    def finding(self, enterprise=None, *, day=DAY, hazard=Hazard.GENERAL, serious=False, item=None):
        """An inspection of the item at the enterprise that found a problem: its ItemCheck."""
        enterprise = enterprise or EnterpriseFactory()
        item = item or self.item
        action = action_record(
            actor="test",
            enterprise=enterprise,
            department=self.department,
            day=day,
            kind=ActionKind.INSPECTION,
            origin=Origin.PLAN,
            items=[item],
            officers=self.officers,
        )
        (check,) = checks_record(
            actor="test",
            action=action,
            rows=[
                {
                    "item": item,
                    "result": CheckResult.FINDING,
                    "description": "安全出口标志缺失",
                    "hazard": hazard,
                    "serious_risk": serious,
                }
            ],
        )
        return check


def district_first_offence(bureau, item, **extra):
    """The district's list with a 首违不罚 entry for the item."""
    exemption_list = services_exemptions.exemption_list_create(
        actor=bureau, level=Level.DISTRICT, title="龙华区首违不罚清单", published_on=DAY
    )
    entry = services_exemptions.exemption_entry_save(
        actor=bureau,
        exemption_list=exemption_list,
        kind=ExemptionKind.FIRST_OFFENCE,
        sector=Sector.FIRE,
        violation="未按规定设置安全出口标志",
        item=item,
        legal_basis="《行政处罚法》第三十三条第一款",
        **extra,
    )
    return exemption_list, entry
