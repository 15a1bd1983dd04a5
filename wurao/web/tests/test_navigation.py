"""The main menu and the language switcher as each role and a visitor get them: every entry a
role had is still there, grouped, on every page; the switcher is on public pages too."""

import pytest
from django.conf import settings
from django.utils import translation

from wurao.accounts.choices import Role
from wurao.accounts.policy import allows
from wurao.accounts.tests.factories import UserFactory
from wurao.web.templatetags.wurao_menu import menu_for, page_rule, primary_action_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _restore_language():
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def inspector(department):
    return UserFactory(username="yj_inspector", role=Role.INSPECTOR, department=department)


def _urls(user) -> set[str]:
    return {e.url for g in menu_for(user) for e in g.entries}


def test_the_justice_bureau_reaches_streets_and_imports_among_all_its_entries(justice_user):
    # when the justice bureau's menu is built
    groups = {g.key: [e.url for e in g.entries] for g in menu_for(justice_user, "/oversight/")}

    # then the entries that used to scroll out of sight are in the base-data group
    assert "/registry/streets/" in groups["reference"] and "/imports/" in groups["reference"]
    assert groups["oversight"] == [
        "/oversight/",
        "/oversight/rules/",
        "/visits/rules/",
        "/complaints/office/",
        "/whistle/office/",
        "/outcomes/clashes/",
        "/contact-points/",
    ]
    assert groups["plans"] == [
        "/planning/plans/",
        "/planning/schedule/",
        "/planning/park-days/",
        "/bookings/teams/",
        "/bookings/overview/",
    ]


def test_each_role_keeps_exactly_the_entries_it_had(
    justice_user, dept_admin, inspector, street_user, enterprise_user
):
    everyone = {
        "/catalogue/",
        "/catalogue/departments/",
        "/registry/streets/",
        "/v/",
        "/standards/",
        "/conflicts/",
        "/conflicts/reports/",
        "/consultations/",
        "/selfcheck/",
        # the rules a case applies ([outcomes])
        "/cases/standards/",
        "/cases/exemptions/",
        "/cases/observation/",
    }
    officers = everyone | {
        "/registry/enterprises/",
        "/registry/inspectors/",
        "/enforcement/actions/",
        # off-site inspections and rectifications
        "/outcomes/offsite/",
        "/outcomes/",
    }

    assert _urls(inspector) == officers | {
        "/visits/",
        "/draws/",
        "/planning/plans/",
        "/planning/assignments/",
        "/credit/reviews/",
        "/public/draws/",
        "/public/planning/",
        "/public/audit/",
        # statement requests about complaints, whistleblowing reports assigned to it
        "/complaints/statements/",
        "/whistle/assigned/",
        "/cases/",
    }
    # a department's admin also supervises its own department on the oversight dashboard, runs
    # its service teams and imports its standards
    assert _urls(dept_admin) == _urls(inspector) | {
        "/oversight/",
        "/oversight/rules/",
        "/bookings/teams/",
        "/standards/import/",
    }
    assert "/planning/schedule/" in _urls(street_user) and "/draws/" not in _urls(street_user)
    # a street follows its area's rectifications and off-site inspections, not the cases
    assert {"/outcomes/", "/outcomes/offsite/"} <= _urls(street_user)
    assert "/cases/" not in _urls(street_user)
    enterprise = _urls(enterprise_user)
    assert "/visits/mine/" in enterprise and "/planning/mine/" in enterprise
    assert {"/portal/", "/bookings/", "/complaints/mine/", "/complaints/new/"} <= enterprise
    assert {"/outcomes/mine/", "/cases/"} <= enterprise and "/outcomes/" not in enterprise
    assert "/registry/enterprises/" not in enterprise and "/enforcement/actions/" not in enterprise
    assert "/imports/" not in _urls(dept_admin) | _urls(street_user) | enterprise


def test_the_current_page_marks_the_closest_entry(justice_user):
    # given the bureau on the refusals page, under both /visits/ entries' paths
    menu = menu_for(justice_user, "/visits/refusals/")

    # then 入企监督 is the current entry, in the oversight group
    current = [(g.key, e.url) for g in menu for e in g.entries if e.active]
    assert current == [("oversight", "/visits/rules/")]
    # and on the rules tab, where the alerts are, 规则执行与预警 is
    menu = menu_for(justice_user, "/oversight/rules/")
    assert [e.url for g in menu for e in g.entries if e.active] == ["/oversight/rules/"]


def test_only_those_who_register_get_the_big_button(inspector, street_user, enterprise_user):
    assert primary_action_for(inspector).url == "/visits/new/"
    assert primary_action_for(street_user) is None
    assert primary_action_for(enterprise_user) is None


@pytest.mark.parametrize(
    "role_user", ["justice_user", "dept_admin", "inspector", "street_user", "enterprise_user"]
)
def test_no_menu_entry_leads_to_a_refusal(client, request, role_user):
    # given a user of each role, signed in
    user = request.getfixturevalue(role_user)
    client.force_login(user)

    # when they open every entry of their menu, then none of the pages refuses them
    for url in _urls(user):
        assert client.get(url).status_code in (200, 302), url


def test_the_menu_asks_the_rule_each_page_names(justice_user, street_user):
    # the menu reads the rule from the page's view, so the two cannot disagree
    assert page_rule("/oversight/") == "oversight.supervise"
    assert page_rule("/registry/inspectors/") == "registry.inspectors_browse"
    assert page_rule("/imports/") == "imports.run"
    # a street coordinator sees the dashboard over its own area, and imports nothing
    assert "/oversight/" in _urls(street_user) and "/imports/" not in _urls(street_user)
    assert "/visits/rules/" not in _urls(street_user)
    # and offers a page to fewer than may open it where the entry says so: the bureau may
    # open the visit register but supervises visits from its own entry instead
    assert allows(justice_user, page_rule("/visits/"))
    assert "/visits/" not in _urls(justice_user) and "/oversight/rules/" in _urls(justice_user)


def test_every_page_of_a_role_carries_its_whole_menu(client, justice_user):
    # given the bureau on any page
    client.force_login(justice_user)
    page = client.get("/catalogue/").content.decode()

    # then every one of its entries is a link in the menu, none hidden by a scrolling bar
    for url in _urls(justice_user):
        assert f'href="{url}"' in page
    assert "overflow-auto" not in page.split('id="wurao-menu"')[1].split("</nav>")[0]


@pytest.mark.parametrize("url", ["/v/", "/public/draws/", "/public/planning/", "/login/"])
def test_a_visitor_can_switch_the_language_on_public_pages(client, url):
    # when a visitor who has not logged in opens a public page
    page = client.get(url).content.decode()

    # then it offers English, coming back to the same page
    assert 'action="/lang/"' in page and 'value="en"' in page
    assert f'name="next" value="{url}"' in page

    # and after switching, the same page offers the way back to Chinese
    client.post("/lang/", {"language": "en", "next": url})
    page = client.get(url).content.decode()
    assert '<html lang="en">' in page and 'value="zh-hans"' in page
