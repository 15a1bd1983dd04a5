import factory
from factory.django import DjangoModelFactory

from wurao.catalogue.models import InspectionItem
from wurao.registry.tests.factories import DepartmentFactory


class InspectionItemFactory(DjangoModelFactory):
    class Meta:
        model = InspectionItem

    department = factory.SubFactory(DepartmentFactory)
    code = factory.Sequence(lambda n: f"ITEM-{n:04d}")
    name = factory.Sequence(lambda n: f"测试检查事项{n}")
    law = "中华人民共和国安全生产法"
    article = "第六十五条"
