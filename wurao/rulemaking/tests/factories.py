import datetime

import factory
from factory.django import DjangoModelFactory

from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory
from wurao.rulemaking.choices import CommenterKind, ConflictStatus, ConsultationStatus
from wurao.rulemaking.models import (
    Comment,
    Conflict,
    Consultation,
    ContactPoint,
    Requirement,
)
from wurao.standards.tests.factories import ArticleFactory


class ConflictFactory(DjangoModelFactory):
    """A conflict in the register (accepted), with its two requirements."""

    class Meta:
        model = Conflict
        skip_postgeneration_save = True

    topic = factory.Sequence(lambda n: f"消防水泵房防火门等级{n}")
    situation = "新建厂房的消防水泵房"
    status = ConflictStatus.OPEN
    coordinating_department = factory.SubFactory(DepartmentFactory)

    @factory.post_generation
    def requirements(obj, create, extracted, **kwargs):
        if not create:
            return
        texts = extracted or ("应采用乙级防火门", "应采用甲级防火门")
        for side, text in enumerate(texts, start=1):
            Requirement.objects.create(
                conflict=obj, side=side, article=ArticleFactory(text=text), text=text
            )


class ConsultationFactory(DjangoModelFactory):
    class Meta:
        model = Consultation

    department = factory.SubFactory(DepartmentFactory)
    title = factory.Sequence(lambda n: f"安全生产执法标准修订稿{n}")
    text = "第一条 为规范……\n第二条 企业应当……"
    starts_on = datetime.date(2026, 12, 1)
    ends_on = datetime.date(2026, 12, 31)
    effective_on = datetime.date(2027, 3, 1)
    status = ConsultationStatus.OPEN


class CommentFactory(DjangoModelFactory):
    class Meta:
        model = Comment

    consultation = factory.SubFactory(ConsultationFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    commenter_kind = CommenterKind.ENTERPRISE
    commenter_name = factory.LazyAttribute(lambda c: c.enterprise.name)
    text = "建议延长整改期限"


class ContactPointFactory(DjangoModelFactory):
    class Meta:
        model = ContactPoint

    enterprise = factory.SubFactory(EnterpriseFactory)
    street = factory.LazyAttribute(lambda p: p.enterprise.street)
    term_from = datetime.date(2026, 1, 1)
    term_to = datetime.date(2027, 12, 31)
