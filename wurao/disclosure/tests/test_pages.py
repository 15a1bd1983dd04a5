"""The public disclosure pages as a visitor without an account reads them: the figures equal
what was recorded, counted by hand; the JSON and CSV equal the page's table; nothing
unpublished, nothing about one enterprise and nothing personal beyond the badge, name,
department and certificate appears."""

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.urls import reverse

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.enforcement.choices import ActionKind, Origin
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.planning import services
from wurao.planning.tests.test_pages_forms import joint_visit_build
from wurao.registry.choices import Level
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, InspectorFactory

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-07")]

TODAY = datetime.date(2026, 12, 7)


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel and WPS read the Chinese as UTF-8
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def _html_rows(response, table_id: str) -> list[list[str]]:
    """The table's body cells as text, as the visitor reads them."""
    html = response.content.decode()
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    rows = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, flags=re.S)
        # a phone's card names each cell in a label of its own, hidden at desktop width
        cells = [re.sub(r'<span class="[^"]*cell-label[^"]*">.*?</span>', "", c) for c in cells]
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


def _as_text(value) -> str:
    return "—" if value is None else str(value)


def _three_forms_agree(client, url: str, table_id: str) -> dict:
    """The page's table, its JSON and its CSV hold the same cells; returns the JSON."""
    page = client.get(url)
    sep = "&" if "?" in url else "?"
    data = client.get(f"{url}{sep}format=json").json()
    rows = _csv(client.get(f"{url}{sep}format=csv"))
    keys = [c["key"] for c in data["columns"]]
    assert rows[0] == [c["label"] for c in data["columns"]]
    assert [[("" if r[k] is None else str(r[k])) for k in keys] for r in data["rows"]] == rows[1:]
    assert [[_as_text(r[k]) for k in keys] for r in data["rows"]] == _html_rows(page, table_id)
    return data


# ---------------------------------------------------------------- the sitemap


def test_the_sitemap_lists_every_public_page_and_each_opens_without_an_account(client):
    # when a visitor opens /public/
    page = client.get("/public/")

    # then it lists the platform's public pages, each of which opens for them
    assert page.status_code == 200
    html = page.content.decode()
    assert "公示目录" in html
    links = re.findall(r'<a class="fw-semibold" href="([^"]+)"', html)
    for expected in (
        "/public/items/",
        "/public/inspectors/",
        "/public/campaigns/",
        "/public/draws/",
        "/public/planning/park-days/",
        "/public/joint/",
        "/public/figures/",
        "/v/",
        "/public/audit/",
        "/api/docs/",
    ):
        assert expected in links
    for url in links:
        assert client.get(url).status_code == 200, url


def test_a_visitor_finds_the_sitemap_in_the_menu_and_every_footer(client):
    html = client.get("/v/").content.decode()
    assert html.count('href="/public/"') >= 2  # the visitor's menu and the footer


# ---------------------------------------------------------------- 检查事项清单


def test_a_department_list_shows_its_items_in_force_with_their_legal_basis(client):
    # given a department with two items in force and one withdrawn, and another department
    department = DepartmentFactory(code="YJ", name="区应急管理局")
    InspectionItemFactory(
        department=department, code="YJ-001", name="安全生产责任制落实", law="安全生产法"
    )
    InspectionItemFactory(
        department=department, code="YJ-002", name="危化品储存", article="第三十九条"
    )
    InspectionItemFactory(department=department, code="YJ-900", name="已废止事项", active=False)
    other = DepartmentFactory(code="HB", name="区生态环境局")
    InspectionItemFactory(department=other, code="HB-001", name="排污许可执行情况")

    # when a visitor opens the index and the department's list
    index = _three_forms_agree(client, "/public/items/", "inspection-items-departments")
    listing = _three_forms_agree(client, "/public/items/YJ/", f"inspection-items-{department.pk}")

    # then the index counts the items in force and the list shows them with their basis
    counts = {r["department"]: r["items"] for r in index["rows"]}
    assert counts == {"区应急管理局": 2, "区生态环境局": 1}
    assert [r["code"] for r in listing["rows"]] == ["YJ-001", "YJ-002"]
    assert listing["rows"][0]["legal_basis"] == "《安全生产法》第六十五条"
    assert "已废止事项" not in client.get("/public/items/YJ/").content.decode()
    assert "排污许可" not in client.get("/public/items/YJ/").content.decode()


def test_an_unknown_or_non_enforcement_department_has_no_public_list(client):
    DepartmentFactory(code="ZGH", name="区总工会", is_enforcement=False)
    assert client.get("/public/items/ZGH/").status_code == 404
    assert client.get("/public/items/NOPE/").status_code == 404
    assert client.get("/public/inspectors/NOPE/").status_code == 404


# ---------------------------------------------------------------- 执法人员公示


@pytest.fixture
def officers():
    department = DepartmentFactory(code="YJ", name="区应急管理局")
    valid = InspectorFactory(
        department=department,
        badge_no="44030900001",
        name="李明",
        certificate_valid_until=datetime.date(2027, 6, 30),
    )
    expired = InspectorFactory(
        department=department,
        badge_no="44030900002",
        name="王芳",
        certificate_valid_until=datetime.date(2026, 11, 30),
    )
    retired = InspectorFactory(
        department=department,
        badge_no="44030900003",
        name="陈静",
        certificate_valid_until=datetime.date(2028, 1, 1),
        active=False,
    )
    # the officer's account: nothing of it is public
    UserFactory(
        username="liming_yj",
        email="liming@example.gov.cn",
        role=Role.INSPECTOR,
        department=department,
        inspector=valid,
    )
    return department, valid, expired, retired


def test_a_badge_lookup_names_the_holder_department_and_certificate(client, officers):
    # when a visitor looks up a valid badge
    page = client.get("/public/inspectors/", {"badge": " 44030900001 "})
    data = client.get("/public/inspectors/", {"badge": "44030900001", "format": "json"}).json()

    # then they read who holds it, of which department, valid until when, in post
    html = page.content.decode()
    assert "李明" in html and "区应急管理局" in html and "在岗，执法证在有效期内" in html
    assert data["found"] is True
    assert data["rows"] == [
        {
            "badge_no": "44030900001",
            "name": "李明",
            "department": "区应急管理局",
            "certificate_valid_until": "2027-06-30",
            "certificate": "有效",
            "active": "在岗",
        }
    ]
    # and nothing of the officer's account
    assert "liming_yj" not in html and "liming@example.gov.cn" not in html


def test_a_badge_lookup_warns_of_an_expired_certificate_and_an_officer_out_of_post(
    client, officers
):
    expired = client.get("/public/inspectors/", {"badge": "44030900002"}).content.decode()
    retired = client.get("/public/inspectors/", {"badge": "44030900003"}).content.decode()

    assert "执法证不在有效期内，不能执法" in expired and "已过期" in expired
    assert "已不在岗，不能执法" in retired and "不在岗" in retired


def test_an_unknown_badge_is_said_to_be_unknown(client, officers):
    page = client.get("/public/inspectors/", {"badge": "99999999"})
    data = client.get("/public/inspectors/", {"badge": "99999999", "format": "json"}).json()

    assert page.status_code == 200
    assert "查无此执法证号：99999999" in page.content.decode()
    assert data["found"] is False and data["rows"] == []


def test_a_department_lists_its_officers_in_post_and_nothing_personal(client, officers):
    department, *_ = officers
    index = _three_forms_agree(client, "/public/inspectors/", "inspectors-departments")
    listing = _three_forms_agree(
        client, f"/public/inspectors/{department.code}/", f"inspectors-{department.pk}"
    )

    assert {r["department"]: r["inspectors"] for r in index["rows"]} == {"区应急管理局": 2}
    assert [(r["badge_no"], r["certificate"]) for r in listing["rows"]] == [
        ("44030900001", "有效"),
        ("44030900002", "已过期"),
    ]
    assert [c["key"] for c in listing["columns"]] == [
        "badge_no",
        "name",
        "department",
        "certificate_valid_until",
        "certificate",
        "active",
    ]
    html = client.get(f"/public/inspectors/{department.code}/").content.decode()
    assert "陈静" not in html and "liming" not in html


# ---------------------------------------------------------------- 专项检查计划


def test_only_published_campaigns_are_listed(client):
    department = DepartmentFactory(code="YJ", name="区应急管理局")
    admin = UserFactory(role=Role.DEPT_ADMIN, department=department)
    common = dict(
        actor=admin,
        department=department,
        scope="餐饮场所燃气使用安全",
        starts_on=datetime.date(2027, 3, 1),
        ends_on=datetime.date(2027, 3, 31),
        approver="区人民政府",
        document_no="龙府办〔2027〕3号",
        approved_on=datetime.date(2027, 2, 20),
    )
    published = services.campaign_register(title="燃气安全专项检查", **common)
    services.campaign_publish(actor=admin, campaign=published)
    services.campaign_register(title="尚未公布的专项", **common)

    data = _three_forms_agree(client, "/public/campaigns/", "special-campaigns")

    assert [r["title"] for r in data["rows"]] == ["燃气安全专项检查"]
    assert data["rows"][0]["document_no"] == "龙府办〔2027〕3号"
    assert data["rows"][0]["published_on"] == "2026-12-07"
    assert "尚未公布的专项" not in client.get("/public/campaigns/").content.decode()


# ---------------------------------------------------------------- 年度执法数据


@pytest.fixture
def records():
    """Hand-counted records: two departments in 2025, one action in 2024, one in 2026 and one
    dated after today."""
    city = DepartmentFactory(code="SC", name="市市场监督管理局龙华监管局", level=Level.CITY)
    district = DepartmentFactory(code="YJ", name="区应急管理局", level=Level.DISTRICT)
    enterprise = EnterpriseFactory(name="深圳市被查最多的科技有限公司")
    day = datetime.date(2025, 5, 6)

    def act(department, kind, n, origin=Origin.PLAN, date=day, **kw):
        EnforcementActionFactory.create_batch(
            n,
            enterprise=enterprise,
            department=department,
            kind=kind,
            origin=origin,
            date=date,
            **kw,
        )

    act(district, ActionKind.INSPECTION, 2, Origin.RANDOM_DRAW)
    act(district, ActionKind.INSPECTION, 2)
    act(district, ActionKind.PENALTY, 6)
    act(district, ActionKind.COERCIVE, 1)
    act(city, ActionKind.INSPECTION, 1, Origin.RANDOM_DRAW)
    act(city, ActionKind.PENALTY, 5)
    act(city, ActionKind.INSPECTION, 1, date=datetime.date(2024, 3, 1))
    act(city, ActionKind.INSPECTION, 1, date=datetime.date(2026, 2, 1))
    act(city, ActionKind.INSPECTION, 1, date=datetime.date(2026, 12, 20))  # not yet
    return city, district, enterprise


def test_the_annual_figures_equal_the_hand_count_per_department(client, records):
    data = _three_forms_agree(client, "/public/figures/?year=2025", "enforcement-figures-2025")

    # departments in the register's order (city before district), not by penalties: the
    # district's 6 come after the city's 5
    assert data["rows"] == [
        {
            "department": "市市场监督管理局龙华监管局",
            "level": "市级",
            "inspections": 1,
            "random_draw": 1,
            "random_draw_share": 100.0,
            "penalties": 5,
            "coercive": 0,
            "total": 6,
        },
        {
            "department": "区应急管理局",
            "level": "区级",
            "inspections": 4,
            "random_draw": 2,
            "random_draw_share": 50.0,
            "penalties": 6,
            "coercive": 1,
            "total": 11,
        },
        {
            "department": "合计",
            "level": "",
            "inspections": 5,
            "random_draw": 3,
            "random_draw_share": 60.0,
            "penalties": 11,
            "coercive": 1,
            "total": 17,
        },
    ]
    assert data["year"] == 2025 and data["as_of"] is None


def test_the_current_year_is_counted_to_today_and_said_so(client, records):
    page = client.get("/public/figures/")  # the latest year with records: this one
    data = client.get("/public/figures/", {"format": "json"}).json()

    assert data["year"] == 2026 and data["as_of"] == "2026-12-07"
    assert data["rows"][0]["inspections"] == 1  # the action of 20 December is not counted
    assert "截至今日" in page.content.decode()
    # the years offered are those with records, up to this one
    html = page.content.decode()
    assert re.findall(r'<option value="(\d+)"', html) == ["2026", "2025", "2024"]


def test_figures_name_no_enterprise_and_an_odd_year_is_no_error(client, records):
    *_, enterprise = records
    for url in ("/public/figures/?year=2025", "/public/figures/?year=abc", "/public/joint/"):
        response = client.get(url)
        assert response.status_code == 200
        assert enterprise.name not in response.content.decode()
        assert enterprise.credit_code not in response.content.decode()


# ---------------------------------------------------------------- 联合检查统计


def test_joint_statistics_count_joint_records_by_month(client):
    a = DepartmentFactory(code="YJ", name="区应急管理局")
    b = DepartmentFactory(code="XF", name="区消防救援大队")
    enterprise = EnterpriseFactory()
    march = datetime.date(2025, 3, 4)

    def inspect(department, ref, date=march):
        EnforcementActionFactory(
            enterprise=enterprise, department=department, joint_ref=ref, date=date
        )

    inspect(a, "J1")
    inspect(b, "J1")
    inspect(b, "J1")  # two of b's officers' records in one joint visit: 3 separate visits
    inspect(a, "J2")  # one department alone: not a joint visit
    inspect(a, "J3", datetime.date(2025, 7, 1))
    inspect(b, "J3", datetime.date(2025, 7, 1))

    data = _three_forms_agree(client, "/public/joint/?year=2025", "joint-visits-2025")

    rows = {r["month"]: r for r in data["rows"]}
    assert rows["2025-03"]["recorded_visits"] == 1
    assert rows["2025-03"]["recorded_inspections"] == 3
    assert rows["2025-03"]["visits_saved"] == 2
    assert rows["2025-03"]["departments"] == 2
    assert rows["2025-07"]["recorded_visits"] == 1
    total = data["rows"][-1]
    assert total["month"] == "2025年合计"
    assert (total["recorded_visits"], total["recorded_inspections"], total["visits_saved"]) == (
        2,
        5,
        3,
    )
    assert total["departments"] == 2


def test_a_confirmed_joint_visit_counts_once_it_has_taken_place(client, street):
    # given a joint visit of two departments confirmed for March 2027, its results recorded
    # under one joint reference
    joint = joint_visit_build(street)
    for part in (joint.market, joint.environment):
        EnforcementActionFactory(
            enterprise=joint.enterprise,
            department=part.department,
            visit=joint.visit.visit,
            joint_ref="LHJ-2027-TEST",
            date=joint.visit.date,
        )

    # before it, it is a plan, not a joint visit held
    assert client.get(reverse("disclosure:joint"), {"format": "json"}).json()["year"] == 2026

    # after it, it counts once, carrying the two departments' inspections
    with time_machine.travel(datetime.datetime(2027, 4, 1, 9, tzinfo=datetime.UTC)):
        data = client.get("/public/joint/", {"year": 2027, "format": "json"}).json()
    march = next(r for r in data["rows"] if r["month"] == "2027-03")
    assert (march["scheduled_visits"], march["scheduled_inspections"]) == (1, 2)
    assert (march["visits_saved"], march["departments"]) == (1, 2)
    assert march["recorded_visits"] == 0  # its records are the same visit, not counted twice
    assert "深圳市福城精密电子有限公司" not in str(data)
