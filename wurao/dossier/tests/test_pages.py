"""The enterprise's file page (一企一档) as each role sees it: the timeline of actions and other
visits, as far as the reader may see them; out of scope is "not found"."""

import datetime

import pytest
from django.urls import reverse

from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, StreetFactory
from wurao.visits.tests.factories import NonEnforcementVisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_street():
    return StreetFactory(name="观湖街道", code="440309006")


def test_enterprise_file_shows_the_timeline_with_non_enforcement_visits_marked(
    client, justice_user, enterprise
):
    department = DepartmentFactory(name="区生态环境局")
    EnforcementActionFactory(
        enterprise=enterprise, department=department, date=datetime.date(2019, 3, 1)
    )
    EnforcementActionFactory(
        enterprise=enterprise, department=department, date=datetime.date(2020, 5, 1)
    )
    NonEnforcementVisitFactory(
        enterprise=enterprise, note="区总工会走访慰问", date=datetime.date(2020, 6, 1)
    )
    client.force_login(justice_user)

    page = client.get(reverse("dossier:enterprise-detail", args=[enterprise.pk])).content.decode()

    assert "区生态环境局" in page
    assert "区总工会走访慰问" in page
    assert page.count('class="timeline-entry timeline-other"') == 1
    assert page.count('class="timeline-entry timeline-enforcement"') == 2
    assert "2020 年 · 2 次" in page and "2019 年 · 1 次" in page


def test_enterprise_file_is_readable_by_the_enterprise_itself(client, enterprise_user, enterprise):
    EnforcementActionFactory(enterprise=enterprise)
    client.force_login(enterprise_user)

    response = client.get(reverse("dossier:enterprise-detail", args=[enterprise.pk]))

    assert response.status_code == 200
    assert enterprise.credit_code in response.content.decode()


def test_department_sees_only_its_own_actions_in_an_enterprise_file(
    client, dept_admin, department, enterprise
):
    EnforcementActionFactory(enterprise=enterprise, department=department, summary="本部门检查")
    EnforcementActionFactory(
        enterprise=enterprise, department=DepartmentFactory(name="区市场监督管理局")
    )
    client.force_login(dept_admin)

    page = client.get(reverse("dossier:enterprise-detail", args=[enterprise.pk])).content.decode()

    assert department.name in page
    assert "区市场监督管理局" not in page


def test_enterprise_user_cannot_open_another_enterprise(client, enterprise_user, street):
    other = EnterpriseFactory(street=street)
    client.force_login(enterprise_user)

    response = client.get(reverse("dossier:enterprise-detail", args=[other.pk]))

    assert response.status_code == 404
    assert other.name not in response.content.decode()


def test_street_user_gets_404_for_an_enterprise_outside_their_street(
    client, street_user, other_street
):
    outside = EnterpriseFactory(street=other_street)
    client.force_login(street_user)

    response = client.get(reverse("dossier:enterprise-detail", args=[outside.pk]))

    assert response.status_code == 404


def test_pages_require_login(client, enterprise):
    response = client.get(reverse("dossier:enterprise-detail", args=[enterprise.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
