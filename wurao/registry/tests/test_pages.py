"""Registry pages as each role sees them: the enterprise list, inspectors, departments, streets
(the enterprise's file is the dossier's: wurao/dossier/tests)."""

import re

import pytest
from django.urls import reverse

from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.registry.tests.factories import (
    CommunityFactory,
    DepartmentFactory,
    EnterpriseFactory,
    InspectorFactory,
    ParkFactory,
    RiskTagFactory,
    StreetFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_street():
    return StreetFactory(name="观湖街道", code="440309006")


@pytest.mark.parametrize("role_user", ["justice_user", "dept_admin", "street_user"])
def test_enterprise_list_renders_for_each_role_that_browses_it(
    client, request, role_user, enterprise
):
    client.force_login(request.getfixturevalue(role_user))

    response = client.get(reverse("registry:enterprise-list"))

    assert response.status_code == 200
    assert enterprise.name in response.content.decode()


def test_street_user_sees_only_enterprises_in_their_street(
    client, street_user, street, other_street
):
    mine = EnterpriseFactory(street=street, name="福城本街企业")
    theirs = EnterpriseFactory(street=other_street, name="观湖外街企业")
    client.force_login(street_user)

    page = client.get(reverse("registry:enterprise-list")).content.decode()

    assert mine.name in page
    assert theirs.name not in page


def test_enterprise_list_filters_by_name_and_risk_tag(client, justice_user, street):
    dust = RiskTagFactory(code="dust", name="粉尘涉爆")
    flagged = EnterpriseFactory(street=street, name="甲粉尘加工厂")
    flagged.risk_tags.add(dust)
    EnterpriseFactory(street=street, name="乙粉末贸易公司")
    client.force_login(justice_user)

    by_tag = client.get(reverse("registry:enterprise-list"), {"risk_tag": "dust"}).content.decode()
    by_name = client.get(reverse("registry:enterprise-list"), {"q": "粉末"}).content.decode()

    assert "甲粉尘加工厂" in by_tag and "乙粉末贸易公司" not in by_tag
    assert "乙粉末贸易公司" in by_name and "甲粉尘加工厂" not in by_name


def test_enterprise_list_answers_htmx_with_the_results_only(client, justice_user, enterprise):
    client.force_login(justice_user)

    response = client.get(
        reverse("registry:enterprise-list"), {"q": enterprise.name}, headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert enterprise.name in body
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_enterprise_list_shows_empty_state_in_chinese(client, justice_user):
    client.force_login(justice_user)

    response = client.get(reverse("registry:enterprise-list"), {"q": "不存在的企业"})

    assert "暂无记录" in response.content.decode()


def test_enterprise_list_paginates_with_one_count(
    client, justice_user, street, django_assert_max_num_queries
):
    EnterpriseFactory.create_batch(55, street=street)
    client.force_login(justice_user)

    # session + user, count, page, risk tags prefetch, street choices, risk tag choices
    with django_assert_max_num_queries(8):
        response = client.get(reverse("registry:enterprise-list"), {"page": 2})

    assert "第 51–55 条，共 55 条" in response.content.decode()


def test_enterprise_user_opening_the_list_lands_on_their_own_file(
    client, enterprise_user, enterprise
):
    client.force_login(enterprise_user)

    response = client.get(reverse("registry:enterprise-list"))

    assert response.status_code == 302
    assert response["Location"] == reverse("dossier:enterprise-detail", args=[enterprise.pk])


def test_inspector_list_is_scoped_to_the_department(client, dept_admin, department):
    InspectorFactory(department=department, name="本局张三")
    InspectorFactory(name="他局李四")
    client.force_login(dept_admin)

    page = client.get(reverse("registry:inspector-list")).content.decode()

    assert "本局张三" in page
    assert "他局李四" not in page


def test_justice_sees_all_inspectors(client, justice_user):
    InspectorFactory(name="甲局王五")
    InspectorFactory(name="乙局赵六")
    client.force_login(justice_user)

    page = client.get(reverse("registry:inspector-list")).content.decode()

    assert "甲局王五" in page and "乙局赵六" in page


def test_enterprise_user_may_not_browse_inspectors(client, enterprise_user):
    client.force_login(enterprise_user)

    assert client.get(reverse("registry:inspector-list")).status_code == 403


def test_department_list_shows_level_nature_and_counts(client, street_user, department):
    InspectorFactory.create_batch(2, department=department)
    InspectionItemFactory.create_batch(3, department=department)
    DepartmentFactory(name="区妇女联合会", is_enforcement=False)
    client.force_login(street_user)

    page = client.get(reverse("catalogue:department-list")).content.decode()

    assert "区应急管理局" in page and "区妇女联合会" in page
    assert "非执法单位" in page and "区级" in page
    # each count in its own cell, named on a phone where the headings are hidden
    row = re.search(r"<tr>(?:(?!</tr>).)*区应急管理局.*?</tr>", page, re.S).group(0)
    cells = [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]
    assert cells[-2:] == ["在岗执法人员 2", "有效检查事项 3"]


def test_street_list_shows_communities_and_parks(client, enterprise_user, street):
    CommunityFactory(street=street, name="清湖社区")
    ParkFactory(street=street, name="福城高新园")
    client.force_login(enterprise_user)

    page = client.get(reverse("registry:street-list")).content.decode()

    assert "福城街道" in page and "清湖社区" in page and "福城高新园" in page
