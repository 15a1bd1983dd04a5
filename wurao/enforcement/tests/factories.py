import datetime

import factory
from factory.django import DjangoModelFactory

from wurao.enforcement.choices import ActionKind, Origin
from wurao.enforcement.models import EnforcementAction
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory


class EnforcementActionFactory(DjangoModelFactory):
    class Meta:
        model = EnforcementAction

    enterprise = factory.SubFactory(EnterpriseFactory)
    department = factory.SubFactory(DepartmentFactory)
    department_level = factory.LazyAttribute(lambda o: o.department.level)
    date = datetime.date(2020, 6, 1)
    kind = ActionKind.INSPECTION
    origin = Origin.PLAN
