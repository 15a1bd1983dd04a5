import factory
from factory.django import DjangoModelFactory

from wurao.common.credit_code import credit_code_complete
from wurao.registry.choices import EnterpriseKind, Level
from wurao.registry.models import (
    Community,
    Department,
    Enterprise,
    Inspector,
    Park,
    RiskTag,
    Street,
)


class StreetFactory(DjangoModelFactory):
    class Meta:
        model = Street
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"4403099{n:05d}")
    name = factory.Sequence(lambda n: f"测试{n}街道")


class CommunityFactory(DjangoModelFactory):
    class Meta:
        model = Community

    street = factory.SubFactory(StreetFactory)
    code = factory.Sequence(lambda n: f"440309100{n:03d}")
    name = factory.Sequence(lambda n: f"测试{n}社区")


class ParkFactory(DjangoModelFactory):
    class Meta:
        model = Park

    street = factory.SubFactory(StreetFactory)
    code = factory.Sequence(lambda n: f"P{n:04d}")
    name = factory.Sequence(lambda n: f"测试{n}产业园")


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"区测试{n}局")
    level = Level.DISTRICT
    is_enforcement = True


class InspectorFactory(DjangoModelFactory):
    class Meta:
        model = Inspector

    badge_no = factory.Sequence(lambda n: f"44030900{n:05d}")
    name = factory.Sequence(lambda n: f"执法员{n}")
    department = factory.SubFactory(DepartmentFactory)


class RiskTagFactory(DjangoModelFactory):
    class Meta:
        model = RiskTag
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"tag{n}")
    name = factory.Sequence(lambda n: f"风险{n}")


def valid_credit_code(n: int) -> str:
    # 9 (工商) 1 (企业) 440309 (龙华区) + 9-character organisation code, then the check character.
    return credit_code_complete(f"91440309{n:08d}X")


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = Enterprise

    credit_code = factory.Sequence(valid_credit_code)
    name = factory.Sequence(lambda n: f"深圳市测试{n}科技有限公司")
    kind = EnterpriseKind.ENTERPRISE
    street = factory.SubFactory(StreetFactory)
    address = "深圳市龙华区测试路1号"
