"""A number too large for the database, typed into a page's filter or the admin's date
drill-down, is a wrong filter the page names, never a server error (the crawl found both)."""

import pytest

from wurao.accounts.tests.factories import UserFactory
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.web.tests.crawl import HUGE

pytestmark = pytest.mark.django_db


def test_an_enterprise_filter_past_any_id_is_left_out_and_the_list_still_shows(
    client, justice_user, enterprise
):
    # Given the justice bureau and one recorded action
    EnforcementActionFactory(enterprise=enterprise, enterprise__name="某检查企业")
    client.force_login(justice_user)

    # When the list is asked for an enterprise id past any a database holds
    response = client.get("/enforcement/actions/", {"enterprise": HUGE})

    # Then the list opens, unfiltered, instead of a 500
    assert response.status_code == 200
    assert enterprise.name in response.content.decode()


def test_a_page_form_refuses_a_number_past_the_database_by_name(client, justice_user):
    from wurao.enforcement.forms import ActionFilterForm

    form = ActionFilterForm({"enterprise": HUGE}, years=[], department_choice=True)

    assert not form.is_valid()
    assert "不能大于" in form.errors["enterprise"][0]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/sampling/drawtask/?created_at__year=" + HUGE,
        "/admin/credit/gradechange/?changed_at__year=" + HUGE,
    ],
)
def test_the_admins_date_drill_down_with_an_enormous_year_is_a_wrong_filter(client, url):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))

    response = client.get(url)

    # The admin's own answer to a wrong filter: the list again, marked ?e=1
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("justice_user", "/planning/schedule/?street=²"),
        ("justice_user", "/planning/plans/?department=²"),
        ("dept_admin", "/draws/new/items/?partners=²"),
    ],
)
def test_a_superscript_digit_is_not_taken_for_a_number(client, request, role, url):
    # "²" passes str.isdigit() but int() refuses it: the page ignores it instead of a 500
    client.force_login(request.getfixturevalue(role))

    assert client.get(url).status_code in (200, 404)


def test_the_rules_form_names_a_superscript_quiet_day_instead_of_failing(client, justice_user):
    client.force_login(justice_user)

    response = client.post("/visits/rules/", {"monthly_quiet_days": "1, ²"})

    # The form again, with what is wrong (the page answers a refused form with a 400)
    assert response.status_code == 400
    assert "请填写 1 到 31 的日期" in response.content.decode()


def test_the_enterprise_lookup_ignores_a_nul_typed_into_it(client, dept_admin, enterprise):
    # PostgreSQL refuses a NUL in a query: the lookup reads the field raw, so it drops it
    client.force_login(dept_admin)

    response = client.get("/visits/new/enterprises/", {"enterprise": "\x00" + enterprise.name})

    assert response.status_code == 200 and enterprise.name in response.content.decode()


def test_a_nul_in_the_admins_search_is_dropped(client, enterprise):
    # PostgreSQL refuses a NUL in a query: the admin searches for the rest
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))

    response = client.get("/admin/registry/enterprise/", {"q": enterprise.name + "\x00"})

    assert response.status_code == 200 and enterprise.credit_code in response.content.decode()


@pytest.mark.parametrize("url", ["/admin/accounts/user/", "/admin/audit/auditevent/"])
def test_the_accounts_and_audit_admin_searches_drop_a_nul_too(client, url):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))

    assert client.get(url, {"q": "admin\x00"}).status_code == 200


@pytest.mark.parametrize(
    "url", ["/public/draws/x%00/", "/public/planning/park-days/x%00/", "/api/public/visits/x%00/"]
)
def test_a_code_holding_a_nul_names_no_page(client, url):
    # PostgreSQL refuses a NUL in a query: the path is refused before any view looks it up
    assert client.get(url).status_code == 404


def test_new_draw_items_ignore_a_partner_past_any_id(client, dept_admin):
    client.force_login(dept_admin)

    assert client.get("/draws/new/items/", {"partners": HUGE, "items": HUGE}).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/audit/auditevent/",
        "/admin/planning/plannedinspection/",
        "/admin/sampling/drawselection/",
    ],
)
def test_a_nul_in_any_admin_list_parameter_is_dropped(client, url):
    # PostgreSQL refuses a NUL in a query: the sort, facets and filters are read without it
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))

    response = client.get(url, {"q": "\x00", "o": "\x00", "_facets": "\x00", "p": "\x00"})

    assert response.status_code == 200
