"""The landing page, login, error pages and the Chinese admin."""

import pytest
from django.urls import reverse

from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.models import Street
from wurao.web.templatetags.wurao_ui import thousands

pytestmark = pytest.mark.django_db


def test_justice_lands_on_the_oversight_dashboard(client, justice_user):
    client.force_login(justice_user)

    assert client.get("/")["Location"] == "/oversight/"


def test_enterprise_lands_on_its_home(client, enterprise_user, enterprise):
    client.force_login(enterprise_user)

    assert client.get("/")["Location"] == "/portal/"


def test_department_landing_shows_its_recent_actions_only(client, dept_admin, department):
    EnforcementActionFactory(department=department, enterprise__name="本局最近检查企业")
    EnforcementActionFactory(enterprise__name="他局检查企业")
    client.force_login(dept_admin)

    page = client.get("/").content.decode()

    assert "本局最近检查企业" in page and "他局检查企业" not in page


def test_street_landing_counts_the_enterprises_in_its_area(client, street_user, enterprise):
    client.force_login(street_user)

    page = client.get("/").content.decode()

    assert "辖区商事主体" in page


def test_anonymous_visitor_is_sent_to_the_chinese_login_page(client):
    response = client.get("/", follow=True)

    assert "登录无扰平台" in response.content.decode()


def test_language_switch_still_redirects_back(client):
    response = client.post(reverse("set-language"), {"language": "en", "next": "/catalogue/"})

    assert response.status_code == 302 and response["Location"] == "/catalogue/"


def test_thousands_groups_by_three_whatever_the_locale():
    assert thousands(53382) == "53,382"
    assert thousands(717) == "717"
    assert thousands(None) == "—"


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.mark.parametrize(
    "model",
    [
        "registry/street",
        "registry/community",
        "registry/park",
        "registry/department",
        "registry/inspector",
        "registry/risktag",
        "registry/enterprise",
        "catalogue/inspectionitem",
        "enforcement/enforcementaction",
        "visits/visit",
        "visits/visitrefusal",
    ],
)
def test_admin_changelists_render_in_chinese(client, superuser, enterprise, model):
    EnforcementActionFactory(enterprise=enterprise)
    client.force_login(superuser)

    response = client.get(f"/admin/{model}/")

    assert response.status_code == 200
    assert "无扰 wurao 管理后台" in response.content.decode()


def test_admin_search_finds_an_enterprise_by_credit_code_prefix(client, superuser, enterprise):
    client.force_login(superuser)

    page = client.get(
        "/admin/registry/enterprise/", {"q": enterprise.credit_code[:10]}
    ).content.decode()

    assert enterprise.name in page


def test_admin_edits_enter_the_audit_chain(client, superuser):
    client.force_login(superuser)

    client.post("/admin/registry/street/add/", {"code": "440309010", "name": "大浪街道"})

    street = Street.objects.get(code="440309010")
    event = AuditEvent.objects.get(verb="street.admin_create")
    assert event.object_id == str(street.pk) and event.actor_label == "admin"


def test_enforcement_records_are_read_only_in_the_admin(client, superuser, enterprise):
    action = EnforcementActionFactory(enterprise=enterprise)
    client.force_login(superuser)

    assert client.get("/admin/enforcement/enforcementaction/add/").status_code == 403
    assert (
        client.post(
            f"/admin/enforcement/enforcementaction/{action.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
