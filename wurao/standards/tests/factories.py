import datetime

import factory
from factory.django import DjangoModelFactory

from wurao.registry.tests.factories import DepartmentFactory
from wurao.standards.choices import DocumentKind
from wurao.standards.models import Article, Document, DocumentVersion


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document

    title = factory.Sequence(lambda n: f"测试规范{n}")
    designation = factory.Sequence(lambda n: f"GB 9{n:04d}-2020")
    kind = DocumentKind.STANDARD
    issuer = "住房和城乡建设部"
    department = factory.SubFactory(DepartmentFactory)


class DocumentVersionFactory(DjangoModelFactory):
    class Meta:
        model = DocumentVersion

    document = factory.SubFactory(DocumentFactory)
    label = "2020年版"
    effective_from = datetime.date(2020, 1, 1)


class ArticleFactory(DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    version = factory.SubFactory(DocumentVersionFactory)
    position = factory.Sequence(lambda n: n)
    number = factory.Sequence(lambda n: f"第{n + 1}条")
    anchor = factory.Sequence(lambda n: f"a{n + 1}")
    text = "消防水泵房开向疏散走道的门应采用甲级防火门。"

    @factory.post_generation
    def indexed(obj, create, extracted, **kwargs):
        """Index the article for search, as the import service does."""
        if create:
            from wurao.standards.services import articles_index

            articles_index(articles=[obj], designation=obj.version.document.designation)
