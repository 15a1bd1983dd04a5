"""The 规则执行, 信用等级 and 部门比较 tabs as each role opens them: the hand-counted figures,
drill-down links to the records, XLSX downloads with the page's numbers, and the old visit
alert page sending its users to the rules tab."""

import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.oversight.tests import panels_world
from wurao.visits.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db

YEAR = {"date_from": "2020-01-01", "date_to": "2020-12-31"}


@pytest.fixture
def world(street, department):
    return panels_world.build(street=street, department=department)


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    book = load_workbook(io.BytesIO(response.content))
    return list(book.active.iter_rows(values_only=True))


def _field(row: str, field: str) -> str:
    """A figure's text in a table row, without the heading a phone's card shows beside it."""
    cell = row.split(f'data-field="{field}"')[1].split("</td>")[0].split(">", 1)[1]
    cell = re.sub(r'<span class="stack-label">.*?</span>', "", cell)
    return re.sub(r"<[^>]+>", " ", cell).split()[0]


def _cell(page: str, department_id: int, field: str) -> str:
    row = page.split(f'<tr data-department="{department_id}">')[1].split("</tr>")[0]
    return _field(row, field)


# ---------------------------------------------------------------- who may open the tabs


@pytest.mark.parametrize(
    "path", ["/oversight/rules/", "/oversight/grades/", "/oversight/departments/"]
)
def test_the_tabs_are_for_the_bureau_department_admins_and_streets(
    client, path, justice_user, dept_admin, street_user, enterprise_user
):
    assert client.get(path).status_code == 302  # to the login page
    inspector = UserFactory(role=Role.INSPECTOR, department=dept_admin.department)
    for user in (enterprise_user, inspector):
        client.force_login(user)
        assert client.get(path).status_code == 403
    for user in (justice_user, dept_admin, street_user):
        client.force_login(user)
        assert client.get(path).status_code == 200


# ---------------------------------------------------------------- 部门比较


def test_the_department_tab_shows_the_hand_count_and_links_to_the_records(
    client, justice_user, world
):
    client.force_login(justice_user)

    page = client.get("/oversight/departments/", YEAR).content.decode()

    safety = world.safety.pk
    assert _cell(page, safety, "contacts") == "4"
    assert _cell(page, safety, "inspections") == "3"
    assert _cell(page, safety, "d_coverage") == "50.0%"
    assert _cell(page, safety, "cd_coverage") == "66.7%"
    assert _cell(page, safety, "record_median_days") == "1.5"
    assert _cell(page, safety, "recorded_within_share") == "75.0%"
    # the figures drill down to the records behind them, keeping the period
    assert (
        f'href="/oversight/records/?date_from=2020-01-01&amp;date_to=2020-12-31&amp;organisation={safety}&amp;kind=inspection"'
        in page
    )
    # ordered by department name, never by penalties, and the page says why
    order = [int(pk) for pk in re.findall(r'<tr data-department="(\d+)">', page)]
    names = {
        world.safety.pk: "区应急管理局",
        world.market.pk: "区市场监督管理局",
        world.office.pk: "福城街道办事处",
    }
    assert [names[pk] for pk in order] == sorted(names.values())
    assert (
        'id="no-fines-ranking"' in page
        and "处罚" not in page.split('id="department-table"')[1].split("</thead>")[0]
    )
    assert "D级覆盖率 = " in page  # the definition is on the page


def test_each_department_figure_opens_as_many_records_as_it_counts(client, justice_user, world):
    client.force_login(justice_user)
    page = client.get("/oversight/departments/", YEAR).content.decode()

    for department in (world.safety, world.market, world.office):
        row = page.split(f'<tr data-department="{department.pk}">')[1].split("</tr>")[0]
        for field in ("contacts", "inspections", "non_enforcement"):
            link = row.split(f'data-field="{field}"')[0].rsplit('href="', 1)[1].split('"')[0]
            shown = _cell(page, department.pk, field)
            records = client.get(link.replace("&amp;", "&")).content.decode()
            assert f'id="records-total">{shown}<' in records, (department.name, field)


def test_each_grade_figure_opens_as_many_records_as_it_counts(client, justice_user, world):
    client.force_login(justice_user)
    page = client.get("/oversight/grades/", YEAR).content.decode()

    for grade in ("A", "C", "D"):
        row = page.split(f'<tr data-grade="{grade}">')[1].split("</tr>")[0]
        link, shown = (
            row.split('data-field="contacts"')[0].rsplit('href="', 1)[1].split('"')[0],
            _field(row, "contacts"),
        )
        records = client.get(link.replace("&amp;", "&")).content.decode()
        assert f'id="records-total">{shown}<' in records, grade


def test_the_department_export_has_the_pages_numbers(client, justice_user, world):
    client.force_login(justice_user)

    rows = _sheet(
        client.get("/oversight/departments/", {**YEAR, "export": "xlsx", "table": "departments"})
    )

    header, *body = rows
    assert header[0] == "执法部门" and not [h for h in header if "处罚" in h or "罚" in h]
    by_name = {r[0]: r for r in body}
    assert by_name["区应急管理局"][1:4] == (4, 3, 2)
    assert by_name["区应急管理局"][6:8] == (50.0, 66.7)
    assert by_name["区市场监督管理局"][10] == 11.5
    assert [r[0] for r in body] == sorted(by_name)


def test_a_department_admin_sees_its_own_row_and_a_street_its_area(
    client, dept_admin, street_user, world
):
    client.force_login(dept_admin)
    page = client.get("/oversight/departments/", YEAR).content.decode()
    assert re.findall(r'<tr data-department="(\d+)">', page) == [str(world.safety.pk)]
    # a link naming another department is refused at the field, the page stays its own
    other = client.get("/oversight/departments/", {**YEAR, "department": world.market.pk})
    assert "超出您的查看范围" in other.content.decode()
    assert "区市场监督管理局</td>" not in other.content.decode()

    client.force_login(street_user)
    page = client.get("/oversight/departments/", YEAR).content.decode()
    assert _cell(page, world.market.pk, "contacts") == "1"
    assert _cell(page, world.safety.pk, "d_coverage") == "100.0%"


# ---------------------------------------------------------------- 信用等级


def test_the_grade_tab_shows_distribution_changes_and_contacts(client, justice_user, world):
    client.force_login(justice_user)

    page = client.get("/oversight/grades/", YEAR).content.decode()

    assert 'data-grade="D">2<' in page and 'id="enterprise-total">5<' in page
    assert 'id="changes-up">1<' in page and 'id="changes-down">1<' in page
    assert 'data-from="B" data-to="D" class="num"><a href=' in page
    assert f'href="/registry/enterprises/{world.d1.pk}/"' in page  # the change links the file
    row = page.split('<tr data-grade="D">')[1].split("</tr>")[0]
    assert _field(row, "per_enterprise") == "2.0"
    assert "/oversight/records/?date_from=2020-01-01&amp;date_to=2020-12-31&amp;grade=D" in row

    # a cell of the matrix lists its changes
    listed = client.get("/oversight/grades/", {**YEAR, "from": "B", "to": "D"}).content.decode()
    table = listed.split('id="change-table"')[1]
    assert "丁级企业一" in table and "甲级企业" not in table


def test_the_grade_exports_have_the_pages_numbers(client, justice_user, world):
    client.force_login(justice_user)

    def sheet(table):
        return _sheet(client.get("/oversight/grades/", {**YEAR, "export": "xlsx", "table": table}))

    distribution = {r[0][:1]: r[1] for r in sheet("distribution")[1:]}
    assert distribution == {"A": 1, "B": 0, "C": 1, "D": 2, "未": 1}
    matrix = {r[0]: r[1:] for r in sheet("transitions")[1:]}
    assert matrix["B"] == (0, 0, 0, 1) and matrix["首次评级"] == (1, 0, 0, 0)
    contacts = {r[0][:1]: r for r in sheet("contacts")[1:]}
    assert contacts["D"][1:4] == (2, 4, 2.0)
    assert len(sheet("changes")) == 1 + 3
    assert client.get("/oversight/grades/", {"export": "xlsx", "table": "nope"}).status_code == 404


# ---------------------------------------------------------------- 规则执行


def test_the_rules_tab_shows_refusals_overrides_and_alerts(client, justice_user, world):
    approver = UserFactory(role=Role.JUSTICE, first_name="王监督")
    made = panels_world.overrides(world, approver)
    for day in (1, 3, 6, 10):
        VisitFactory(enterprise=world.d1, department=world.safety, date=datetime.date(2020, 6, day))
    client.force_login(justice_user)

    page = client.get("/oversight/rules/", YEAR).content.decode()

    assert 'id="refusal-total">3<' in page and 'id="override-total">3<' in page
    assert 'data-rule="department_cap">2<' in page
    assert "举报称夜间违规生产" in page and "王监督" in page and "理由不足，请并入联合检查" in page
    assert f'href="/visits/{made["approved"].code}/"' in page
    assert 'tr data-kind="high_frequency"' in page and "2020-06-01 至 2020-06-10 入企 4 次" in page

    # the alerts download with the codes of their visits
    alerts = _sheet(client.get("/oversight/rules/", {**YEAR, "export": "xlsx", "table": "alerts"}))
    (high,) = [r for r in alerts[1:] if r[0] == "高频入企"]
    assert high[5] == 4 and high[7].count("-") == 4

    # a rule's bar lists its refusals only
    listed = client.get("/oversight/rules/", {**YEAR, "rule": "total_cap"}).content.decode()
    assert listed.split('id="refusal-table"')[1].count("<tr data-refusal=") == 1


def test_the_rules_exports_have_the_pages_numbers(client, justice_user, world):
    client.force_login(justice_user)

    def sheet(table, **extra):
        return _sheet(
            client.get("/oversight/rules/", {**YEAR, **extra, "export": "xlsx", "table": table})
        )

    assert {r[1]: r[2] for r in sheet("refusals_by_rule")[1:]} == {
        "department_cap": 2,
        "quiet_period": 1,
        "total_cap": 1,
    }
    assert sheet("refusals_by_month")[1:] == [("2020-02", 2), ("2020-04", 1)]
    # every table the page offers downloads
    page = client.get("/oversight/rules/", YEAR).content.decode()
    for table in re.findall(r'data-export="(\w+)"', page):
        assert sheet(table)[0], table
    refusals = sheet("refusals")
    assert len(refusals) == 1 + 3 and refusals[1][1] == "丙级企业"
    assert len(sheet("refusals", rule="quiet_period")) == 1 + 1


def test_a_department_admin_sees_its_own_refusals_on_the_rules_tab(client, dept_admin, world):
    client.force_login(dept_admin)

    page = client.get("/oversight/rules/", YEAR).content.decode()

    assert 'id="refusal-total">2<' in page
    assert "甲级企业" not in page.split('id="refusal-table"')[1].split("</table>")[0]


# ---------------------------------------------------------------- /visits/alerts/ moved here


def test_the_old_alert_page_sends_to_the_rules_tab_with_the_same_query(client, justice_user):
    client.force_login(justice_user)

    response = client.get(
        "/visits/alerts/",
        {"date_from": "2020-07-01", "date_to": "2020-12-31", "kind": "after_the_fact", "page": "2"},
    )

    assert response.status_code == 302
    assert response["Location"] == (
        "/oversight/rules/?date_from=2020-07-01&date_to=2020-12-31&alert=after_the_fact"
        "&alert_page=2#alerts"
    )
    assert client.get("/visits/alerts/")["Location"] == "/oversight/rules/#alerts"
