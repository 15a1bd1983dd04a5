"""Items link to the articles they enforce: once, audited, by their department or the bureau."""

import pytest
from django.core.exceptions import PermissionDenied

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.catalogue.selectors import item_article_links
from wurao.catalogue.services import item_article_link, item_article_unlink
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.standards.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_a_department_admin_links_its_item_once_and_the_link_is_audited(dept_admin):
    item = InspectionItemFactory(department=dept_admin.department)
    article = ArticleFactory()

    first = item_article_link(actor=dept_admin, item=item, article=article)
    again = item_article_link(actor=dept_admin, item=item, article=article)

    assert first == again and list(item_article_links(item=item)) == [first]
    assert AuditEvent.objects.filter(verb="catalogue.item_article_link").count() == 1
    item_article_unlink(actor=dept_admin, link=first)
    assert not item_article_links(item=item).exists()


def test_another_departments_admin_may_not_link_the_item(dept_admin):
    item = InspectionItemFactory()  # another department's
    stranger = UserFactory(role=Role.INSPECTOR, department=dept_admin.department)

    with pytest.raises(PermissionDenied):
        item_article_link(actor=dept_admin, item=item, article=ArticleFactory())
    with pytest.raises(PermissionDenied):
        item_article_link(actor=stranger, item=item, article=ArticleFactory())
