import datetime

import factory
from factory.django import DjangoModelFactory

from wurao.registry.choices import Level
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, InspectorFactory
from wurao.visits.choices import VisitKind, VisitOrigin, VisitPurpose, VisitStatus
from wurao.visits.models import Visit


class VisitFactory(DjangoModelFactory):
    """A registered inspection visit stored directly (no rule checks): for setting the scene.
    `departments` defaults to the lead department; pass `departments=[...]` for a joint visit.
    An inspection gets two new officers per department unless `officers=[...]` is passed."""

    class Meta:
        model = Visit
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    department = factory.SubFactory(DepartmentFactory)
    kind = VisitKind.INSPECTION
    origin = VisitOrigin.PLAN
    date = datetime.date(2020, 6, 1)
    status = VisitStatus.COMPLETED
    approver = "王局长"
    approval_ref = "审批〔2020〕1号"
    approved_on = factory.LazyAttribute(lambda o: o.date)

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create:
            self.departments.set(extracted or [self.department])

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if create and extracted:
            self.items.set(extracted)

    @factory.post_generation
    def officers(self, create, extracted, **kwargs):
        """Two officers of each department on an inspection unless told (as registered)."""
        if not create:
            return
        if extracted is None and self.kind == VisitKind.INSPECTION:
            extracted = [
                o
                for d in self.departments.all()
                for o in InspectorFactory.create_batch(2, department=d)
            ]
        if extracted:
            self.officers.set(extracted)


class NonEnforcementVisitFactory(VisitFactory):
    kind = VisitKind.NON_ENFORCEMENT
    origin = ""
    purpose = VisitPurpose.UNION
    department = factory.SubFactory(DepartmentFactory, level=Level.STREET, is_enforcement=False)
    note = "工会走访"
    approver = ""
    approval_ref = ""
    approved_on = None
