"""The 总览 and 入企负担 tabs, the records behind their figures and their XLSX downloads, for
the bureau and for a department and a street (their own scope)."""

import datetime
import io
import re

import openpyxl
import pytest

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.enforcement.choices import Origin
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.choices import Level
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, StreetFactory
from wurao.visits.tests.factories import NonEnforcementVisitFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2020, 5, 1)
YEAR = {"date_from": "2020-01-01", "date_to": "2020-12-31"}


@pytest.fixture
def world():
    """The key enterprise (street A): 4 env inspections + 2 union visits; a street-B
    enterprise: 3 market inspections."""
    a, b = StreetFactory(name="甲街道"), StreetFactory(name="乙街道")
    env = DepartmentFactory(name="生态环境局", level=Level.DISTRICT)
    market = DepartmentFactory(name="市场监管局", level=Level.DISTRICT)
    union = DepartmentFactory(name="区总工会", is_enforcement=False)
    key = EnterpriseFactory(name="福城重点企业", street=a, four_above=True)
    other = EnterpriseFactory(name="观湖企业", street=b)
    EnforcementActionFactory.create_batch(
        4, enterprise=key, department=env, date=DAY, origin=Origin.RANDOM_DRAW
    )
    NonEnforcementVisitFactory.create_batch(2, enterprise=key, department=union, date=DAY)
    EnforcementActionFactory.create_batch(3, enterprise=other, department=market, date=DAY)
    return {"a": a, "b": b, "env": env, "market": market, "key": key, "other": other}


def _xlsx(response) -> list[list]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_burden_tab_shows_the_distribution_and_the_most_visited(client, justice_user, world):
    client.force_login(justice_user)

    page = client.get("/oversight/burden/", YEAR).content.decode()

    assert re.search(r'id="burden-contacts">9<', page)
    assert re.search(r'id="burden-visited">2<', page)
    # the most-visited enterprise first, linked to its file, its count to its records
    first = page.index('data-enterprise="')
    row = page[first : page.index("</tr>", first)]
    assert "福城重点企业" in row and f"/registry/enterprises/{world['key'].pk}/" in row
    assert (
        f"/oversight/records/?date_from=2020-01-01&amp;date_to=2020-12-31&amp;enterprise={world['key'].pk}"
        in row
    )
    assert "区总工会 2" in row and "生态环境局 4" in row
    assert 'id="histogram-data"' in page and 'id="lorenz-data"' in page


def test_burden_exports_open_in_openpyxl_with_the_page_numbers(client, justice_user, world):
    client.force_login(justice_user)

    top = _xlsx(client.get("/oversight/burden/", {**YEAR, "export": "xlsx", "table": "top"}))
    histogram = _xlsx(
        client.get("/oversight/burden/", {**YEAR, "export": "xlsx", "table": "histogram"})
    )

    assert top[0][:5] == ["排名", "企业", "统一社会信用代码", "重点企业（四上/规上）", "入企合计"]
    assert top[1][1] == "福城重点企业" and top[1][4:7] == [6, 4, 2]
    assert top[2][1] == "观湖企业" and top[2][4] == 3
    counts = {row[0]: row[1] for row in histogram[1:]}
    assert counts["3-5"] == 1 and counts["6-10"] == 1 and counts["1"] == 0


def test_overview_exports_table1_with_the_same_numbers(client, justice_user, world):
    client.force_login(justice_user)

    rows = _xlsx(client.get("/oversight/", {**YEAR, "export": "xlsx", "table": "table1"}))

    assert rows[0] == ["执法类别", "数量", "占比（%）"]
    assert rows[1] == ["行政检查", 7, 100.0]
    assert rows[-1][:2] == ["合计", 7]
    assert client.get("/oversight/", {"export": "xlsx", "table": "nope"}).status_code == 404


def test_records_lists_the_contacts_behind_a_count(client, justice_user, world):
    client.force_login(justice_user)
    key = world["key"].pk

    page = client.get(
        "/oversight/records/", {**YEAR, "enterprise": key, "kind": "non_enforcement"}
    ).content.decode()

    assert re.search(r'id="records-total">2<', page)
    assert page.count('data-source="visit"') == 2 and 'data-source="action"' not in page
    assert "工会" in page
    rows = _xlsx(client.get("/oversight/records/", {**YEAR, "enterprise": key, "export": "xlsx"}))
    assert len(rows) == 1 + 6 and rows[1][1] == "福城重点企业"


def test_a_department_admin_sees_its_own_department_only(client, world):
    admin = UserFactory(role=Role.DEPT_ADMIN, department=world["market"])
    client.force_login(admin)

    page = client.get("/oversight/", YEAR).content.decode()
    assert re.search(r'data-kind="total">3<', page)
    burden = client.get("/oversight/burden/", YEAR).content.decode()
    assert "观湖企业" in burden and "福城重点企业" not in burden

    # another department in the filter is an error, not a wider view
    other = client.get("/oversight/", {**YEAR, "department": world["env"].pk}).content.decode()
    assert "超出您的查看范围" in other and re.search(r'data-kind="total">3<', other)


def test_a_street_sees_its_own_area_only(client, world):
    user = UserFactory(role=Role.STREET, street=world["a"])
    client.force_login(user)

    page = client.get("/oversight/records/", YEAR).content.decode()
    assert re.search(r'id="records-total">6<', page) and "观湖企业" not in page
    other = client.get("/oversight/burden/", {**YEAR, "street": world["b"].pk}).content.decode()
    assert "超出您的查看范围" in other and "观湖企业" not in other


@pytest.mark.parametrize("url", ["/oversight/burden/", "/oversight/records/"])
def test_the_tabs_are_refused_to_an_inspector_and_an_enterprise(
    client, world, url, enterprise_user
):
    client.force_login(UserFactory(role=Role.INSPECTOR, department=world["env"]))
    assert client.get(url).status_code == 403
    client.force_login(enterprise_user)
    assert client.get(url).status_code == 403


HOSTILE = ["abc", "-1", "99999999999999999999999", "2020-13-45"]
PARAMS = [
    "date_from",
    "date_to",
    "department",
    "level",
    "street",
    "industry_section",
    "grade",
    "size_class",
    "year",
    "enterprise",
    "organisation",
    "kind",
    "reason",
    "bucket",
    "top",
    "page",
    "credit_code",
    "table",
]


@pytest.mark.parametrize("url", ["/oversight/", "/oversight/burden/", "/oversight/records/"])
def test_odd_values_in_any_parameter_never_break_a_tab(client, justice_user, world, url):
    client.force_login(justice_user)

    for name in PARAMS:
        for value in HOSTILE:
            response = client.get(url, {name: value})
            assert response.status_code in (200, 404), (name, value, response.status_code)
