"""Every page that shows an enterprise's grade says as of which date it was graded."""

import datetime

import pytest
from django.urls import reverse

from wurao.credit.services_grading import grades_recompute
from wurao.enforcement.choices import ActionKind
from wurao.enforcement.tests.factories import EnforcementActionFactory

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 11, 30)


@pytest.fixture
def graded(enterprise, department, justice_user):
    """The enterprise penalised this autumn, and the district graded as of AS_OF."""
    EnforcementActionFactory(
        enterprise=enterprise,
        department=department,
        kind=ActionKind.PENALTY,
        date=datetime.date(2026, 10, 12),
    )
    grades_recompute(actor=justice_user, as_of=AS_OF)
    return enterprise


def test_the_enterprise_sees_the_date_its_grade_is_as_of(client, enterprise_user, graded):
    # given the enterprise's own account
    client.force_login(enterprise_user)

    # when it opens its credit page and its visits (where the grade sets the caps)
    credit = client.get(reverse("credit:portal")).content.decode()
    visits = client.get("/visits/mine/").content.decode()

    # then each says as of which date the grade was given
    assert "信用等级（截至 2026-11-30）" in credit
    assert 'id="grade-as-of">（截至 2026-11-30）' in visits


def test_the_enterprise_file_shows_the_grade_with_its_date(client, justice_user, graded):
    client.force_login(justice_user)

    page = client.get(reverse("dossier:enterprise-detail", args=[graded.pk])).content.decode()

    assert "（截至 2026-11-30）" in page
